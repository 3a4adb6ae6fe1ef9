package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/term"

	"github.com/motcua/motcua"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/importer"
)

type importConfig struct {
	commonConfig
	trustConfig
	Dir      string
	Manifest string
	Rejects  string
	Workers  int
	DemoCA   bool
}

// rowsRejectedError is the result of an import that finished with some
// rows rejected: exit code 1, the rejects file says which and why.
type rowsRejectedError struct {
	rejected int
	path     string
}

func (e rowsRejectedError) Error() string {
	return fmt.Sprintf("%d row(s) rejected; see %s", e.rejected, e.path)
}

// runImport implements "motcua import": a folder of signed PDFs and a CSV
// manifest (docs/import.md) loaded into the owners' warehouses.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return importResults(ctx, args, stdout, stderr, nil)
}

// importResults is runImport with a hook called after each row, in
// manifest order; tests use it to interrupt an import at a known row.
func importResults(ctx context.Context, args []string, stdout, stderr io.Writer, onRow func(importer.Outcome)) error {
	var cfg importConfig
	fs := newFlagSet("import", "Load a folder of signed result PDFs, described by a CSV manifest, into the owners' "+
		"warehouses (docs/import.md). Rows already imported are skipped, so an interrupted import is finished by "+
		"running the same command again. The database schema must be up to date (motcua migrate).", stderr)
	cfg.commonConfig.register(fs)
	cfg.trustConfig.register(fs)
	fs.StringVar(&cfg.Dir, "dir", "", "folder holding the PDFs and the manifest (required)")
	fs.StringVar(&cfg.Manifest, "manifest", "", "CSV manifest (default DIR/manifest.csv)")
	fs.StringVar(&cfg.Rejects, "rejects", "", "CSV file to write the rejected rows to (default DIR/rejects-YYYYMMDD-HHMMSS.csv, "+
		"left out when no row is rejected)")
	fs.IntVar(&cfg.Workers, "workers", 2, "rows verified and stored in parallel")
	fs.BoolVar(&cfg.DemoCA, "demo-ca", false, "also trust the demo CA of the data folder (DATA-DIR/demo-ca), to try the import with demo-signed files")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if cfg.Dir == "" {
		return usageError{"--dir is required: the folder holding the PDFs and the manifest"}
	}
	if st, err := os.Stat(cfg.Dir); err != nil || !st.IsDir() {
		return usageError{fmt.Sprintf("--dir %s is not a folder", cfg.Dir)}
	}
	if cfg.Workers < 1 || cfg.Workers > 64 {
		return usageError{"--workers must be between 1 and 64"}
	}
	if cfg.Manifest == "" {
		cfg.Manifest = filepath.Join(cfg.Dir, "manifest.csv")
	}
	logger, err := cfg.logger(stderr)
	if err != nil {
		return err
	}

	rows, err := readManifest(cfg.Manifest)
	if err != nil {
		return err
	}
	store, where, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.CheckSchema(ctx); err != nil {
		return fmt.Errorf("import does not migrate the database; run `motcua migrate` first: %w", err)
	}
	if cfg.TrustDir == "" && !cfg.DemoCA {
		// The administrators' trust anchors (/quan-tri/chung-thu-so) are
		// trusted as by the server; without any, every file would be
		// refused.
		if ok, err := storedAnchorsEnabled(ctx, store); err != nil {
			return err
		} else if !ok {
			return usageError{"no trusted certificates: give --trust-dir (the roots agencies' signatures chain to), " +
				"or --demo-ca for files signed by the demo CA, or add trust anchors at /quan-tri/chung-thu-so; " +
				"otherwise every file would be refused"}
		}
	}
	// A new demo CA cannot have signed the files: the database's (or
	// the data folder's) is used, never made.
	wh, _, _, err := openWarehouse(ctx, &cfg.commonConfig, &cfg.trustConfig, store, cfg.DemoCA, false)
	if errors.Is(err, demo.ErrNoSharedCA) {
		return usageError{fmt.Sprintf("--demo-ca: no demo CA in the database or in %s (it is made by `motcua serve --demo`)", demoCADir(cfg.DataDir))}
	}
	if err != nil {
		return err
	}

	// The rejects file is created before the first row, so that an
	// unwritable place is known before any work is done.
	rejectsPath, defaultRejects := cfg.Rejects, cfg.Rejects == ""
	var rf *os.File
	if defaultRejects {
		rf, rejectsPath, err = createRejectsFile(cfg.Dir, time.Now())
	} else {
		rf, err = os.Create(rejectsPath)
	}
	if err != nil {
		return fmt.Errorf("create the rejects file (choose another place with --rejects): %w", err)
	}
	defer rf.Close()
	rejects, err := importer.NewRejectsWriter(rf)
	if err != nil {
		return err
	}

	var progress importer.Progress = &importer.LogProgress{Logger: logger, Every: 500, Interval: 5 * time.Second}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		progress = importer.NewTerminalProgress(stderr)
	}
	logger.Info("import started", "manifest", cfg.Manifest, "rows", len(rows), "database", where, "workers", cfg.Workers)
	sum, runErr := importer.Run(ctx, importer.Options{Dir: cfg.Dir, Rows: rows, Store: store, Warehouse: wh,
		Workers: cfg.Workers, Rejects: rejects, Progress: progress, OnRow: onRow})
	if sum == nil {
		return runErr
	}
	if err := rf.Close(); err != nil && runErr == nil {
		runErr = fmt.Errorf("write the rejects file: %w", err)
	}
	if defaultRejects && sum.Rejected == 0 {
		_ = os.Remove(rejectsPath)
	}
	if err := sum.WriteSummary(stdout, rejectsPath); err != nil {
		return err
	}
	logger.Info("import finished", "imported", sum.Imported, "skipped", sum.Skipped, "rejected", sum.Rejected,
		"not_done", sum.Total-sum.Done(), "duration", sum.Elapsed().Round(time.Millisecond).String())
	switch {
	case runErr != nil:
		return fmt.Errorf("import stopped after %d of %d rows (run it again to finish): %w", sum.Done(), sum.Total, runErr)
	case sum.Interrupted:
		return fmt.Errorf("import interrupted after %d of %d rows; run the same command again to finish", sum.Done(), sum.Total)
	case sum.Rejected > 0:
		return rowsRejectedError{rejected: sum.Rejected, path: rejectsPath}
	}
	return nil
}

