package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/sqlite"
)

// A backup of the embedded default (SQLite and a blob folder) is a folder:
//
//	backup.json   what it holds (backupManifest)
//	motcua.db     a consistent copy of the database (VACUUM INTO)
//	blobs/        every blob the copy refers to, in the file store's layout
//	demo-ca/      the demo CA and agency keys, when the data folder has them
//
// It is written under a temporary name next to the target and renamed at
// the end, so that a folder with the target's name is always complete.
// PostgreSQL deployments back up with the database's own tools (base
// backup and WAL archiving, docs/deploy.md).

const backupFormat = "motcua-backup/1"

type backupManifest struct {
	Format        string    `json:"format"`
	CreatedAt     time.Time `json:"created_at"`
	Version       string    `json:"version"`
	SchemaVersion int       `json:"schema_version"`
	Blobs         int       `json:"blobs"`
	BlobBytes     int64     `json:"blob_bytes"`
	DemoCA        bool      `json:"demo_ca"`
}

// runBackup is `motcua backup [options] DIR`.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg commonConfig
	fs := newFlagSet("backup", "Take a consistent online backup of the embedded database and its blobs into DIR\n"+
		"(which must not exist). The server may keep running. PostgreSQL: use its base backup and WAL archiving.", stderr)
	cfg.register(fs)
	dirs, err := parseFlagsAndArgs(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) != 1 {
		return usageError{"give the backup folder to create: motcua backup [options] DIR"}
	}
	if cfg.DatabaseURL != "" {
		return usageError{"motcua backup copies the embedded SQLite database; back PostgreSQL up with pg_basebackup and WAL archiving (docs/deploy.md)"}
	}
	out := filepath.Clean(dirs[0])
	if _, err := os.Stat(out); err == nil {
		return usageError{fmt.Sprintf("%s exists: a backup goes into a new folder", out)}
	}
	store, _, err := cfg.openMigratedStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	blobs, err := cfg.openBlobs()
	if err != nil {
		return err
	}

	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".partial-")
	if err != nil {
		return fmt.Errorf("create the backup folder: %w", err)
	}
	defer os.RemoveAll(tmp) // gone after the rename; a failure leaves nothing
	m, err := backupInto(ctx, filepath.Join(cfg.DataDir, "motcua.db"), blobs, demoCADir(cfg.DataDir), tmp, stderr)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	demoCA := ""
	if m.DemoCA {
		demoCA = ", demo CA"
	}
	fmt.Fprintf(stdout, "backup %s: database (schema %d), %d blobs (%s)%s\n", out, m.SchemaVersion, m.Blobs, formatBytes(m.BlobBytes), demoCA)
	return nil
}

// backupInto writes the backup into the folder tmp: a consistent copy of
// the database at dbPath (VACUUM INTO on a connection of its own, which
// holds only a read snapshot: the server keeps writing), the blobs that
// copy refers to, the demo CA folder if any, and the manifest; then
// flushes it all to disk.
func backupInto(ctx context.Context, dbPath string, blobs motcua.BlobStore, demoCA, tmp string, stderr io.Writer) (backupManifest, error) {
	m := backupManifest{Format: backupFormat, CreatedAt: time.Now().UTC().Truncate(time.Second), Version: version()}
	dbCopy := filepath.Join(tmp, "motcua.db")
	if err := sqlite.VacuumInto(ctx, dbPath, dbCopy); err != nil {
		return m, fmt.Errorf("copy the database: %w", err)
	}
	snap, err := sqlite.Open(ctx, dbCopy)
	if err != nil {
		return m, err
	}
	m.SchemaVersion, _, err = snap.SchemaVersions(ctx)
	var refs map[string]bool
	if err == nil {
		refs, err = snap.ReferencedBlobs(ctx)
	}
	if cerr := snap.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return m, err
	}
	if m.Blobs, m.BlobBytes, err = copyBlobSet(ctx, blobs, filepath.Join(tmp, "blobs"), refs, stderr); err != nil {
		return m, err
	}
	if m.DemoCA, err = copyTree(demoCA, filepath.Join(tmp, "demo-ca")); err != nil {
		return m, err
	}
	if err := writeManifest(filepath.Join(tmp, "backup.json"), m); err != nil {
		return m, err
	}
	return m, syncTree(tmp)
}

