package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/catalogue"
	"github.com/motcua/motcua/internal/demo"
)

// TestFormTemplates: `motcua catalogue import --templates DIR` stores the
// blank forms the components name and records their SHA-256; /thu-tuc
// offers them for download, anonymously, and serves nothing else of the
// blob store; an unsafe or missing file is refused with its JSON path and
// nothing is written.
func TestFormTemplates(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	if code := run(ctx, []string{"seed-demo", "--data-dir", dir}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("seed-demo exit %d", code)
	}
	export := func() *catalogue.Document {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run(ctx, []string{"catalogue", "export", "--data-dir", dir}, &out, &errb); code != 0 {
			t.Fatalf("export: exit %d: %s", code, errb.String())
		}
		doc, err := catalogue.Decode(&out)
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	importDoc := func(doc *catalogue.Document, templates string) (int, string) {
		t.Helper()
		var b bytes.Buffer
		if err := doc.Encode(&b); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "catalogue.json")
		if err := os.WriteFile(file, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		var out, errb bytes.Buffer
		code := run(ctx, []string{"catalogue", "import", "--data-dir", dir, "--templates", templates, file}, &out, &errb)
		return code, out.String() + errb.String()
	}
	birth := func(doc *catalogue.Document) *catalogue.Component {
		for i := range doc.Procedures {
			if doc.Procedures[i].Code == demo.ProcedureBirth {
				return &doc.Procedures[i].Components[0]
			}
		}
		t.Fatalf("no procedure %s", demo.ProcedureBirth)
		return nil
	}

	forms := t.TempDir()
	form := []byte("PK\x03\x04 tờ khai đăng ký khai sinh (mẫu)")
	if err := os.WriteFile(filepath.Join(forms, "to-khai-khai-sinh.docx"), form, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(form)
	want := hex.EncodeToString(sum[:])

	// A name outside the folder, then a missing file: refused, nothing written.
	before := export()
	for name, msg := range map[string]string{"../to-khai-khai-sinh.docx": "unsafe file name", "khong-co.docx": "no such file"} {
		doc := export()
		birth(doc).FormTemplate = name
		if code, out := importDoc(doc, forms); code != 1 || !strings.Contains(out, "procedures[") ||
			!strings.Contains(out, "components[0].form_template: ") || !strings.Contains(out, msg) {
			t.Fatalf("template %q: exit %d\n%s", name, code, out)
		}
		if got := export(); birth(got).FormTemplate != birth(before).FormTemplate {
			t.Fatalf("a refused import changed the catalogue: %+v", birth(got))
		}
	}

	doc := export()
	birth(doc).FormTemplate = "to-khai-khai-sinh.docx"
	if code, out := importDoc(doc, forms); code != 0 {
		t.Fatalf("import with templates: exit %d\n%s", code, out)
	}
	if c := birth(export()); c.FormTemplate != "to-khai-khai-sinh.docx" || c.FormTemplateSHA256 != want {
		t.Fatalf("component after import = %+v, want the form's SHA-256 %s", c, want)
	}

	ts := startServer(t, "--data-dir", dir)
	resp, page := get(t, ts.url+"/thu-tuc/"+demo.ProcedureBirth)
	link := "/thu-tuc/" + demo.ProcedureBirth + "/mau/" + want
	if resp.StatusCode != 200 || !strings.Contains(page, `href="`+link+`"`) {
		t.Fatalf("procedure page: %d, no link %s\n%s", resp.StatusCode, link, page)
	}
	resp, body := get(t, ts.url+link)
	if resp.StatusCode != 200 || body != string(form) ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), `filename=to-khai-khai-sinh.docx`) {
		t.Fatalf("download: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Disposition"), body)
	}
	// The JSON view names the file and where to download it.
	resp, body = get(t, ts.url+"/api/v1/procedures/"+demo.ProcedureBirth)
	if resp.StatusCode != 200 || !strings.Contains(body, `"form_template_sha256":"`+want+`"`) ||
		!strings.Contains(body, `"form_template_url":"`+ts.url+link+`"`) {
		t.Fatalf("/api/v1/procedures/%s: %d, no template %s\n%s", demo.ProcedureBirth, resp.StatusCode, link, body)
	}
	// Another procedure does not serve it, nor does any other hash.
	if resp, _ := get(t, ts.url+"/thu-tuc/"+demo.ProcedureMarriage+"/mau/"+want); resp.StatusCode != 404 {
		t.Fatalf("another procedure's template: %d, want 404", resp.StatusCode)
	}
	if resp, _ := get(t, ts.url+"/thu-tuc/"+demo.ProcedureBirth+"/mau/"+strings.Repeat("0", 64)); resp.StatusCode != 404 {
		t.Fatalf("an unknown hash: %d, want 404", resp.StatusCode)
	}
}
