package demo_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/motcua/motcua/internal/demo"
)

// Nodes of one database share one demo CA, whichever starts first and
// even when they start at once; each data folder gets a copy.
func TestSharedCAIsOnePerDatabase(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	if _, err := demo.SharedCA(ctx, st, t.TempDir(), false); !errors.Is(err, demo.ErrNoSharedCA) {
		t.Fatalf("SharedCA without create on an empty database = %v, want ErrNoSharedCA", err)
	}
	const nodes = 6
	dirs := make([]string, nodes)
	cas := make([]*demo.CA, nodes)
	var wg sync.WaitGroup
	for i := range nodes {
		dirs[i] = filepath.Join(t.TempDir(), "demo-ca")
		wg.Add(1)
		go func() {
			defer wg.Done()
			ca, err := demo.SharedCA(ctx, st, dirs[i], true)
			if err != nil {
				t.Error(err)
				return
			}
			cas[i] = ca
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for i, ca := range cas {
		if !ca.Root.Equal(cas[0].Root) || !ca.Intermediate.Equal(cas[0].Intermediate) || ca.InterKey == nil || ca.FolderRoot != nil {
			t.Fatalf("node %d has another CA than node 0", i)
		}
		// The folder's copy is the shared CA, for the tools reading files.
		local, err := demo.LoadOrCreateCA(dirs[i])
		if err != nil || !local.Root.Equal(ca.Root) {
			t.Fatalf("node %d folder copy: %v", i, err)
		}
	}
	// A later start without create finds it.
	again, err := demo.SharedCA(ctx, st, t.TempDir(), false)
	if err != nil || !again.Root.Equal(cas[0].Root) {
		t.Fatalf("SharedCA again: %v", err)
	}
}

// A single-node install's CA (files in its data folder, documents signed
// by it in its database) moves into the database on the first start, so
// its documents keep verifying; its agency keys too.
func TestSharedCAImportsTheFolder(t *testing.T) {
	ctx := context.Background()
	st := seeded(t)
	dir := filepath.Join(t.TempDir(), "demo-ca")
	old, err := demo.LoadOrCreateCA(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The keyring of before kept one PEM per agency in dir/agencies.
	keyDir := filepath.Join(dir, "agencies")
	if err := os.MkdirAll(keyDir, 0o750); err != nil {
		t.Fatal(err)
	}
	before, err := demo.NewKeyring(old, t.TempDir(), st).AgencySigner(ctx, demo.TownCode)
	if err != nil {
		t.Fatal(err)
	}
	// Take that key out of the database and into the folder, as an
	// install of before would have it.
	pemData, err := st.DemoKey(ctx, "agency:"+demo.TownCode)
	if err != nil {
		t.Fatal(err)
	}
	fresh := newStore(t)
	if _, err := demo.Seed(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(keyDir, demo.TownCode+".pem"), pemData, 0o600); err != nil {
		t.Fatal(err)
	}

	ca, err := demo.SharedCA(ctx, fresh, dir, true)
	if err != nil {
		t.Fatal(err)
	}
	if !ca.Root.Equal(old.Root) || ca.FolderRoot != nil {
		t.Fatal("the folder's CA was not imported")
	}
	other, err := demo.SharedCA(ctx, fresh, filepath.Join(t.TempDir(), "demo-ca"), true)
	if err != nil || !other.Root.Equal(old.Root) {
		t.Fatalf("another node: %v", err)
	}
	s, err := demo.NewKeyring(ca, keyDir, fresh).AgencySigner(ctx, demo.TownCode)
	if err != nil || !s.Cert.Equal(before.Cert) {
		t.Fatalf("agency key of the folder not imported: %v", err)
	}
	// Another node, without the folder, signs with the same key.
	s2, err := demo.NewKeyring(other, t.TempDir(), fresh).AgencySigner(ctx, demo.TownCode)
	if err != nil || !s2.Cert.Equal(before.Cert) {
		t.Fatalf("another node's agency key: %v", err)
	}

	// A data folder holding another install's CA keeps it, and its root
	// is reported for trust on that node.
	stranger := filepath.Join(t.TempDir(), "demo-ca")
	strangerCA, err := demo.LoadOrCreateCA(stranger)
	if err != nil {
		t.Fatal(err)
	}
	got, err := demo.SharedCA(ctx, fresh, stranger, true)
	if err != nil || !got.Root.Equal(old.Root) || got.FolderRoot == nil || !got.FolderRoot.Equal(strangerCA.Root) {
		t.Fatalf("folder with another CA: %v", err)
	}
}
