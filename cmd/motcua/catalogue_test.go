package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/catalogue"
	"github.com/motcua/motcua/internal/demo"
)

// TestCatalogueCommands: export → import round trip, a refused import
// that changes nothing, a dry run, an update that makes a new version,
// and idempotence, on both backends.
func TestCatalogueCommands(t *testing.T) {
	t.Parallel()
	for name, db := range backendFlags {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			where := db(t)
			dir := t.TempDir()
			ctx := context.Background()
			cmd := func(wantCode int, args ...string) (string, string) {
				t.Helper()
				var out, errb bytes.Buffer
				if code := run(ctx, append(args, where...), &out, &errb); code != wantCode {
					t.Fatalf("%v: exit %d, want %d\nstdout: %s\nstderr: %s", args, code, wantCode, out.String(), errb.String())
				}
				return out.String(), errb.String()
			}
			exportFile := func(name string) []byte {
				t.Helper()
				path := filepath.Join(dir, name)
				cmd(0, "catalogue", "export", "--output", path)
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			cmd(0, "seed-demo")
			first := exportFile("first.json")
			if stdout, _ := cmd(0, "catalogue", "export"); stdout != string(first) {
				t.Fatal("export to the standard output differs from export to a file")
			}

			out, _ := cmd(0, "catalogue", "import", filepath.Join(dir, "first.json"))
			if !strings.Contains(out, "nothing changed") || !strings.Contains(out, "procedures: created 0, updated 0, unchanged 7") {
				t.Fatalf("re-import of the export:\n%s", out)
			}

			var doc map[string]any
			if err := json.Unmarshal(first, &doc); err != nil {
				t.Fatal(err)
			}
			procs := doc["procedures"].([]any)
			idx := -1
			for i, p := range procs {
				if p.(map[string]any)["code"] == demo.ProcedureBirth {
					idx = i
				}
			}
			birth := procs[idx].(map[string]any)
			comps := birth["components"].([]any)
			comp := comps[len(comps)-1].(map[string]any)
			comp["accepted_categories"] = append(comp["accepted_categories"].([]any), "KQ.G99.000001")
			birth["name"] = "Đăng ký khai sinh (đã sửa)"
			bad := filepath.Join(dir, "bad.json")
			writeJSON(t, bad, doc)
			_, stderr := cmd(1, "catalogue", "import", bad)
			wantLine := "procedures[" + strconv.Itoa(idx) + "].components[" + strconv.Itoa(len(comps)-1) + "].accepted_categories[" +
				strconv.Itoa(len(comp["accepted_categories"].([]any))-1) + "]: unknown category KQ.G99.000001"
			if !strings.Contains(stderr, wantLine+"\n") || !strings.Contains(stderr, "nothing was written") {
				t.Fatalf("refused import stderr:\n%s\nwant the line %s", stderr, wantLine)
			}
			if after := exportFile("after-refusal.json"); !bytes.Equal(first, after) {
				t.Fatal("a refused import changed the catalogue")
			}

			// A valid change: dry run first, then for real, then again.
			comp["accepted_categories"] = comp["accepted_categories"].([]any)[:len(comp["accepted_categories"].([]any))-1]
			good := filepath.Join(dir, "good.json")
			writeJSON(t, good, doc)
			out, _ = cmd(0, "catalogue", "import", "--dry-run", good)
			if !strings.Contains(out, "dry run, nothing was written") || !strings.Contains(out, "procedures: created 0, updated 1, unchanged 6") {
				t.Fatalf("dry run:\n%s", out)
			}
			if after := exportFile("after-dry-run.json"); !bytes.Equal(first, after) {
				t.Fatal("a dry run changed the catalogue")
			}
			out, _ = cmd(0, "catalogue", "import", good, "--dry-run=false")
			if !strings.Contains(out, "catalogue imported") || !strings.Contains(out, "procedures: created 0, updated 1, unchanged 6") {
				t.Fatalf("import:\n%s", out)
			}
			second := exportFile("second.json")
			if bytes.Equal(first, second) || !bytes.Contains(second, []byte("Đăng ký khai sinh (đã sửa)")) {
				t.Fatal("the import did not change the export")
			}
			out, _ = cmd(0, "catalogue", "import", good)
			if !strings.Contains(out, "nothing changed") {
				t.Fatalf("second import:\n%s", out)
			}
			if third := exportFile("third.json"); !bytes.Equal(second, third) {
				t.Fatal("an import that changed nothing changed the export")
			}

			// Usage errors.
			cmd(2, "catalogue", "import")
			cmd(2, "catalogue", "frobnicate")
		})
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCatalogueWhileServing: the schema is served without login, and
// export and import run while the server runs.
func TestCatalogueWhileServing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ts := startServer(t, "--demo", "--data-dir", dir)
	resp, body := get(t, ts.url+"/api/v1/catalogue.schema.json")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/schema+json" || body != string(catalogue.Schema) {
		t.Fatalf("schema: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if _, body := get(t, ts.url+"/api/v1/openapi.json"); !strings.Contains(body, `"/api/v1/catalogue.schema.json"`) {
		t.Fatal("the OpenAPI document does not list the schema")
	}

	ctx := context.Background()
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"catalogue", "export", "--data-dir", dir}, &out, &errb); code != 0 {
		t.Fatalf("export while serving: %d %s", code, errb.String())
	}
	doc, err := catalogue.Decode(&out)
	if err != nil {
		t.Fatal(err)
	}
	for i := range doc.Procedures {
		if doc.Procedures[i].Code == demo.ProcedureDeath {
			doc.Procedures[i].Name = "Đăng ký khai tử (sửa đổi)"
		}
	}
	path := filepath.Join(t.TempDir(), "c.json")
	var buf bytes.Buffer
	if err := doc.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := run(ctx, []string{"catalogue", "import", "--data-dir", dir, path}, &out, &errb); code != 0 {
		t.Fatalf("import while serving: %d %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "procedures: created 0, updated 1, unchanged 6") {
		t.Fatalf("import: %s", out.String())
	}
	// The server keeps serving (its cached copy of the catalogue turns
	// over within 30 seconds); a new reader sees the change at once.
	if resp, _ := get(t, ts.url+"/api/v1/procedures"); resp.StatusCode != 200 {
		t.Fatalf("procedures after the import: %d", resp.StatusCode)
	}
	out.Reset()
	if code := run(ctx, []string{"catalogue", "export", "--data-dir", dir}, &out, &errb); code != 0 {
		t.Fatalf("export after the import: %d %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "Đăng ký khai tử (sửa đổi)") {
		t.Fatal("the import made while serving is not in the catalogue")
	}
}
