package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/catalogue"
)

const catalogueUsage = `Usage: motcua catalogue export|import [options]

  export [--output FILE]      write the whole catalogue (agencies, document
                              categories, procedures with cases and
                              components) as one JSON document, sorted by
                              code: the same catalogue gives the same bytes
  import [--dry-run] [--templates DIR] FILE
                              create or update, by national code, everything
                              FILE holds, in one transaction: a change to a
                              procedure makes a new version, an unchanged
                              entity is not written; every problem is
                              printed with its JSON path and nothing is
                              written; safe while the server runs; with
                              --templates, the blank forms the components
                              name are stored and offered on /thu-tuc

The format is described in docs/catalogue.md and by the JSON Schema served
at /api/v1/catalogue.schema.json. Run "motcua catalogue import --help" for
the options.
`

// runCatalogue exports and imports the catalogue.
func runCatalogue(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runGroup(ctx, "catalogue", catalogueUsage, []subcommand{{"export", runCatalogueExport}, {"import", runCatalogueImport}}, args, stdout, stderr)
}

func runCatalogueExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg commonConfig
	fs := newFlagSet("catalogue export", "Write the whole catalogue as one JSON document (see docs/catalogue.md).", stderr)
	cfg.register(fs)
	output := fs.String("output", "", "write to `FILE` instead of the standard output")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	store, _, err := cfg.openMigratedStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	var doc *catalogue.Document
	// One transaction: a consistent snapshot while others write.
	if err := store.InTx(ctx, func(tx motcua.Store) error {
		doc, err = catalogue.Export(ctx, tx)
		return err
	}); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := doc.Encode(&buf); err != nil {
		return err
	}
	if *output == "" {
		_, err = stdout.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(*output, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write catalogue: %w", err)
	}
	fmt.Fprintf(stderr, "%s: %d agencies, %d document categories, %d procedures\n",
		*output, len(doc.Agencies), len(doc.Categories), len(doc.Procedures))
	return nil
}

func runCatalogueImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg commonConfig
	fs := newFlagSet("catalogue import", "Create or update the catalogue from FILE (see docs/catalogue.md), all or nothing.\n"+
		"Usage: motcua catalogue import [options] FILE", stderr)
	cfg.register(fs)
	dryRun := fs.Bool("dry-run", false, "check FILE and print what would change, writing nothing")
	templates := fs.String("templates", "", "folder of the blank forms the components' form_template names: each is\n"+
		"stored in the blob store and its SHA-256 set, so that /thu-tuc offers it for download")
	files, err := parseFlagsAndArgs(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usageError{"catalogue import needs exactly one FILE"}
	}
	f, err := os.Open(files[0])
	if err != nil {
		return err
	}
	doc, err := catalogue.Decode(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", files[0], err)
	}
	if *templates != "" {
		if err := attachTemplates(ctx, &cfg, doc, *templates, *dryRun); err != nil {
			return err
		}
	}
	store, where, err := cfg.openMigratedStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	who := "cli"
	if u, err := user.Current(); err == nil {
		who = "cli:" + u.Username
	}
	res, err := catalogue.Import(ctx, store, doc, catalogue.Options{DryRun: *dryRun,
		Audit: &motcua.AuditEvent{ActorKind: "system", ActorID: who}})
	var verr *catalogue.ValidationError
	if errors.As(err, &verr) {
		for _, p := range verr.Problems {
			fmt.Fprintln(stderr, p)
		}
		return fmt.Errorf("%s: refused, %d problems; nothing was written", files[0], len(verr.Problems))
	}
	if err != nil {
		return err
	}
	printImport(stdout, where, res)
	return nil
}

func printImport(w io.Writer, where string, res *catalogue.Result) {
	switch {
	case res.DryRun && res.Changed():
		fmt.Fprintf(w, "%s: dry run, nothing was written; the import would make these changes:\n", where)
	case res.DryRun:
		fmt.Fprintf(w, "%s: dry run, nothing was written; the import would change nothing\n", where)
	case res.Changed():
		fmt.Fprintf(w, "%s: catalogue imported:\n", where)
	default:
		fmt.Fprintf(w, "%s: catalogue already up to date; nothing changed\n", where)
	}
	for _, k := range []struct {
		name string
		c    catalogue.Counts
	}{{"agencies", res.Agencies}, {"categories", res.Categories}, {"procedures", res.Procedures}} {
		fmt.Fprintf(w, "  %-11s created %d, updated %d, unchanged %d\n", k.name+":", k.c.Created, k.c.Updated, k.c.Unchanged)
	}
}

// attachTemplates stores in the blob store the file dir/<form_template> of
// every component that names one without its SHA-256, and sets the
// SHA-256; a dry run only computes it. A missing or unsafe file name is an
// error naming the component's JSON path.
func attachTemplates(ctx context.Context, cfg *commonConfig, doc *catalogue.Document, dir string, dryRun bool) error {
	blobs, err := cfg.openBlobs()
	if err != nil {
		return err
	}
	var problems []string
	attach := func(path string, comps []catalogue.Component) {
		for i := range comps {
			c := &comps[i]
			if c.FormTemplate == "" || c.FormTemplateSHA256 != "" {
				continue
			}
			cpath := fmt.Sprintf("%s[%d].form_template", path, i)
			name := filepath.FromSlash(c.FormTemplate)
			if err := catalogue.CheckTemplateName(c.FormTemplate); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", cpath, err))
				continue
			}
			if !filepath.IsLocal(name) {
				problems = append(problems, fmt.Sprintf("%s: unsafe file name %q", cpath, c.FormTemplate))
				continue
			}
			sum, err := storeTemplate(ctx, blobs, filepath.Join(dir, name), dryRun)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", cpath, err))
				continue
			}
			c.FormTemplateSHA256 = sum
		}
	}
	for i := range doc.Procedures {
		p := &doc.Procedures[i]
		attach(fmt.Sprintf("procedures[%d].components", i), p.Components)
		for j := range p.Cases {
			attach(fmt.Sprintf("procedures[%d].cases[%d].components", i, j), p.Cases[j].Components)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("form templates in %s:\n%s", dir, strings.Join(problems, "\n"))
	}
	return nil
}

// storeTemplate stores the file (or, on a dry run, only hashes it) and
// returns its SHA-256.
func storeTemplate(ctx context.Context, blobs motcua.BlobStore, file string, dryRun bool) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if dryRun {
		h := sha256.New()
		n, err := io.Copy(h, io.LimitReader(f, catalogue.MaxTemplateSize+1))
		if err != nil {
			return "", err
		}
		if n > catalogue.MaxTemplateSize {
			return "", fmt.Errorf("larger than %d MiB", catalogue.MaxTemplateSize>>20)
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	sum, err := catalogue.PutTemplate(ctx, blobs, f)
	if err != nil {
		return "", fmt.Errorf("%s", motcua.ErrorMessage(err))
	}
	return sum, nil
}
