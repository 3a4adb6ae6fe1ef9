package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/motcua/motcua"
)

const auditUsage = `Usage: motcua audit verify|seal [options]

  verify  seal the audit events not yet in the hash chain, then recompute the
          whole chain; exit status 1 when an event was changed, removed or
          reordered after it was sealed
  seal    add the audit events not yet in the hash chain to it

Run "motcua audit verify --help" for the options.
`

// runAudit seals and checks the audit log's hash chain.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runGroup(ctx, "audit", auditUsage, []subcommand{{"verify", runAuditVerify}, {"seal", runAuditSeal}}, args, stdout, stderr)
}

func runAuditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg commonConfig
	fs := newFlagSet("audit verify", "Seal the audit events not yet in the hash chain, then recompute the whole chain.\n"+
		"Exit status 1 when an event was changed, removed or reordered after it was sealed.", stderr)
	cfg.register(fs)
	noSeal := fs.Bool("no-seal", false, "only verify, leaving events not yet sealed to the next seal")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	store, where, err := cfg.openMigratedStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	sealedNow := 0
	if !*noSeal {
		if sealedNow, err = store.SealAudit(ctx); err != nil {
			return err
		}
	}
	v, err := store.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err := enc.Encode(struct {
			Database  string `json:"database"`
			SealedNow int    `json:"sealed_now"`
			motcua.AuditVerification
		}{where, sealedNow, v})
		if err != nil {
			return err
		}
	} else if v.OK {
		fmt.Fprintf(stdout, "%s: audit chain intact: %d events sealed (%d just now), %d unsealed; head event %d, hash %s\n",
			where, v.Sealed, sealedNow, v.Unsealed, v.HeadSeq, orNone(v.HeadHash))
	} else {
		id := ""
		if v.BrokenID != "" {
			id = " (id " + v.BrokenID + ")"
		}
		fmt.Fprintf(stdout, "%s: audit chain BROKEN at event %d%s: %s; %d events sealed, %d unsealed\n",
			where, v.BrokenSeq, id, v.Problem, v.Sealed, v.Unsealed)
	}
	if !v.OK {
		return fmt.Errorf("audit chain broken at event %d: %s", v.BrokenSeq, v.Problem)
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func runAuditSeal(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg commonConfig
	fs := newFlagSet("audit seal", "Add the audit events not yet in the hash chain to it. `motcua serve` does this every few seconds.", stderr)
	cfg.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	store, where, err := cfg.openMigratedStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	n, err := store.SealAudit(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: sealed %d audit event(s)\n", where, n)
	return nil
}
