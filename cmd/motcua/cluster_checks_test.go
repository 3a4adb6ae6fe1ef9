package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// openSQL opens the cluster's database for the checks.
func openSQL(t *testing.T, dbURL string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// checkNotifications waits until the outbox has nothing left to send,
// then checks that every message was delivered, reached the gateway and
// was sent to it at most twice.
func (l *clusterLoad) checkNotifications(db *sql.DB, gate *gatewayRecorder) {
	t := l.t
	ctx := context.Background()
	start := time.Now()
	for {
		var pending int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL`).Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			break
		}
		if time.Since(start) > faultDrainLimit {
			t.Errorf("%d notifications still waiting after %v", pending, faultDrainLimit)
			break
		}
		time.Sleep(time.Second)
	}
	rows, err := db.QueryContext(ctx, `SELECT dedupe_key, dossier_id, attempts, delivered_at IS NOT NULL, last_error FROM outbox`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	hits := gate.counts()
	messages, repeated, maxHits := 0, 0, 0
	l.notified = map[string]int{} // the load is over: no lock needed
	for rows.Next() {
		var key, dossier, lastErr string
		var attempts int
		var delivered bool
		if err := rows.Scan(&key, &dossier, &attempts, &delivered, &lastErr); err != nil {
			t.Fatal(err)
		}
		messages++
		l.notified[dossier]++
		n := hits[key]
		switch {
		case !delivered:
			t.Errorf("notification %s not delivered after %d attempts: %s", key, attempts, lastErr)
		case n == 0:
			t.Errorf("notification %s marked delivered but never reached the gateway", key)
		case n > 2:
			t.Errorf("notification %s sent %d times", key, n)
		}
		if n > 1 {
			repeated++
		}
		maxHits = max(maxHits, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if messages == 0 {
		t.Fatal("no notification was queued")
	}
	t.Logf("notifications: %d queued, all out %v after the load; %d gateway calls accepted, %d messages sent more than once (at most %d times)",
		messages, time.Since(start).Round(time.Second), sumOf(hits), repeated, maxHits)
}

// checkUploadsReadBack reads every acknowledged upload from each node.
func (l *clusterLoad) checkUploadsReadBack(nodes []*clusterNode) {
	t := l.t
	reads := 0
	for _, n := range nodes {
		for _, u := range l.uploads {
			r := l.call(l.client, "GET", n.url()+"/api/v1/warehouse/documents/"+u.id+"/file", l.tokens[u.owner], nil, "", nil)
			reads++
			if r.status != http.StatusOK || !bytes.Equal(r.raw, u.data) {
				t.Errorf("%s: upload %s reads back as %d, %d bytes (%d sent)", n.name, u.id, r.status, len(r.raw), len(u.data))
			}
		}
	}
	t.Logf("%d acknowledged uploads read back byte-identical from %d nodes (%d reads)", len(l.uploads), len(nodes), reads)
}

// checkDossiers checks the dossier codes (unique, and gap-free in each
// unit's day), that every acknowledged
// dossier is stored with the document it reused and was notified about,
// and that every uploaded document's usage count is its uses by the
// stored dossiers.
func (l *clusterLoad) checkDossiers(db *sql.DB) {
	t := l.t
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT id, code, components FROM dossiers`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type stored struct {
		id   string
		docs map[string]int
	}
	byCode := map[string]stored{}
	uses := map[string]int{}          // document id → attachments of it in dossiers
	seqs := map[string]map[int]bool{} // unit-day → numbers taken
	for rows.Next() {
		var id, code string
		var raw []byte
		if err := rows.Scan(&id, &code, &raw); err != nil {
			t.Fatal(err)
		}
		var comps []motcua.DossierComponent
		if err := json.Unmarshal(raw, &comps); err != nil {
			t.Fatalf("dossier %s components: %v", code, err)
		}
		s := stored{id: id, docs: map[string]int{}}
		for _, c := range comps {
			for _, a := range c.Attachments {
				if a.Source == motcua.FromWarehouse {
					uses[a.DocumentID]++
					s.docs[a.DocumentID]++
				}
			}
		}
		if _, dup := byCode[code]; dup {
			t.Errorf("dossier code %s twice", code)
		}
		byCode[code] = s
		cut := strings.LastIndex(code, "-")
		n, err := strconv.Atoi(code[cut+1:])
		if cut < 0 || err != nil {
			t.Errorf("dossier code %s: no sequence number", code)
			continue
		}
		if seqs[code[:cut]] == nil {
			seqs[code[:cut]] = map[int]bool{}
		}
		seqs[code[:cut]][n] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	// The sequences: every number up to the last one taken is a dossier,
	// except where a creation was not acknowledged.
	srows, err := db.QueryContext(ctx, `SELECT unit, day, last FROM dossier_sequences`)
	if err != nil {
		t.Fatal(err)
	}
	defer srows.Close()
	gaps, sequences := 0, 0
	for srows.Next() {
		var unit, day string
		var last int
		if err := srows.Scan(&unit, &day, &last); err != nil {
			t.Fatal(err)
		}
		sequences++
		d, err := time.Parse(time.DateOnly, day)
		if err != nil {
			t.Fatalf("sequence %s %s: %v", unit, day, err)
		}
		taken := seqs[unit+"-"+d.Format("060102")]
		var missing []int
		for n := 1; n <= last; n++ {
			if !taken[n] {
				missing = append(missing, n)
			}
		}
		for n := range taken {
			if n > last {
				t.Errorf("sequence %s %s: dossier number %d beyond the last taken %d", unit, day, n, last)
			}
		}
		// Numbers are taken in the dossier's transaction: one killed or
		// refused before its commit gives its number back.
		if len(missing) > 0 {
			t.Errorf("sequence %s %s: numbers without a dossier (gaps): %v", unit, day, missing)
		}
		gaps += len(missing)
	}
	if err := srows.Err(); err != nil {
		t.Fatal(err)
	}

	// Every acknowledged dossier is stored, with the document it reused
	// and with its notifications.
	kinds := map[string]int{}
	for _, c := range l.creations {
		kinds[c.kind]++
		s, ok := byCode[c.code]
		switch {
		case !ok:
			t.Errorf("acknowledged %s dossier %s is not stored", c.kind, c.code)
		case s.docs[c.doc] == 0:
			t.Errorf("acknowledged %s dossier %s does not use document %s: %v", c.kind, c.code, c.doc, s.docs)
		case l.notified[s.id] == 0:
			t.Errorf("acknowledged %s dossier %s queued no notification", c.kind, c.code)
		}
	}
	// Usage counts: each uploaded document's count is its uses, no more,
	// no fewer.
	counted := 0
	for _, u := range l.uploads {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT usage_count FROM documents WHERE id = $1`, u.id).Scan(&n); err != nil {
			t.Errorf("uploaded document %s: %v", u.id, err)
			continue
		}
		counted += n
		if n != uses[u.id] {
			t.Errorf("document %s: usage count %d, used by %d stored dossiers", u.id, n, uses[u.id])
		}
	}
	t.Logf("dossiers: %d stored in %d sequences, codes unique; %d acknowledged (%v), %d creation requests not acknowledged, %d numbers without a dossier; usage counts of %d uploads exact (%d uses)",
		len(byCode), sequences, len(l.creations), kinds, l.unackedCreates, gaps, len(l.uploads), counted)
}

// checkSessions: every session an officer's acknowledged login opened
// works on every node.
func (l *clusterLoad) checkSessions() {
	for _, n := range l.nodes {
		for _, tok := range l.sessions {
			if r := l.call(l.client, "GET", n.url()+"/api/v1/me", tok, nil, "", nil); r.status != http.StatusOK || r.m["kind"] == "person" {
				l.t.Errorf("%s: an officer's session from an acknowledged login: %d %.200s", n.name, r.status, r.raw)
			}
		}
	}
	l.t.Logf("%d officer sessions valid on every node", len(l.sessions))
}
