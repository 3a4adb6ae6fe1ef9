package main

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/browsertest"
	"github.com/motcua/motcua/internal/demo"
)

// phoneWidth is the narrowest common phone (issue 16 point 7).
const phoneWidth = 360

// TestBrowserPhoneWalk logs in as each role and walks, at 360 px, every
// page its menus lead to (the header and the account page) and the pages
// one and two links further, one page of each kind: none may scroll
// sideways (document.documentElement.scrollWidth <= window.innerWidth)
// and axe-core finds no serious or critical violation on any. The
// citizen also opens an application draft, the reception officer a
// counter draft. Every failure is listed with its page and element.
func TestBrowserPhoneWalk(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	ts := startServer(t, "--demo", "--demo-history", "--data-dir", t.TempDir())
	// Not EmulateMobile: a mobile viewport zooms out to fit a page that is
	// too wide, and window.innerWidth then grows with it.
	b.Do("emulate a phone", chromedp.EmulateViewport(phoneWidth, 760))

	officer := func(username string) demo.DemoOfficer {
		for _, o := range demo.Officers() {
			if o.Username == username {
				return o
			}
		}
		t.Fatalf("no demo officer %s", username)
		return demo.DemoOfficer{}
	}
	w := &phoneWalker{t: t, b: b, base: ts.url, seen: map[string]bool{}}

	w.role = "anonymous"
	w.walk("/", "/auth/login", "/can-bo/dang-nhap", "/dang-ky")

	// The header's A+ and contrast links (seed 000), at phone width too.
	b.Navigate(ts.url + "/thu-tuc")
	w.open(`header a[aria-label="Tăng cỡ chữ"]`)
	if px := browsertest.Eval[float64](b, `parseFloat(getComputedStyle(document.body).fontSize)`); px != 20 {
		w.fail("after A+ the text is %v px, want 20", px)
	}
	w.open(`header a[href*="tuong-phan=cao"]`)
	if got := browsertest.Eval[string](b, `document.documentElement.className`); got != "chu-lon tuong-phan-cao" {
		w.fail("after A+ and Tăng tương phản the page's class is %q", got)
	}
	w.check("/thu-tuc with A+ and high contrast")
	w.open(`header a[aria-label="Cỡ chữ mặc định"]`)
	w.open(`header a[href*="tuong-phan=thuong"]`)
	if px := browsertest.Eval[float64](b, `parseFloat(getComputedStyle(document.body).fontSize)`); px != 16 {
		w.fail("after A the text is %v px, want 16", px)
	}

	w.role = "citizen"
	browserCitizenLogin(b, ts, demo.Citizens()[0].Code)
	w.walk("/tai-khoan")
	// An application step: the first procedure's draft.
	b.Navigate(ts.url + "/nop-truc-tuyen")
	if b.Count(`main a[href^="/nop-truc-tuyen/"]`) > 0 {
		b.Follow(`main a[href^="/nop-truc-tuyen/"]`)
		b.Follow(`main form button[type=submit]`)
		w.check("application draft (" + b.Location() + ")")
	} else {
		w.fail("/nop-truc-tuyen lists no procedure to apply for")
	}

	for _, r := range []struct{ role, username string }{
		{"reception", "tiepnhan.thitran"},
		{"processing", "xuly.thitran"},
		{"leader", "lanhdao.thitran"},
		{"certification", "chungthuc.thitran"},
		{"monitor", "theodoi.huyen"},
		{"admin", "quantri.huyen"},
	} {
		w.role = r.role
		browserOfficerLogin(b, ts, officer(r.username))
		w.walk("/tai-khoan")
		if r.role == "reception" {
			b.Navigate(ts.url + "/can-bo/tiep-nhan")
			if b.Count(`main form button[type=submit]`) > 0 {
				w.check("counter start")
			}
		}
	}
	t.Logf("walked %d pages at %d px", w.pages, phoneWidth)
	if w.pages < 40 {
		t.Errorf("walked only %d pages: the menus lead to fewer pages than expected", w.pages)
	}
	for _, m := range b.Console() {
		if m.IsException() {
			t.Errorf("uncaught exception in a page: %s (%s)", m, m.URL)
		}
	}
}

// phoneWalker visits pages breadth first, one of each kind per role.
type phoneWalker struct {
	t     *testing.T
	b     *browsertest.Browser
	base  string
	role  string
	seen  map[string]bool // role + page kind
	pages int
}

