package main

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apiclient"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// TestGeneratedClientIntegratorFlow: issue 18 item 4. The client that
// oapi-codegen generates from the OpenAPI document alone carries an
// agency's software through its flow: a token for its API client, a
// signed result pushed into the owner's warehouse, and the result
// verified by its code as anyone would.
func TestGeneratedClientIntegratorFlow(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		c, err := apiclient.NewClientWithResponses(ts.url)
		if err != nil {
			t.Fatal(err)
		}

		grant := apiclient.ClientCredentials
		id, secret := demo.IntegratorID, demo.IntegratorSecret
		tok, err := c.IssueTokenWithFormdataBodyWithResponse(ctx, apiclient.IssueTokenFormdataRequestBody{
			GrantType: &grant, ClientId: &id, ClientSecret: &secret})
		if err != nil {
			t.Fatal(err)
		}
		if tok.JSON200 == nil || tok.JSON200.AccessToken == "" || tok.JSON200.ExpiresIn <= 0 {
			t.Fatalf("token: %d %s", tok.StatusCode(), tok.Body)
		}
		bearer := func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+tok.JSON200.AccessToken)
			return nil
		}
		wrong := "khong-dung"
		if refused, err := c.IssueTokenWithFormdataBodyWithResponse(ctx, apiclient.IssueTokenFormdataRequestBody{
			GrantType: &grant, ClientId: &id, ClientSecret: &wrong}); err != nil || refused.JSON200 != nil || refused.StatusCode() != http.StatusUnauthorized {
			t.Fatalf("token with a wrong secret: %v %d %s", err, refused.StatusCode(), refused.Body)
		}

		ca, err := demo.LoadOrCreateCA(filepath.Join(ts.dataDir, "demo-ca"))
		if err != nil {
			t.Fatal(err)
		}
		pdf, err := ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay khai sinh ban sao"}), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		owner := demo.Citizens()[0]
		issued := apiclient.DateInput("2024-05-05")
		result := apiclient.AgencyResult{
			Code:      fmt.Sprintf("%s.%s.GEN-%d", owner.Code, demo.CategoryBirthCertificate, time.Now().UnixNano()%1000000),
			OwnerName: owner.Name,
			IssueDate: &issued,
		}
		result.File.InitFromBytes(pdf, "ban-sao-giay-khai-sinh.pdf")
		body, contentType := agencyResultForm(t, result)
		pushed, err := c.PushResultWithBodyWithResponse(ctx, contentType, body, bearer)
		if err != nil {
			t.Fatal(err)
		}
		if pushed.JSON201 == nil || pushed.JSON201.Code != result.Code || pushed.JSON201.OwnerId != owner.Code ||
			pushed.JSON201.IssuedOn == nil || pushed.JSON201.IssuedOn.String() != "2024-05-05" {
			t.Fatalf("push: %d %s", pushed.StatusCode(), pushed.Body)
		}
		// Without the token the same push is refused with a problem.
		body, contentType = agencyResultForm(t, result)
		if anon, err := c.PushResultWithBodyWithResponse(ctx, contentType, body); err != nil || anon.ApplicationproblemJSON401 == nil {
			t.Fatalf("push without a token: %v %d %s", err, anon.StatusCode(), anon.Body)
		}

		v, err := c.VerifyResultWithResponse(ctx, result.Code)
		if err != nil {
			t.Fatal(err)
		}
		if v.JSON200 == nil || v.JSON200.Code == nil || *v.JSON200.Code != result.Code ||
			v.JSON200.IssuedOn == nil || v.JSON200.IssuedOn.String() != "2024-05-05" ||
			v.JSON200.SignatureStatus == nil || *v.JSON200.SignatureStatus != "valid" {
			t.Fatalf("verify: %d %s", v.StatusCode(), v.Body)
		}
		if missing, err := c.VerifyResultWithResponse(ctx, result.Code+"9"); err != nil || missing.ApplicationproblemJSON404 == nil {
			t.Fatalf("verify an unknown code: %v %d %s", err, missing.StatusCode(), missing.Body)
		}
	})
}

// agencyResultForm encodes a result as the multipart form the document
// describes (oapi-codegen leaves multipart bodies to the caller).
func agencyResultForm(t *testing.T, r apiclient.AgencyResult) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fields := map[string]string{"code": r.Code, "owner_name": r.OwnerName}
	if r.IssueDate != nil {
		fields["issue_date"] = *r.IssueDate
	}
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	data, err := r.File.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	fw, err := w.CreateFormFile("file", r.File.Filename())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &b, w.FormDataContentType()
}
