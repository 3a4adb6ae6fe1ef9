package demo

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pdfsig"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"github.com/motcua/motcua/internal/service"
)

// SignPDF signs pdf with the demo agency certificate.
func (ca *CA) SignPDF(pdf []byte, at time.Time) ([]byte, error) {
	var out bytes.Buffer
	err := pdfsig.Sign(&out, bytes.NewReader(pdf), int64(len(pdf)), pdfsig.SignOptions{Key: ca.AgencyKey, Cert: ca.Agency,
		Chain: ca.Chain(), Reason: "Ký số kết quả giải quyết thủ tục hành chính", Location: "An Lão, Bình Định", Time: at})
	return out.Bytes(), err
}

// resultPDF makes a one-page result. The page text is ASCII: the demo's
// tiny PDF writer has no embedded Vietnamese font.
func resultPDF(title, owner, code string) []byte {
	return pdfsigtest.NewPDF(pdfsigtest.PDFOptions{
		Text: fmt.Sprintf("%s - %s - %s", motcua.FoldText(title), motcua.FoldText(owner), code),
	})
}

// SampleUnsigned is a PDF without a signature, for trying the refusal.
func SampleUnsigned() []byte {
	return resultPDF("Ban chua ky so", "Mau thu", "KHONG-CO-CHU-KY")
}

// Sample makes the sample file of a name offered to try refusals:
// chua-ky.pdf (unsigned) or da-sua-sau-khi-ky.pdf (changed after
// signing); another name is ENOTFOUND.
func (ca *CA) Sample(name string, now time.Time) ([]byte, error) {
	switch name {
	case "chua-ky.pdf":
		return SampleUnsigned(), nil
	case "da-sua-sau-khi-ky.pdf":
		return ca.SampleTampered(now)
	}
	return nil, motcua.NotFound("sample", name)
}

// SampleTampered is a signed PDF changed after signing, for trying the
// refusal.
func (ca *CA) SampleTampered(now time.Time) ([]byte, error) {
	signed, err := ca.SignPDF(resultPDF("Ban da bi sua", "Mau thu", "DA-SUA-SAU-KHI-KY"), now)
	if err != nil {
		return nil, err
	}
	i := bytes.Index(signed, []byte("DA-SUA"))
	if i < 0 {
		return nil, fmt.Errorf("sample text not found")
	}
	signed[i] = 'X'
	return signed, nil
}

// SeedDocuments gives each demo citizen signed results in their
// warehouse, issued by An Lão agencies: a birth certificate, a judicial
// record certificate, a marital-status confirmation and two e-certified
// copies. It is idempotent (documents
// are keyed by result code) and returns how many documents it created.
func SeedDocuments(ctx context.Context, st motcua.DocumentStore, w *service.Warehouse, ca *CA, now time.Time) (int, error) {
	created := 0
	for _, c := range Citizens() {
		copied, copied2 := motcua.DateOf(now.AddDate(0, 0, -20)), motcua.DateOf(now.AddDate(0, 0, -5))
		docs := []struct {
			agency, category, title, number, summary string
			issued                                   motcua.Date
		}{
			{TownCode, CategoryBirthCertificate, "Giay khai sinh", "KS-" + c.Code[6:], "Đăng ký khai sinh", c.BirthDate},
			{JusticeOfficeCode, CategoryJudicialRecord1, "Phieu ly lich tu phap so 1", "LLTP-" + c.Code[6:],
				"Cấp Phiếu lý lịch tư pháp số 1", motcua.DateOf(now.AddDate(0, 0, -30))},
			{TownCode, CategoryMaritalStatus, "Giay xac nhan tinh trang hon nhan", "XNHN-" + c.Code[6:],
				"Xác nhận tình trạng hôn nhân", motcua.DateOf(now.AddDate(0, 0, -10))},
			// Two e-certified copies: applying for đăng ký kết hôn then offers a
			// choice for the identity papers ("Lấy từ kho").
			{TownCode, CategoryCertifiedCopy, "Ban sao duoc chung thuc tu ban chinh", ddmmyyyy(copied),
				"Chứng thực bản sao Thẻ căn cước công dân", copied},
			{TownCode, CategoryCertifiedCopy, "Ban sao duoc chung thuc tu ban chinh", ddmmyyyy(copied2),
				"Chứng thực bản sao Giấy khai sinh", copied2},
		}
		for _, d := range docs {
			code, err := motcua.NewResultCode(c.Code, d.category, d.number)
			if err != nil {
				return created, err
			}
			// Signing is not deterministic: an existing document is kept, not re-pushed.
			if _, err := st.GetDocumentByCode(ctx, code.String()); err == nil {
				continue
			} else if !motcua.IsKind(err, motcua.ENOTFOUND) {
				return created, err
			}
			pdf, err := ca.SignPDF(resultPDF(d.title, c.Name, code.String()), now)
			if err != nil {
				return created, err
			}
			_, isNew, _, err := w.ImportResult(ctx, d.agency, service.AgencyResult{Code: code.String(), OwnerName: c.Name,
				DecisionNumber: d.number, Summary: d.summary, IssuedOn: d.issued,
				File: service.Upload{Name: code.String() + ".pdf", Data: pdf}})
			if err != nil {
				return created, fmt.Errorf("demo document %s: %w", code, err)
			}
			if isNew {
				created++
			}
		}
	}
	return created, nil
}

// ddmmyyyy formats a date as the seeds' document numbers (02022024).
func ddmmyyyy(d motcua.Date) string { return fmt.Sprintf("%02d%02d%04d", d.Day, d.Month, d.Year) }