// maxPagesPerRole bounds one role's walk.
const maxPagesPerRole = 45

var idLike = regexp.MustCompile(`\d`)

// kind names a page's kind: its path with the segments that hold digits
// (codes, ids) replaced by #, and its query's keys.
func kind(u *url.URL) string {
	segs := strings.Split(u.Path, "/")
	for i, s := range segs {
		if idLike.MatchString(s) {
			segs[i] = "#"
		}
	}
	keys := make([]string, 0, len(u.Query()))
	for k, vs := range u.Query() {
		// A short value is a tab (trang-thai=5), a long one data (dates, codes).
		if v := strings.Join(vs, ","); len(v) <= 3 {
			k += "=" + v
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(segs, "/") + "?" + strings.Join(keys, "&")
}

// skipped are the links that lead to files, not pages, or out of the
// session.
var skipped = regexp.MustCompile(`\.(pdf|png|csv|xlsx|json|ico)$|/tep$|/mau/|^/hien-thi|^/auth/(login/|callback|logout)|^/api/|^/metrics`)

// public are the pages every role sees alike but for the header.
var public = regexp.MustCompile(`^/(thu-tuc|cong-khai|verify|tra-cuu-ho-so)(/|$)`)

func (w *phoneWalker) walk(start ...string) {
	w.t.Helper()
	type item struct {
		path  string
		depth int
	}
	var queue []item
	for _, s := range start {
		queue = append(queue, item{s, 0})
	}
	visited := 0
	for len(queue) > 0 && visited < maxPagesPerRole {
		it := queue[0]
		queue = queue[1:]
		u, err := url.Parse(it.path)
		if err != nil {
			continue
		}
		// The public pages differ only by the header between roles.
		key := w.role + " " + kind(u)
		if public.MatchString(u.Path) {
			key = "public " + kind(u)
		}
		if w.seen[key] {
			continue
		}
		w.seen[key] = true
		w.b.Navigate(w.base + it.path)
		visited++
		w.check(it.path)
		if it.depth == 2 {
			continue
		}
		sel := "main a[href]"
		if it.depth == 0 {
			sel = "header a[href], main a[href], footer a[href]"
		}
		links := browsertest.Eval[[]string](w.b, `[...document.querySelectorAll(`+"`"+sel+"`"+`)].filter(a => a.origin === location.origin).map(a => a.pathname + a.search)`)
		for _, l := range links {
			p, _, _ := strings.Cut(l, "#")
			if skipped.MatchString(strings.SplitN(p, "?", 2)[0]) {
				continue
			}
			queue = append(queue, item{p, it.depth + 1})
		}
	}
}

// check asserts the open page does not scroll sideways and has no serious
// or critical axe-core violation; failures are collected, not fatal.
func (w *phoneWalker) check(name string) {
	w.t.Helper()
	w.pages++
	w.b.Check(w.role + " " + name)
	failed := false
	defer func() {
		if failed {
			w.t.Logf("screenshot of %s: %s", name, w.b.Shoot(w.role+"-"+name))
		}
	}()
	if iw := browsertest.Eval[int](w.b, "window.innerWidth"); iw != phoneWidth {
		w.b.Fatalf("window.innerWidth is %d, want %d", iw, phoneWidth)
	}
	if width, culprits := w.b.Overflow(); width > 0 {
		failed = true
		w.fail("%s: at %d px the page %s is %d px wide (scrollWidth > innerWidth); sticking out:\n  %s",
			w.role, phoneWidth, name, width, strings.Join(culprits, "\n  "))
	}
	// A page the menus lead to is one the role may open.
	if text := w.b.Text("main"); strings.Contains(text, "Bạn không có quyền") {
		failed = true
		w.fail("%s: %s answers %q", w.role, name, "Bạn không có quyền")
	}
	if vs := w.b.Axe(); len(vs) > 0 {
		failed = true
		w.fail("%s: axe-core on %s:\n  %s", w.role, name, strings.Join(vs, "\n  "))
	}
}

// open follows the link sel names by loading its address.
func (w *phoneWalker) open(sel string) {
	w.t.Helper()
	href := browsertest.Eval[string](w.b, "document.querySelector(`"+sel+"`).href")
	w.b.Navigate(href)
}

func (w *phoneWalker) fail(format string, args ...any) {
	w.t.Helper()
	w.t.Errorf(format, args...)
}
