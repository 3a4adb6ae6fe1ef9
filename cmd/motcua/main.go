// Command motcua runs the provincial one-stop e-government system.
//
//	motcua serve [--demo] [--migrate] [--addr 127.0.0.1:8080] [--data-dir DIR] [--database-url URL]
//	motcua migrate | seed-demo | catalogue export|import | blobs gc|copy|verify | audit verify | version | verify-pdf | sign-pdf
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `motcua — Hệ thống thông tin giải quyết thủ tục hành chính (one-stop e-government system)

Usage:
  motcua serve       run the HTTP server
  motcua migrate     bring the database schema up to date
  motcua seed-demo   load the demo data (An Lão district) into an empty database
  motcua report      print the reuse-rate table (Appendix I) for a period, as text or CSV
  motcua gen         generate report data sets (--preset an-lao-2024q1)
  motcua catalogue   export or import the whole catalogue (agencies, categories, procedures) as JSON
  motcua import      load a folder of signed PDFs and a CSV manifest into owners' warehouses
  motcua officer     create an officer account: officer add (the first administrator of a new installation)
  motcua kpi         the Decision 766 indicators: kpi snapshot (store a month's compilation), kpi rebuild
  motcua backup      take a consistent online backup of the embedded database and its blobs into a folder
  motcua restore     restore such a backup into a new data folder
  motcua blobs       blob store upkeep: blobs gc | blobs copy --from URL --to URL | blobs verify
  motcua audit       verify (and seal) the audit log's hash chain: audit verify | audit seal
  motcua dev-idp     run the development OpenID Connect provider (stands in for VNeID)
  motcua notify-sim  run the Zalo/SMS gateway simulator
  motcua popdb-sim   run the population-database simulator (stands in for CSDLQG về dân cư)
  motcua totp        print the current second-factor code of a demo officer
  motcua verify-pdf  verify the signatures of PDF files and print a JSON report
  motcua sign-pdf    sign a PDF with a key and certificate
  motcua healthcheck exit 0 when a running server's /healthz answers (container health checks)
  motcua version     print the version

Run "motcua COMMAND --help" for the options of a command. Every option can
also be set with an environment variable, shown in its help.
`

// run dispatches a subcommand and returns the process exit code:
// 0 success, 1 failure, 2 usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "serve":
		err = runServe(ctx, rest, stdout, stderr, nil)
	case "migrate":
		err = runMigrate(ctx, rest, stdout, stderr)
	case "seed-demo":
		err = runSeedDemo(ctx, rest, stdout, stderr)
	case "report":
		err = runReport(ctx, rest, stdout, stderr)
	case "gen":
		err = runGen(ctx, rest, stdout, stderr)
	case "import":
		err = runImport(ctx, rest, stdout, stderr)
	case "catalogue":
		err = runCatalogue(ctx, rest, stdout, stderr)
	case "audit":
		err = runAudit(ctx, rest, stdout, stderr)
	case "blobs":
		err = runBlobs(ctx, rest, stdout, stderr)
	case "backup":
		err = runBackup(ctx, rest, stdout, stderr)
	case "restore":
		err = runRestore(ctx, rest, stdout, stderr)
	case "kpi":
		err = runKPI(ctx, rest, stdout, stderr)
	case "dev-idp":
		err = runDevIdP(ctx, rest, stdout, stderr)
	case "notify-sim":
		err = runNotifySim(ctx, rest, stdout, stderr)
	case "popdb-sim":
		err = runPopdbSim(ctx, rest, stdout, stderr)
	case "totp":
		err = runTOTP(ctx, rest, stdout, stderr)
	case "verify-pdf":
		return runVerifyPDF(ctx, rest, stdout, stderr)
	case "sign-pdf":
		return runSignPDF(ctx, rest, stdout, stderr)
	case "officer":
		err = runOfficer(ctx, rest, stdout, stderr)
	case "healthcheck":
		err = runHealthcheck(ctx, rest, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "motcua", version())
		return 0
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "motcua: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintln(stderr, "motcua:", err)
		return 2
	default:
		fmt.Fprintln(stderr, "motcua:", err)
		return 1
	}
}

// usageError marks a bad command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// version returns the module version and VCS revision the binary was built from.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "-dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += " (" + rev + modified + ")"
	}
	return v
}
