package main

import (
	"bytes"
	"context"
	"debug/elf"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
)

// deployDir is the repository's deploy folder (tests run in cmd/motcua).
const deployDir = "../../deploy"

// helpOf returns the --help text of a subcommand: every flag and the
// environment variable it reads.
func helpOf(t *testing.T, cmd string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{cmd, "--help"}, &out, &errb); code != 0 {
		t.Fatalf("%s --help: exit %d: %s", cmd, code, errb.String())
	}
	return out.String() + errb.String()
}

// TestDeployFilesNameRealOptions checks that every MOTCUA_ variable and
// every motcua flag the container, compose, systemd and environment files
// use is one the commands read: a misspelt variable is silently ignored.
func TestDeployFilesNameRealOptions(t *testing.T) {
	t.Parallel()
	help := helpOf(t, "serve") + helpOf(t, "migrate") + helpOf(t, "healthcheck")
	envs := map[string]bool{}
	for _, m := range regexp.MustCompile(`\$(MOTCUA_[A-Z0-9_]+)`).FindAllStringSubmatch(help, -1) {
		envs[m[1]] = true
	}
	flags := map[string]bool{"help": true}
	for _, m := range regexp.MustCompile(`(?m)^\s+-([a-z0-9-]+)`).FindAllStringSubmatch(help, -1) {
		flags[m[1]] = true
	}
	if !envs["MOTCUA_DATABASE_URL"] || !envs["MOTCUA_SECURE_COOKIES"] || !flags["blob-url"] || !flags["public-url"] {
		t.Fatalf("the help texts were not parsed: %d variables, %d flags", len(envs), len(flags))
	}
	files, err := filepath.Glob(filepath.Join(deployDir, "*"))
	if err != nil || len(files) < 5 {
		t.Fatalf("deploy files: %v %v", files, err)
	}
	envRef := regexp.MustCompile(`\bMOTCUA_[A-Z0-9_]+`)
	// A flag on a motcua command line: after "motcua <command>" on the
	// same line, or in a JSON-array command of the container files.
	flagRef := regexp.MustCompile(`"--([a-z0-9-]+)"|motcua (?:serve|migrate|healthcheck)[^\n]*`)
	seen := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		for _, v := range envRef.FindAllString(text, -1) {
			seen++
			if !envs[v] {
				t.Errorf("%s names %s, which no motcua command reads", filepath.Base(f), v)
			}
		}
		if filepath.Base(f) == "compose.yaml" || filepath.Base(f) == "Caddyfile" {
			continue // their "--x" arguments belong to other programs
		}
		for _, m := range flagRef.FindAllStringSubmatch(text, -1) {
			names := []string{m[1]}
			if m[1] == "" {
				names = nil
				for _, fm := range regexp.MustCompile(` --([a-z0-9-]+)`).FindAllStringSubmatch(m[0], -1) {
					names = append(names, fm[1])
				}
			}
			for _, name := range names {
				if !flags[name] {
					t.Errorf("%s uses the flag --%s, which no motcua command has", filepath.Base(f), name)
				}
			}
		}
	}
	if seen < 10 {
		t.Fatalf("only %d MOTCUA_ variables found in the deploy files", seen)
	}
}

// TestContainerfileBuildsStaticBinary runs the Containerfile's build
// command and checks that the result is a static executable: no program
// interpreter and no dynamic section, so it runs on a distroless/static
// base without libc.
func TestContainerfileBuildsStaticBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join(deployDir, "Containerfile"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(raw), "\\\n", " ")
	m := regexp.MustCompile(`RUN CGO_ENABLED=0 GOOS=linux go build ([^\n]*?)-o /out/motcua ./cmd/motcua`).FindStringSubmatch(text)
	if m == nil {
		t.Fatal("no `CGO_ENABLED=0 GOOS=linux go build … -o /out/motcua ./cmd/motcua` in the Containerfile")
	}
	args := []string{"build"}
	args = append(args, shellWords(m[1])...)
	out := filepath.Join(t.TempDir(), "motcua")
	args = append(args, "-o", out, ".")
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, msg)
	}
	f, err := elf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary has a %v program header: it is dynamically linked", p.Type)
		}
	}
	if f.Section(".dynamic") != nil || f.Section(".interp") != nil {
		t.Error("the binary has a .dynamic or .interp section")
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs %v", libs)
	}
	// The image's HEALTHCHECK and ENTRYPOINT name subcommands that exist.
	if !strings.Contains(text, `"healthcheck", "--url", "http://127.0.0.1:8080/healthz"`) {
		t.Error("the Containerfile's HEALTHCHECK does not run `motcua healthcheck --url …/healthz`")
	}
}

// shellWords splits a command line's arguments, keeping double-quoted
// words together.
func shellWords(s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`"([^"]*)"|(\S+)`).FindAllStringSubmatch(s, -1) {
		if m[2] != "" {
			out = append(out, m[2])
		} else {
			out = append(out, m[1])
		}
	}
	return out
}

func TestHealthcheck(t *testing.T) {
	t.Parallel()
	var status atomic.Int32
	status.Store(http.StatusOK)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(int(status.Load()))
	}))
	defer srv.Close()
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"healthcheck", "--url", srv.URL + "/healthz"}, &out, &errb); code != 0 {
		t.Fatalf("healthy server: exit %d: %s", code, errb.String())
	}
	status.Store(http.StatusServiceUnavailable)
	errb.Reset()
	if code := run(context.Background(), []string{"healthcheck", "--url", srv.URL + "/healthz"}, &out, &errb); code != 1 ||
		!strings.Contains(errb.String(), "503") {
		t.Fatalf("unhealthy server: exit %d: %s", code, errb.String())
	}
	srv.Close()
	errb.Reset()
	if code := run(context.Background(), []string{"healthcheck", "--url", srv.URL + "/healthz"}, &out, &errb); code != 1 {
		t.Fatalf("no server: exit %d: %s", code, errb.String())
	}
}
