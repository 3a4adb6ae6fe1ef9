package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"github.com/motcua/motcua/internal/pgtest"
)

// startNodes starts one `serve` per args list at the same moment and
// waits until every one listens.
func startNodes(t *testing.T, args ...[]string) []*testServer {
	t.Helper()
	type started struct {
		i    int
		addr net.Addr
		err  error
	}
	ch := make(chan started, 2*len(args))
	nodes := make([]*testServer, len(args))
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i, a := range args {
		ctx, cancel := context.WithCancel(context.Background())
		logs := &syncBuffer{}
		errc := make(chan error, 1)
		ts := &testServer{logs: logs}
		for j, s := range a {
			if s == "--data-dir" && j+1 < len(a) {
				ts.dataDir = a[j+1]
			}
		}
		var once sync.Once
		var stopErr error
		ts.stop = func() error {
			once.Do(func() { cancel(); stopErr = <-errc })
			return stopErr
		}
		t.Cleanup(func() { _ = ts.stop() })
		nodes[i] = ts
		full := append([]string{"--addr", "127.0.0.1:0", "--log-format", "json", "--demo-history=false"}, a...)
		wg.Add(1)
		go func() {
			wg.Done()
			<-gate
			err := runServe(ctx, full, io.Discard, logs, func(addr net.Addr) { ch <- started{i: i, addr: addr} })
			errc <- err
			ch <- started{i: i, err: fmt.Errorf("serve ended: %v", err)}
		}()
	}
	wg.Wait()
	close(gate) // both begin together: migrations, demo CA and seeding race
	deadline := time.After(3 * time.Minute)
	for ready := 0; ready < len(args); {
		select {
		case s := <-ch:
			if s.err != nil {
				t.Fatalf("node %d failed to start: %v\nlogs:\n%s", s.i, s.err, nodes[s.i].logs)
			}
			nodes[s.i].url = "http://" + s.addr.String()
			ready++
		case <-deadline:
			t.Fatal("the nodes did not start")
		}
	}
	return nodes
}