// readManifest reads the manifest file; a manifest that cannot be read
// is a usage error, as nothing was done.
func readManifest(path string) ([]importer.Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usageError{fmt.Sprintf("manifest: %v", err)}
	}
	defer f.Close()
	rows, err := importer.ReadManifest(f)
	var me *importer.ManifestError
	if errors.As(err, &me) {
		return nil, usageError{fmt.Sprintf("%s: %v", path, err)}
	}
	return rows, err
}

// createRejectsFile creates DIR/rejects-YYYYMMDD-HHMMSS.csv, adding -2,
// -3… rather than overwriting the file of a run in the same second.
func createRejectsFile(dir string, now time.Time) (*os.File, string, error) {
	base := filepath.Join(dir, "rejects-"+now.Format("20060102-150405"))
	for i := 1; ; i++ {
		path := base + ".csv"
		if i > 1 {
			path = fmt.Sprintf("%s-%d.csv", base, i)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
		if errors.Is(err, os.ErrExist) && i < 100 {
			continue
		}
		return f, path, err
	}
}

// storedAnchorsEnabled reports whether the database holds an enabled
// trust anchor.
func storedAnchorsEnabled(ctx context.Context, store motcua.Store) (bool, error) {
	list, err := store.ListTrustAnchors(ctx)
	if err != nil {
		return false, err
	}
	for _, a := range list {
		if !a.Disabled {
			return true, nil
		}
	}
	return false, nil
}
