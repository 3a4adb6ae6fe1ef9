package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOfficerAddBootstrapsANewInstallation: a database with a catalogue
// but no officer (a new province) gets its first administrator from
// `motcua officer add`, who then logs in with the password and the
// printed TOTP secret and reaches the officer admin page; refusals
// (missing flags, unknown agency, weak password, a taken username)
// change nothing.
func TestOfficerAddBootstrapsANewInstallation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cmd := func(wantCode int, args ...string) (string, string) {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run(ctx, args, &out, &errb); code != wantCode {
			t.Fatalf("%v: exit %d, want %d\nstdout: %s\nstderr: %s", args, code, wantCode, out.String(), errb.String())
		}
		return out.String(), errb.String()
	}
	// The demo's catalogue, exported, is the new province's catalogue.
	demoDir, dir := t.TempDir(), t.TempDir()
	cmd(0, "seed-demo", "--data-dir", demoDir)
	catalogueFile := filepath.Join(t.TempDir(), "catalogue.json")
	cmd(0, "catalogue", "export", "--data-dir", demoDir, "--output", catalogueFile)
	cmd(0, "migrate", "--data-dir", dir)
	cmd(0, "catalogue", "import", "--data-dir", dir, catalogueFile)
	var doc struct {
		Agencies []struct {
			Code string `json:"code"`
			Name string `json:"name"`
		} `json:"agencies"`
	}
	b, err := os.ReadFile(catalogueFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.Agencies) == 0 {
		t.Fatalf("catalogue: %v, %d agencies", err, len(doc.Agencies))
	}
	agency := doc.Agencies[0].Code

	_, stderr := cmd(2, "officer", "add", "--data-dir", dir, "--username", "quantri.tinh", "--agency", agency, "--role", "admin")
	if !strings.Contains(stderr, "needs --username, --name, --agency and at least one --role") {
		t.Fatalf("missing --name: %s", stderr)
	}
	_, stderr = cmd(1, "officer", "add", "--data-dir", dir, "--username", "quantri.tinh", "--name", "Nguyễn Văn Quản",
		"--agency", "000.00.00.X99", "--role", "admin")
	if !strings.Contains(stderr, "agency") {
		t.Fatalf("unknown agency: %s", stderr)
	}
	weak := filepath.Join(t.TempDir(), "weak")
	if err := os.WriteFile(weak, []byte("ngan\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr = cmd(1, "officer", "add", "--data-dir", dir, "--username", "quantri.tinh", "--name", "Nguyễn Văn Quản",
		"--agency", agency, "--role", "admin", "--password-file", weak)
	if !strings.Contains(stderr, "Mật khẩu phải có ít nhất 8 ký tự") {
		t.Fatalf("weak password: %s", stderr)
	}

	// A generated password, printed once with the TOTP secret.
	out, _ := cmd(0, "officer", "add", "--data-dir", dir, "--username", "quantri.tinh", "--name", "Nguyễn Văn Quản",
		"--agency", agency, "--role", "admin,monitor")
	password := regexp.MustCompile(`(?m)^password: (\S+)$`).FindStringSubmatch(out)
	secret := regexp.MustCompile(`(?m)^TOTP secret: ([A-Z2-7]+)$`).FindStringSubmatch(out)
	if password == nil || secret == nil || !strings.Contains(out, "otpauth://totp/motcua:quantri.tinh?secret="+secret[1]) {
		t.Fatalf("officer add printed:\n%s", out)
	}
	// A password from a file; the username is taken now.
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("mat-khau-tiep-nhan\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr = cmd(1, "officer", "add", "--data-dir", dir, "--username", "quantri.tinh", "--name", "Người Khác",
		"--agency", agency, "--role", "reception", "--password-file", pwFile)
	if stderr == "" {
		t.Fatal("a taken username was accepted")
	}
	out, _ = cmd(0, "officer", "add", "--data-dir", dir, "--username", "tiepnhan.moi", "--name", "Trần Thị Mới",
		"--agency", agency, "--role", "reception", "--password-file", pwFile)
	if strings.Contains(out, "password:") {
		t.Fatalf("a password read from a file is printed:\n%s", out)
	}

	// The administrator logs in on a server of that database (no demo)
	// and sees both accounts; the audit log names the operator.
	ts := startServer(t, "--data-dir", dir)
	admin := officerLogin(t, ts, "quantri.tinh", password[1], secret[1])
	resp, body := admin.get(ts.url + "/quan-tri/can-bo")
	if resp.StatusCode != 200 || !strings.Contains(body, "tiepnhan.moi") || !strings.Contains(body, "Trần Thị Mới") {
		t.Fatalf("officer list: %d\n%s", resp.StatusCode, body)
	}
	out, _ = cmd(0, "audit", "verify", "--data-dir", dir)
	if !strings.Contains(out, "intact") {
		t.Fatalf("audit verify:\n%s", out)
	}
}