// eventually polls cond every 100 ms until it holds or within passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	end := time.Now().Add(within)
	for {
		ok, last := cond()
		if ok {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("%s: not within %s; last: %s", what, within, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestClusterOfTwoDemoNodes (issue 17): two `serve --demo` nodes started
// at once on one fresh PostgreSQL database, each with its own data folder,
// sharing one blob store, behave as one site: one demo CA (a document
// signed with node A's copy verifies on node B, one signed by another CA
// does not), a login made on A works on B, a token issued by A works on B,
// and a catalogue change made on A reaches B's cache.
func TestClusterOfTwoDemoNodes(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.SchemaURL(t)
	blobURL := "file://" + filepath.ToSlash(filepath.Join(t.TempDir(), "shared-blobs"))
	if base := os.Getenv("MOTCUA_TEST_S3_URL"); base != "" {
		blobURL = testS3URL(t)
	}
	nodeArgs := func() []string {
		return []string{"--demo", "--data-dir", t.TempDir(), "--database-url", dbURL, "--blob-url", blobURL}
	}
	nodes := startNodes(t, nodeArgs(), nodeArgs())
	a, b := nodes[0], nodes[1]
	for _, n := range nodes {
		if resp, body := get(t, n.url+"/readyz"); resp.StatusCode != 200 || !strings.Contains(body, `"blobs":"ok"`) {
			t.Fatalf("%s/readyz: %d %s", n.url, resp.StatusCode, body)
		}
	}

	// One CA: each data folder holds a copy of the same hierarchy.
	caA, err := demo.LoadOrCreateCA(filepath.Join(a.dataDir, "demo-ca"))
	if err != nil {
		t.Fatal(err)
	}
	caB, err := demo.LoadOrCreateCA(filepath.Join(b.dataDir, "demo-ca"))
	if err != nil {
		t.Fatal(err)
	}
	if !caA.Root.Equal(caB.Root) {
		t.Fatal("the two nodes made two demo CAs")
	}

	// A citizen logs in on A (the development provider A serves); the
	// session works on B, through the API and the web pages.
	owner := demo.Citizens()[0]
	br := newBrowser(t)
	if resp, body := br.loginAt(a, "vneid", owner.Code, "motcua-demo"); resp.Request.URL.Path != "/tai-khoan" {
		t.Fatalf("login on A: %s", body)
	}
	onB := &apiClient{t: t, base: b.url, token: sessionCookie(t, a, br)}
	if status, me, raw := onB.do("GET", "/api/v1/me", nil, ""); status != 200 || !strings.Contains(string(raw), owner.Code) {
		t.Fatalf("A's session on B: %d %v", status, me)
	}
	// The demo documents (seeded by whichever node won) are the citizen's on B.
	if status, list, raw := onB.do("GET", "/api/v1/warehouse/documents", nil, ""); status != 200 || list["total"].(float64) < 5 {
		t.Fatalf("demo warehouse on B: %d %s", status, raw)
	}

	// An agency token issued by A pushes, through B, a result signed with
	// A's copy of the CA; B verifies it as valid, and so does A.
	anonA := &apiClient{t: t, base: a.url}
	agencyOnB := &apiClient{t: t, base: b.url, token: clientToken(t, a, demo.IntegratorID, demo.IntegratorSecret)}
	code := owner.Code + "." + demo.CategoryMaritalStatus + ".XNHN-CUMNUT"
	pdf, err := caA.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay xac nhan tinh trang hon nhan"}), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	body, ct := multipartBody(t, map[string]string{"code": code, "owner_name": owner.Name, "decision_number": "XNHN/CUM",
		"summary": "Xác nhận tình trạng hôn nhân (cụm)", "issue_date": time.Now().AddDate(0, 0, -1).Format("2006-01-02")}, pdf)
	if status, _, raw := agencyOnB.do("POST", "/api/v1/agency/results", body, ct); status != 201 && status != 200 {
		t.Fatalf("push through B: %d %s", status, raw)
	}
	if status, v, raw := anonA.do("GET", "/api/v1/verify/"+url.PathEscape(code), nil, ""); status != 200 || v["signature_status"] != "valid" {
		t.Fatalf("verify on A of a result pushed through B: %d %s", status, raw)
	}
	// The citizen's warehouse on B lists it (the web page, with A's cookie).
	_, page := br.get(b.url + "/kho-du-lieu?summary=" + url.QueryEscape("(cụm)"))
	if !strings.Contains(page, code) {
		t.Errorf("the warehouse page on B does not list %s", code)
	}
	// A, which never received the file, serves a byte range of it from the
	// shared blob store (a PDF viewer's partial fetch).
	onA := &apiClient{t: t, base: a.url, token: onB.token}
	_, list, raw := onA.do("GET", "/api/v1/warehouse/documents?code="+url.QueryEscape(code), nil, "")
	if items, _ := list["items"].([]any); len(items) != 1 {
		t.Fatalf("the pushed result on A: %s", raw)
	}
	id := list["items"].([]any)[0].(map[string]any)["id"].(string)
	req, _ := http.NewRequest("GET", a.url+"/kho-du-lieu/"+id+"/tep", nil)
	req.AddCookie(&http.Cookie{Name: "motcua_session", Value: onB.token})
	req.Header.Set("Range", "bytes=0-7")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 206 || string(part) != string(pdf[:8]) || resp.Header.Get("Content-Range") != fmt.Sprintf("bytes 0-7/%d", len(pdf)) {
		t.Fatalf("range of the file on A: %d %q %v", resp.StatusCode, part, resp.Header)
	}

	// The citizen uploads to B a PDF signed with A's copy: valid. One
	// signed by a CA of no node: not valid (B does check).
	body, ct = multipartBody(t, map[string]string{"category": demo.CategoryCertifiedCopy, "paper_type": "result",
		"decision_number": "21/CT", "summary": "Bản sao (cụm)", "issue_date": "2024-02-02"}, pdf)
	if status, doc, raw := onB.do("POST", "/api/v1/warehouse/documents", body, ct); status != 201 ||
		doc["verification"].(map[string]any)["status"] != "valid" {
		t.Fatalf("upload to B of a PDF signed with A's CA copy: %d %s", status, raw)
	}
	stranger, err := demo.LoadOrCreateCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := stranger.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay to la"}), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	body, ct = multipartBody(t, map[string]string{"category": demo.CategoryCertifiedCopy, "paper_type": "result",
		"decision_number": "22/CT", "summary": "Bản sao lạ", "issue_date": "2024-02-02"}, foreign)
	if status, doc, raw := onB.do("POST", "/api/v1/warehouse/documents", body, ct); status == 201 &&
		doc["verification"].(map[string]any)["status"] == "valid" {
		t.Fatalf("B takes a PDF of an unknown CA as valid: %s", raw)
	}

	// A catalogue change made on A reaches B, whose cache holds the old
	// version: within the cache's version check (3 s), well before its
	// 30 s expiry.
	admin := &apiClient{t: t, base: a.url, token: officerToken(t, a, demoAdmin(t, demo.ProvinceCode))}
	anonB := &apiClient{t: t, base: b.url}
	proc := adminTestProcedureJSON("1.099017", demo.JusticeOfficeCode, demo.CategoryBirthCertificate)
	if status, _, raw := admin.do("POST", "/api/v1/admin/procedures", jsonBody(proc), "application/json"); status != 201 {
		t.Fatalf("create a procedure on A: %d %s", status, raw)
	}
	eventually(t, 20*time.Second, "B reads the new procedure", func() (bool, string) {
		status, got, raw := anonB.do("GET", "/api/v1/procedures/1.099017", nil, "")
		return status == 200 && got["name"] == proc["name"], string(raw)
	})
	proc["name"] = "Cấp giấy xác nhận thử nghiệm (đổi tên trên nút A)"
	if status, _, raw := admin.do("PUT", "/api/v1/admin/procedures/1.099017", jsonBody(proc), "application/json"); status != 200 {
		t.Fatalf("rename the procedure on A: %d %s", status, raw)
	}
	eventually(t, 20*time.Second, "B sees A's renaming", func() (bool, string) {
		_, got, raw := anonB.do("GET", "/api/v1/procedures/1.099017", nil, "")
		return got["name"] == proc["name"], string(raw)
	})
	eventually(t, 20*time.Second, "B's public catalogue lists the new name", func() (bool, string) {
		_, page := get(t, b.url+"/thu-tuc?q="+url.QueryEscape("đổi tên trên nút A"))
		return strings.Contains(page, "1.099017"), ""
	})
}
