// Command pagebench times the pages that list the catalogue — the
// application wizard (/nop-truc-tuyen), a procedure's case page, the
// counter desk's start page (/can-bo/tiep-nhan) and the public search
// (/thu-tuc) — on a running demo server, logged in as a demo citizen
// (through the development identity provider) and as a demo reception
// officer (password and TOTP). Run it against a demo server before and
// after importing a province-sized catalogue (bench/cataloguegen
// --alongside-demo) to see whether the pages stay as fast:
//
//	go run ./cmd/motcua serve --demo --data-dir /tmp/a --addr 127.0.0.1:8081 &
//	go run ./bench/pagebench --url http://127.0.0.1:8081
//
// It prints p50 / p99 / max of the server's answer time (client side,
// the whole body read) for each page.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/service"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the demo server's base URL")
	n := flag.Int("n", 200, "requests per page")
	citizen := flag.String("citizen", demo.Citizens()[0].Code, "demo citizen's personal id")
	officer := flag.String("officer", "tiepnhan.thitran", "demo reception officer's username")
	procedure := flag.String("procedure", demo.ProcedureBirth, "procedure whose case page is timed")
	flag.Parse()

	c := newClient()
	if err := c.citizenLogin(*base, *citizen); err != nil {
		fail(err)
	}
	o := newClient()
	if err := o.officerLogin(*base, *officer); err != nil {
		fail(err)
	}
	pages := []struct {
		who  *client
		path string
	}{
		{c, "/nop-truc-tuyen"},
		{c, "/nop-truc-tuyen?q=" + url.QueryEscape("khai sinh")},
		{c, "/nop-truc-tuyen/" + *procedure},
		{o, "/can-bo/tiep-nhan"},
		{nil, "/thu-tuc"},
		{nil, "/thu-tuc?q=" + url.QueryEscape("giay phep")},
	}
	anon := newClient()
	fmt.Printf("%-40s %8s %8s %8s %8s\n", "page", "p50 ms", "p99 ms", "max ms", "KB")
	for _, p := range pages {
		who := p.who
		if who == nil {
			who = anon
		}
		var times []time.Duration
		size := 0
		for i := 0; i < *n; i++ {
			start := time.Now()
			body, err := who.get(*base + p.path)
			if err != nil {
				fail(fmt.Errorf("%s: %w", p.path, err))
			}
			times = append(times, time.Since(start))
			size = len(body)
		}
		slices.Sort(times)
		q := func(f float64) float64 { return float64(times[int(f*float64(len(times)-1))].Microseconds()) / 1000 }
		fmt.Printf("%-40s %8.2f %8.2f %8.2f %8.1f\n", p.path, q(0.5), q(0.99), q(1), float64(size)/1024)
	}
}

type client struct{ http *http.Client }

func newClient() *client {
	jar, _ := cookiejar.New(nil)
	return &client{http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

func (c *client) get(u string) (string, error) {
	resp, err := c.http.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("status %d at %s", resp.StatusCode, resp.Request.URL)
	}
	return string(body), nil
}

func (c *client) post(u string, form url.Values) (*http.Response, string, error) {
	resp, err := c.http.PostForm(u, form)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, string(body), err
}

var authRequestField = regexp.MustCompile(`name="authRequestID" value="([^"]+)"`)

// citizenLogin goes through the development identity provider's OIDC
// flow, as a browser does.
func (c *client) citizenLogin(base, code string) error {
	resp, err := c.http.Get(base + "/auth/login/vneid")
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := authRequestField.FindSubmatch(body)
	if m == nil {
		return fmt.Errorf("no login form at %s", resp.Request.URL)
	}
	resp, page, err := c.post(resp.Request.URL.String(), url.Values{"authRequestID": {string(m[1])}, "username": {code}, "password": {"motcua-demo"}})
	if err != nil {
		return err
	}
	if resp.Request.URL.Path != "/tai-khoan" {
		return fmt.Errorf("citizen login ended at %s: %.300s", resp.Request.URL, page)
	}
	return nil
}

// officerLogin signs a demo officer in with password and a TOTP code.
func (c *client) officerLogin(base, username string) error {
	i := slices.IndexFunc(demo.Officers(), func(o demo.DemoOfficer) bool { return o.Username == username })
	if i < 0 {
		return fmt.Errorf("no demo officer %s", username)
	}
	o := demo.Officers()[i]
	code, err := service.TOTPCode(o.TOTPSecret, time.Now())
	if err != nil {
		return err
	}
	resp, page, err := c.post(base+"/can-bo/dang-nhap", url.Values{"username": {o.Username}, "password": {o.Password}, "otp": {code}})
	if err != nil {
		return err
	}
	if resp.Request.URL.Path != "/tai-khoan" {
		return fmt.Errorf("officer login ended at %s (a TOTP code is single-use: wait 30 s between runs): %.300s",
			resp.Request.URL, strings.TrimSpace(page))
	}
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pagebench:", err)
	os.Exit(1)
}
