package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/postgres"
	"github.com/motcua/motcua/internal/sqldb"
	"github.com/motcua/motcua/internal/sqlite"
)

// commonConfig holds the options every subcommand accepts.
type commonConfig struct {
	DataDir     string
	DatabaseURL string
	LogFormat   string
	LogLevel    string
	BlobURL     string

	blobs blob.Store // opened once: the warehouse and the web share it
}

// envDefault returns the environment variable's value, or def.
func envDefault(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// envFalse reports whether the variable is set to a false value.
func envFalse(name string) bool {
	switch strings.ToLower(os.Getenv(name)) {
	case "0", "false", "no", "off":
		return true
	}
	return false
}

func envBool(name string) bool {
	switch strings.ToLower(os.Getenv(name)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

func (c *commonConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data-dir", envDefault("MOTCUA_DATA_DIR", "./motcua-data"),
		"folder for the SQLite database and the PDF blob store [$MOTCUA_DATA_DIR]")
	fs.StringVar(&c.DatabaseURL, "database-url", envDefault("MOTCUA_DATABASE_URL", ""),
		"postgres://… URL to use PostgreSQL instead of the embedded SQLite database [$MOTCUA_DATABASE_URL]")
	fs.StringVar(&c.BlobURL, "blob-url", envDefault("MOTCUA_BLOB_URL", ""),
		"where PDFs and form templates are stored: file:///path or s3://BUCKET/PREFIX?endpoint=http://HOST:PORT&region=REGION&path_style=true "+
			"(credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN); default <data-dir>/blobs [$MOTCUA_BLOB_URL]")
	fs.StringVar(&c.LogFormat, "log-format", envDefault("MOTCUA_LOG_FORMAT", "auto"),
		"log format: auto (text on a terminal, JSON otherwise), text or json [$MOTCUA_LOG_FORMAT]")
	fs.StringVar(&c.LogLevel, "log-level", envDefault("MOTCUA_LOG_LEVEL", "info"),
		"log level: debug, info, warn or error [$MOTCUA_LOG_LEVEL]")
}

// newFlagSet builds a flag set whose errors return instead of exiting.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: motcua %s [options]\n\n%s\n\nOptions:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; a bad flag is a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected arguments: %s", strings.Join(fs.Args(), " "))}
	}
	return nil
}

// parseFlagsAndArgs parses args whose options may come before or after
// the positional arguments, which it returns; a bad flag is a usage
// error.
func parseFlagsAndArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}
}

func (c *commonConfig) logger(stderr io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, usageError{fmt.Sprintf("invalid --log-level %q", c.LogLevel)}
	}
	opts := &slog.HandlerOptions{Level: level}
	format := c.LogFormat
	if format == "auto" {
		format = "json"
		if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			format = "text"
		}
	}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(stderr, opts)), nil
	}
	return nil, usageError{fmt.Sprintf("invalid --log-format %q (auto, text or json)", c.LogFormat)}
}

// openStore opens PostgreSQL when a database URL is given, else the
// embedded SQLite database in the data folder.
func (c *commonConfig) openStore(ctx context.Context) (*sqldb.Store, string, error) {
	u := c.DatabaseURL
	switch {
	case u == "":
		path := filepath.Join(c.DataDir, "motcua.db")
		s, err := sqlite.Open(ctx, path)
		return s, "sqlite:" + path, err
	case strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://"):
		s, err := postgres.Open(ctx, u)
		return s, "postgres", err
	}
	return nil, "", usageError{"--database-url must start with postgres:// (leave it empty for the embedded SQLite database)"}
}

// openMigratedStore opens the database and checks that its schema is
// current: the commands that do not migrate use it.
func (c *commonConfig) openMigratedStore(ctx context.Context) (*sqldb.Store, string, error) {
	store, where, err := c.openStore(ctx)
	if err != nil {
		return nil, "", err
	}
	if err := store.CheckSchema(ctx); err != nil {
		store.Close()
		return nil, "", err
	}
	return store, where, nil
}

// openBlobs opens the blob store of --blob-url, by default the folder
// <data-dir>/blobs.
func (c *commonConfig) openBlobs() (blob.Store, error) {
	if c.blobs != nil {
		return c.blobs, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := blob.OpenURL(ctx, c.BlobURL, filepath.Join(c.DataDir, "blobs"))
	if err != nil {
		return nil, err
	}
	c.blobs = s
	return s, nil
}

// splitList splits a comma-separated option, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
