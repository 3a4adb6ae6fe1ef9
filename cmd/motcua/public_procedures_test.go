package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
)

// TestPublicProcedures: the public catalogue (/thu-tuc) anonymously —
// search without diacritics, by code, by field and level; one procedure's
// page with its cases, components (counts, accepted categories by name,
// form template), fees with their total, legal basis and the way into
// online application; 404 for an unknown code; the JSON view's new
// fields.
func TestPublicProcedures(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	if code := run(ctx, []string{"seed-demo", "--data-dir", dir}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("seed-demo exit %d", code)
	}
	// Birth registration gets a second case with its own components, one
	// with a form template, and two fees.
	store, _, err := (&commonConfig{DataDir: dir}).openMigratedStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	birth, err := store.GetProcedure(ctx, demo.ProcedureBirth)
	if err != nil {
		t.Fatal(err)
	}
	idCard, err := store.GetCategory(ctx, demo.CategoryIDCard)
	if err != nil {
		t.Fatal(err)
	}
	birth.Cases = append(birth.Cases, motcua.ProcedureCase{Code: "TH02", Name: "Đăng ký khai sinh quá hạn", ProcessingDays: 3,
		Components: []motcua.ProcedureComponent{
			{Code: "TP01", Name: "Tờ khai đăng ký khai sinh quá hạn", Required: true, Form: motcua.FormOriginal, Originals: 1,
				AllowScan: true, FormTemplate: "to-khai-khai-sinh-qua-han.docx"},
			{Code: "TP02", Name: "Giấy tờ tùy thân của người đi đăng ký", Required: false, Form: motcua.FormCopy, Copies: 2,
				Categories: []string{demo.CategoryIDCard}},
		}})
	birth.Fees = []motcua.Fee{{Name: "Lệ phí đăng ký quá hạn", AmountVND: 5000}, {Name: "Phí cấp bản sao trích lục", AmountVND: 8000, Note: "mỗi bản"}}
	if err := store.UpdateProcedure(ctx, birth); err != nil {
		t.Fatal(err)
	}
	store.Close()

	ts := startServer(t, "--data-dir", dir)
	rowCodes := regexp.MustCompile(`<tr data-code="([^"]+)">`)
	search := func(query string) []string {
		t.Helper()
		resp, page := get(t, ts.url+"/thu-tuc?"+query)
		if resp.StatusCode != 200 {
			t.Fatalf("/thu-tuc?%s anonymously: %d\n%s", query, resp.StatusCode, page)
		}
		var codes []string
		for _, m := range rowCodes.FindAllStringSubmatch(page, -1) {
			codes = append(codes, m[1])
		}
		if !strings.Contains(page, `data-total="`+strconv.Itoa(len(codes))+`"`) {
			t.Fatalf("/thu-tuc?%s: %d rows but another total\n%s", query, len(codes), page)
		}
		return codes
	}
	q := func(s string) string { return "q=" + url.QueryEscape(s) }
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", []string{demo.ProcedureDeath, demo.ProcedureMarriage, demo.ProcedureBirth, demo.ProcedureLandTitleRenew,
			demo.ProcedureJudicialRecord, demo.ProcedurePetrolRetailer, demo.ProcedureCertifiedCopy}},
		{q("ho tich"), []string{demo.ProcedureDeath, demo.ProcedureMarriage, demo.ProcedureBirth}},
		{q("khai sinh"), []string{demo.ProcedureBirth}},
		{q("DANG KY KET HON"), []string{demo.ProcedureMarriage}},
		{q("1.001193"), []string{demo.ProcedureBirth}},
		{q(demo.ProcedureJudicialRecord), []string{demo.ProcedureJudicialRecord}},
		{q("lý lịch tư pháp"), []string{demo.ProcedureJudicialRecord}},
		{q("khong co thu tuc nay"), nil},
		{"linh-vuc=" + url.QueryEscape("Hộ tịch") + "&cap=commune", []string{demo.ProcedureDeath, demo.ProcedureMarriage, demo.ProcedureBirth}},
		{"cap=province", []string{demo.ProcedureJudicialRecord, demo.ProcedurePetrolRetailer}},
		{q("chung thuc") + "&co-quan=" + demo.JusticeOfficeCode, []string{demo.ProcedureCertifiedCopy}},
	} {
		if got := search(c.query); !slices.Equal(got, c.want) {
			t.Errorf("/thu-tuc?%s = %v, want %v", c.query, got, c.want)
		}
	}

	resp, page := get(t, ts.url+"/thu-tuc/"+demo.ProcedureBirth)
	if resp.StatusCode != 200 {
		t.Fatalf("procedure page: %d\n%s", resp.StatusCode, page)
	}
	page = html.UnescapeString(page)
	for _, w := range []string{
		"<h1>Đăng ký khai sinh</h1>", demo.ProcedureBirth, "(phiên bản 2)", "Hộ tịch", "Cấp xã", "Dịch vụ công trực tuyến toàn trình",
		`<div class="card" data-case="TH01">`, `<div class="card" data-case="TH02">`, "Đăng ký khai sinh quá hạn", "3 ngày làm việc",
		// The first case's components are the procedure's.
		birth.Components[0].Name,
		// The second case's own, with counts, the category by name and the template.
		`<tr data-component="TP01"><td>1</td><td>Tờ khai đăng ký khai sinh quá hạn</td>`,
		"<td>Có</td>\n      <td>1</td><td>–</td>",
		"Giấy tờ tùy thân của người đi đăng ký <span class=\"muted\">(Bản sao)</span></td>\n      <td>Không</td>\n      <td>–</td><td>2</td>\n      <td>" + idCard.Name + "</td>",
		"<span data-template>to-khai-khai-sinh-qua-han.docx</span>",
		"Lệ phí đăng ký quá hạn: <strong>5.000 đồng</strong>", "Phí cấp bản sao trích lục: <strong>8.000 đồng</strong> — mỗi bản",
		"<strong data-fee-total>13.000 đồng</strong>",
		"<p data-legal-basis>Luật Hộ tịch số 60/2014/QH13; Nghị định số 123/2015/NĐ-CP</p>",
		`<a class="button" href="/nop-truc-tuyen/` + demo.ProcedureBirth + `" data-apply>Nộp trực tuyến</a>`,
	} {
		if !strings.Contains(page, w) {
			t.Errorf("procedure page lacks %q", w)
		}
	}
	if t.Failed() {
		t.Fatalf("procedure page:\n%s", page)
	}
	// A procedure without fees says so; its handling agency is named.
	_, page = get(t, ts.url+"/thu-tuc/"+demo.ProcedureMarriage)
	if !strings.Contains(page, "Không thu phí, lệ phí.") || strings.Contains(page, "data-template") {
		t.Fatalf("marriage page:\n%s", page)
	}
	// The button leads into the application, which asks for a login.
	resp, page = get(t, ts.url+"/nop-truc-tuyen/"+demo.ProcedureBirth)
	if resp.Request.URL.Path == "/nop-truc-tuyen/"+demo.ProcedureBirth && resp.StatusCode == 200 && !strings.Contains(page, "Đăng nhập") {
		t.Fatalf("apply anonymously: %d at %s", resp.StatusCode, resp.Request.URL)
	}

	// "Nộp trực tuyến" searches through the same index.
	_, page = get(t, ts.url+"/nop-truc-tuyen?q=khai+sinh")
	if !strings.Contains(page, `href="/nop-truc-tuyen/`+demo.ProcedureBirth+`"`) || strings.Contains(page, `href="/nop-truc-tuyen/`+demo.ProcedureDeath+`"`) {
		t.Fatalf("/nop-truc-tuyen?q=khai+sinh:\n%s", page)
	}

	resp, page = get(t, ts.url+"/thu-tuc/9.999999.000.00.00.H08")
	if resp.StatusCode != 404 || !strings.Contains(page, "Có lỗi xảy ra") {
		t.Fatalf("unknown procedure: %d\n%s", resp.StatusCode, page)
	}

	// The home page and the header lead to the catalogue.
	_, page = get(t, ts.url+"/")
	if !strings.Contains(page, `<a href="/thu-tuc">Thủ tục hành chính</a>`) || !strings.Contains(page, `<a href="/thu-tuc/`+demo.ProcedureBirth+`">`) {
		t.Fatalf("home page does not link the catalogue:\n%s", page)
	}

	// The JSON view carries the new fields.
	resp, body := get(t, ts.url+"/api/v1/procedures")
	type item struct {
		Code   string   `json:"code"`
		Levels []string `json:"levels"`
		Cases  []struct {
			ID         string `json:"id"`
			Components []struct {
				ID           string `json:"id"`
				Originals    int    `json:"originals"`
				Copies       int    `json:"copies"`
				FormTemplate string `json:"form_template"`
			} `json:"components"`
		} `json:"cases"`
	}
	var list struct {
		Items []item `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/api/v1/procedures: %d %v", resp.StatusCode, err)
	}
	i := slices.IndexFunc(list.Items, func(p item) bool { return p.Code == demo.ProcedureBirth })
	if i < 0 || !slices.Equal(list.Items[i].Levels, []string{"commune"}) || len(list.Items[i].Cases) != 2 {
		t.Fatalf("birth registration in the JSON view: %s", body)
	}
	c := list.Items[i].Cases[1].Components
	if len(c) != 2 || c[0].FormTemplate != "to-khai-khai-sinh-qua-han.docx" || c[0].Originals != 1 || c[1].Copies != 2 {
		t.Fatalf("TH02 components in the JSON view: %+v", c)
	}
}

// TestProceduresAPIPaging: GET /api/v1/procedures searches and pages
// through the same index as /thu-tuc, and refuses bad paging parameters
// with a stable code.
func TestProceduresAPIPaging(t *testing.T) {
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	type item struct {
		Code     string `json:"code"`
		Agencies []struct {
			Code string `json:"code"`
			Name string `json:"name"`
		} `json:"agencies"`
	}
	type page struct {
		Items   []item `json:"items"`
		Total   int    `json:"total"`
		Page    int    `json:"page"`
		Pages   int    `json:"pages"`
		PerPage int    `json:"per_page"`
	}
	list := func(query string) page {
		t.Helper()
		resp, body := get(t, ts.url+"/api/v1/procedures"+query)
		var p page
		if err := json.Unmarshal([]byte(body), &p); err != nil || resp.StatusCode != 200 {
			t.Fatalf("/api/v1/procedures%s: %d %v\n%s", query, resp.StatusCode, err, body)
		}
		return p
	}
	all := list("")
	if all.Total < 7 || len(all.Items) != all.Total || all.Page != 1 || all.Pages != 1 || all.PerPage != 100 {
		t.Fatalf("the whole demo catalogue: total %d, %d items, page %d/%d per %d", all.Total, len(all.Items), all.Page, all.Pages, all.PerPage)
	}
	for _, p := range all.Items {
		for _, a := range p.Agencies {
			if a.Name == "" {
				t.Fatalf("procedure %s: agency %s without its name", p.Code, a.Code)
			}
		}
	}
	// Pages of two cover the catalogue once, in the same order.
	var codes []string
	for n := 1; ; n++ {
		p := list(fmt.Sprintf("?per_page=2&page=%d", n))
		if p.Total != all.Total || p.PerPage != 2 || p.Pages != (all.Total+1)/2 || p.Page != n {
			t.Fatalf("page %d: %+v", n, p)
		}
		for _, it := range p.Items {
			codes = append(codes, it.Code)
		}
		if n == p.Pages {
			break
		}
	}
	for i, it := range all.Items {
		if i >= len(codes) || codes[i] != it.Code {
			t.Fatalf("paged codes %v differ from the whole list", codes)
		}
	}
	// A search by a handling agency's name, without diacritics, and a
	// level filter.
	birth := list("?q=" + url.QueryEscape("khai sinh thi tran an lao"))
	if !slices.ContainsFunc(birth.Items, func(p item) bool { return p.Code == demo.ProcedureBirth }) {
		t.Fatalf("q=khai sinh thi tran an lao: %+v", birth)
	}
	if commune := list("?level=commune"); commune.Total == 0 || commune.Total >= all.Total {
		t.Fatalf("level=commune: %d of %d", commune.Total, all.Total)
	}
	for query, code := range map[string]string{"?per_page=0": "invalid_per_page", "?per_page=101": "invalid_per_page",
		"?page=x": "invalid_page", "?level=village": "invalid_level"} {
		resp, body := get(t, ts.url+"/api/v1/procedures"+query)
		if resp.StatusCode != 422 || !strings.Contains(body, `"code":"`+code+`"`) {
			t.Fatalf("/api/v1/procedures%s: %d\n%s", query, resp.StatusCode, body)
		}
	}
}
