package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/sqlite"
)

// TestBackupRestore: a backup taken while the demo server runs restores
// into a new data folder that serves the same blobs, whose audit chain
// and blobs verify; a backup never overwrites, a restore needs an empty
// folder, and a damaged backup restores nothing.
func TestBackupRestore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sums := seedWithTemplates(t, dir)
	ts := startServer(t, "--demo", "--data-dir", dir)
	_, before := get(t, ts.url+"/thu-tuc/1.001193.000.00.00.H08")
	if !strings.Contains(before, sums[0]) {
		t.Fatalf("the seeded form template is not on the procedure page")
	}

	out := filepath.Join(t.TempDir(), "sao-luu")
	if code, msg := runCmd(t, "backup", "--data-dir", dir, out); code != 0 || !strings.Contains(msg, "blobs") {
		t.Fatalf("backup: exit %d\n%s", code, msg)
	}
	if code, msg := runCmd(t, "backup", "--data-dir", dir, out); code != 2 || !strings.Contains(msg, "exists") {
		t.Fatalf("backup into an existing folder: exit %d\n%s", code, msg)
	}
	if code, msg := runCmd(t, "backup", "--database-url", "postgres://x/y", out+"-pg"); code != 2 || !strings.Contains(msg, "pg_basebackup") {
		t.Fatalf("backup of PostgreSQL: exit %d\n%s", code, msg)
	}

	restored := t.TempDir()
	if code, msg := runCmd(t, "restore", "--data-dir", restored, out); code != 0 {
		t.Fatalf("restore: exit %d\n%s", code, msg)
	}
	if code, msg := runCmd(t, "restore", "--data-dir", restored, out); code != 2 || !strings.Contains(msg, "not empty") {
		t.Fatalf("restore into a used folder: exit %d\n%s", code, msg)
	}
	for _, args := range [][]string{{"audit", "verify", "--no-seal"}, {"blobs", "verify"}} {
		if code, msg := runCmd(t, append(args, "--data-dir", restored)...); code != 0 {
			t.Fatalf("%v on the restored folder: exit %d\n%s", args, code, msg)
		}
	}
	// The restored database refers to exactly the blobs of the original.
	ctx := context.Background()
	refs := func(d string) map[string]bool {
		st, err := sqlite.Open(ctx, filepath.Join(d, "motcua.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		r, err := st.ReferencedBlobs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	orig, back := refs(dir), refs(restored)
	if len(back) == 0 || len(back) != len(orig) {
		t.Fatalf("restored database refers to %d blobs, the original to %d", len(back), len(orig))
	}
	ts2 := startServer(t, "--data-dir", restored)
	for _, sum := range sums {
		link := "/thu-tuc/1.001193.000.00.00.H08/mau/" + sum
		if sum == sums[1] {
			link = "/thu-tuc/1.000894.000.00.00.H08/mau/" + sum
		}
		_, a := get(t, ts.url+link)
		resp, b := get(t, ts2.url+link)
		if resp.StatusCode != 200 || a != b || b == "" {
			t.Fatalf("%s from the restored server: %d, %d bytes vs %d", link, resp.StatusCode, len(b), len(a))
		}
	}

	// A damaged blob in the backup: the restore fails and leaves nothing.
	var victim string
	filepath.WalkDir(filepath.Join(out, "blobs"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && victim == "" {
			victim = path
		}
		return nil
	})
	data, err := os.ReadFile(victim)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0xff
	if err := os.WriteFile(victim, data, 0o600); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	if code, msg := runCmd(t, "restore", "--data-dir", empty, out); code != 1 || !strings.Contains(msg, "blob") {
		t.Fatalf("restore of a damaged backup: exit %d\n%s", code, msg)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Fatalf("a failed restore left %d entries in the data folder", len(entries))
	}
}