// copyBlobSet copies the blobs refs names from src into a new file store
// at dir, each read through src's hash check, and returns their count and
// size.
func copyBlobSet(ctx context.Context, src motcua.BlobStore, dir string, refs map[string]bool, stderr io.Writer) (int, int64, error) {
	dst, err := blob.OpenFS(dir)
	if err != nil {
		return 0, 0, err
	}
	hashes := make([]string, 0, len(refs))
	for h := range refs {
		hashes = append(hashes, h)
	}
	slices.Sort(hashes)
	bar := newProgress(stderr, "blobs", len(hashes))
	var size int64
	for _, h := range hashes {
		if err := copyBlob(ctx, src, dst, h); err != nil {
			bar.clear()
			return 0, 0, fmt.Errorf("blob %s: %s", h, motcua.ErrorMessage(err))
		}
		ref, err := dst.Stat(ctx, h)
		if err != nil {
			return 0, 0, err
		}
		size += ref.Size
		bar.add(ref.Size)
	}
	bar.done()
	return len(hashes), size, nil
}

// runRestore is `motcua restore [options] DIR`.
func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg commonConfig
	fs := newFlagSet("restore", "Restore a backup made by `motcua backup` into an empty data folder (--data-dir):\n"+
		"the database, every blob (hash-checked) and the demo CA. Stop no server: the folder must be new.", stderr)
	cfg.register(fs)
	dirs, err := parseFlagsAndArgs(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) != 1 {
		return usageError{"give the backup folder: motcua restore [options] DIR"}
	}
	if cfg.DatabaseURL != "" {
		return usageError{"motcua restore restores the embedded SQLite database; restore PostgreSQL from its base backup (docs/deploy.md)"}
	}
	from := dirs[0]
	var m backupManifest
	data, err := os.ReadFile(filepath.Join(from, "backup.json"))
	if err == nil {
		err = json.Unmarshal(data, &m)
	}
	if err != nil || m.Format != backupFormat {
		return usageError{fmt.Sprintf("%s is not a motcua backup (no readable backup.json of format %s)", from, backupFormat)}
	}
	if entries, err := os.ReadDir(cfg.DataDir); err == nil && len(entries) > 0 {
		return usageError{fmt.Sprintf("--data-dir %s is not empty: restore into a new folder", cfg.DataDir)}
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok { // a failed restore leaves an empty folder, not half a data folder
			entries, _ := os.ReadDir(cfg.DataDir)
			for _, e := range entries {
				os.RemoveAll(filepath.Join(cfg.DataDir, e.Name()))
			}
		}
	}()
	src, err := blob.OpenFS(filepath.Join(from, "blobs"))
	if err != nil {
		return err
	}
	dst, err := cfg.openBlobs()
	if err != nil {
		return err
	}
	refs := map[string]bool{}
	if err := src.Walk(ctx, func(o blob.Object) error { refs[o.SHA256] = true; return nil }); err != nil {
		return err
	}
	if len(refs) != m.Blobs {
		return fmt.Errorf("backup %s holds %d blobs, its manifest says %d", from, len(refs), m.Blobs)
	}
	bar := newProgress(stderr, "blobs", len(refs))
	for h := range refs {
		if err := copyBlob(ctx, src, dst, h); err != nil {
			bar.clear()
			return fmt.Errorf("blob %s: %s", h, motcua.ErrorMessage(err))
		}
		bar.add(0)
	}
	bar.done()
	if _, err := copyTree(filepath.Join(from, "demo-ca"), demoCADir(cfg.DataDir)); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(from, "motcua.db"), filepath.Join(cfg.DataDir, "motcua.db")); err != nil {
		return err
	}
	store, _, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if current, _, err := store.SchemaVersions(ctx); err != nil {
		return err
	} else if current != m.SchemaVersion {
		return fmt.Errorf("the restored database is at schema %d, the manifest says %d", current, m.SchemaVersion)
	}
	ok = true
	fmt.Fprintf(stdout, "restored %s into %s: database (schema %d), %d blobs; run `motcua migrate` if this binary is newer\n",
		from, cfg.DataDir, m.SchemaVersion, len(refs))
	return nil
}

func writeManifest(path string, m backupManifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o640)
}

// copyTree copies the regular files below from into to and reports
// whether from existed.
func copyTree(from, to string) (bool, error) {
	if _, err := os.Stat(from); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		target := filepath.Join(to, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o750)
		case d.Type().IsRegular():
			return copyFile(path, target)
		}
		return nil // links and devices are not ours
	})
	return err == nil, err
}

// copyFile copies a file and syncs it.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, st.Mode().Perm()|0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// syncTree flushes every file and folder below dir to disk.
func syncTree(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !d.Type().IsRegular() {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := f.Sync(); err != nil && !strings.Contains(err.Error(), "invalid argument") {
			return err
		}
		return nil
	})
}
