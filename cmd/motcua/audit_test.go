package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pgtest"
)

// TestAuditVerify seals and verifies a log, then changes a sealed event
// behind the program's back, on both backends.
func TestAuditVerify(t *testing.T) {
	t.Parallel()
	for name, db := range map[string]func(t *testing.T) commonConfig{
		"sqlite": func(t *testing.T) commonConfig { return commonConfig{DataDir: t.TempDir()} },
		"postgres": func(t *testing.T) commonConfig {
			return commonConfig{DataDir: t.TempDir(), DatabaseURL: pgtest.SchemaURL(t)}
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := db(t)
			where := []string{"--data-dir", cfg.DataDir}
			if cfg.DatabaseURL != "" {
				where = append(where, "--database-url", cfg.DatabaseURL)
			}
			ctx := context.Background()
			audit := func(args ...string) (code int, stdout, stderr string) {
				var out, errb bytes.Buffer
				code = run(ctx, append(append([]string{"audit"}, args...), where...), &out, &errb)
				return code, out.String(), errb.String()
			}
			if code, _, stderr := audit("verify"); code != 1 || !strings.Contains(stderr, "motcua migrate") {
				t.Fatalf("verify before migrating: exit %d, %s", code, stderr)
			}
			if code := run(ctx, append([]string{"migrate"}, where...), io.Discard, io.Discard); code != 0 {
				t.Fatalf("migrate: exit %d", code)
			}
			store, _, err := cfg.openStore(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			for i := range 5 {
				must(t, store.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: "officer", ActorID: "tiepnhan.anhoa",
					Action: "dossier.receive", ObjectKind: "dossier", ObjectID: fmt.Sprintf("d%d", i)}))
			}

			code, stdout, stderr := audit("verify", "--no-seal")
			if code != 0 || !strings.Contains(stdout, "audit chain intact: 0 events sealed (0 just now), 5 unsealed") {
				t.Fatalf("verify --no-seal: exit %d, %q, %q", code, stdout, stderr)
			}
			code, stdout, stderr = audit("verify")
			if code != 0 || !strings.Contains(stdout, "audit chain intact: 5 events sealed (5 just now), 0 unsealed; head event 5, hash ") {
				t.Fatalf("verify: exit %d, %q, %q", code, stdout, stderr)
			}
			must(t, store.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: "system", Action: "x", ObjectKind: "y", ObjectID: "z"}))
			if code, stdout, _ = audit("seal"); code != 0 || !strings.Contains(stdout, "sealed 1 audit event(s)") {
				t.Fatalf("seal: exit %d, %q", code, stdout)
			}

			// Someone with the database's credentials drops the guard and
			// rewrites an event.
			guard := map[string]string{
				"sqlite":   "DROP TRIGGER audit_events_no_update",
				"postgres": "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update",
			}[store.Dialect().Name()]
			if _, err := store.DB().ExecContext(ctx, guard); err != nil {
				t.Fatal(err)
			}
			if _, err := store.DB().ExecContext(ctx, "UPDATE audit_events SET actor_id = 'someone.else' WHERE chain_seq = 2"); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr = audit("verify")
			if code != 1 || !strings.Contains(stdout, "audit chain BROKEN at event 2 (id ") ||
				!strings.Contains(stderr, "audit chain broken at event 2: event 2 was changed after it was sealed") {
				t.Fatalf("verify after tampering: exit %d, %q, %q", code, stdout, stderr)
			}
			code, stdout, _ = audit("verify", "--json")
			var v struct {
				Database  string `json:"database"`
				SealedNow int    `json:"sealed_now"`
				motcua.AuditVerification
			}
			if err := json.Unmarshal([]byte(stdout), &v); err != nil {
				t.Fatalf("verify --json: %v\n%s", err, stdout)
			}
			if code != 1 || v.OK || v.BrokenSeq != 2 || v.BrokenID == "" || v.Sealed != 6 || v.Database == "" {
				t.Fatalf("verify --json after tampering: exit %d, %+v", code, v)
			}
		})
	}
}

func TestAuditCommandLine(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args     []string
		code     int
		inStderr string
	}{
		{[]string{"audit"}, 2, "needs a subcommand"},
		{[]string{"audit", "frobnicate"}, 2, `unknown audit subcommand "frobnicate"`},
		{[]string{"audit", "verify", "extra"}, 2, "unexpected arguments"},
		{[]string{"audit", "verify", "--help"}, 0, "-no-seal"},
		{[]string{"audit", "seal", "--database-url", "mysql://x"}, 2, "must start with postgres://"},
	} {
		var stderr bytes.Buffer
		if code := run(context.Background(), c.args, io.Discard, &stderr); code != c.code || !strings.Contains(stderr.String(), c.inStderr) {
			t.Errorf("motcua %v: exit %d, stderr %q; want exit %d with %q", c.args, code, stderr.String(), c.code, c.inStderr)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
