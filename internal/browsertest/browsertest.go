// Package browsertest drives a real headless Chromium from end-to-end
// tests: it starts the browser, bounds every step with a timeout, saves a
// numbered full-page screenshot of each page and checks the basics of
// accessibility on it.
//
// The browser is Debian's chromium at /usr/bin/chromium ($MOTCUA_CHROMIUM
// overrides the path). When it is missing the test is skipped, unless
// $MOTCUA_REQUIRE_BROWSER=1, as in CI, where it fails. Screenshots go to
// $MOTCUA_ARTIFACTS/<test name> when set, else to a temporary folder.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// StepTimeout bounds one step: a navigation, a click and the wait for
// the next page, or a query.
const StepTimeout = 45 * time.Second

// startTimeout bounds the start of the browser.
const startTimeout = 30 * time.Second

// Browser is one tab of a headless Chromium, owned by a test.
type Browser struct {
	t         *testing.T
	ctx       context.Context
	close     context.CancelFunc
	Artifacts string // folder of the screenshots
	shots     *int   // shared by the tabs, which take turns

	mu      *sync.Mutex
	console *[]chromedp.ConsoleMessage
}

// New starts Chromium with a fresh profile, or skips the test when the
// browser is not installed. The browser is closed when the test ends.
func New(t *testing.T) *Browser {
	t.Helper()
	exe := os.Getenv("MOTCUA_CHROMIUM")
	if exe == "" {
		exe = "/usr/bin/chromium"
	}
	if _, err := os.Stat(exe); err != nil {
		if os.Getenv("MOTCUA_REQUIRE_BROWSER") == "1" {
			t.Fatalf("MOTCUA_REQUIRE_BROWSER=1 but there is no browser at %s: %v (apt-get install chromium)", exe, err)
		}
		t.Skipf("browser test skipped: no Chromium at %s (apt-get install chromium, or set MOTCUA_CHROMIUM; MOTCUA_REQUIRE_BROWSER=1 makes this a failure)", exe)
	}

	artifacts := t.TempDir()
	if dir := os.Getenv("MOTCUA_ARTIFACTS"); dir != "" {
		// One folder per test, emptied so that no screenshot of an older run
		// passes for this one.
		artifacts = filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()))
		if err := os.RemoveAll(artifacts); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(artifacts, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("browser screenshots in %s", artifacts)

	// The profile folder is made before the cleanup below is registered,
	// so it is removed only after the browser has exited.
	profile := t.TempDir()
	var output syncBuffer
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.NoSandbox, // the test may run as root in a container
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.Flag("font-render-hinting", "none"),
		chromedp.CombinedOutput(&output),
	)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})

	if err := start(ctx, startTimeout); err != nil {
		cancelTab()
		t.Fatalf("start Chromium: %v\n%s", err, output.String())
	}

	b := &Browser{t: t, ctx: ctx, close: cancelTab, Artifacts: artifacts, shots: new(int),
		mu: new(sync.Mutex), console: new([]chromedp.ConsoleMessage)}
	b.listen()
	return b
}

func (b *Browser) listen() {
	go func() {
		for m, err := range chromedp.Console(b.ctx) {
			if err != nil {
				return
			}
			b.mu.Lock()
			*b.console = append(*b.console, m)
			b.mu.Unlock()
		}
	}()
}

// NewTab opens another tab of the same browser, with the same cookies:
// a place to emulate another device without disturbing this tab. Its
// screenshots continue the numbering. Close it when done.
func (b *Browser) NewTab() *Browser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	tab := *b
	tab.ctx, tab.close = ctx, cancel
	b.t.Cleanup(cancel)
	if err := start(ctx, StepTimeout); err != nil {
		cancel()
		b.Fatalf("open a tab: %v", err)
	}
	tab.listen()
	return &tab
}

// Close closes the tab.
func (b *Browser) Close() { b.close() }

// start runs the first action of ctx, which opens its tab (and the
// browser, for the first tab) and binds them to ctx itself: a deadline on
// that call would close them when it passed, so the wait is bounded
// here instead.
func start(ctx context.Context, timeout time.Duration) error {
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		return err
	case <-time.After(timeout):
		return fmt.Errorf("no answer within %s", timeout)
	}
}

// Console returns the messages the pages of every tab wrote to the
// console so far.
func (b *Browser) Console() []chromedp.ConsoleMessage {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]chromedp.ConsoleMessage(nil), *b.console...)
}

// Do runs actions within one StepTimeout and fails the test, with a
// screenshot of the page, when one fails.
func (b *Browser) Do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, StepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.Fatalf("%s: %v", what, err)
	}
}

// Navigate opens url and waits for it to load.
func (b *Browser) Navigate(url string) {
	b.t.Helper()
	b.Do("open "+url, chromedp.Navigate(url))
}

// Follow clicks the element and waits for the page it leads to: the load
// of a new document. A click that loads no page fails after StepTimeout.
func (b *Browser) Follow(sel string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, StepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
		b.Fatalf("click %s and wait for the next page: %v", sel, err)
	}
}

// Text returns the visible text of the first element matching sel, after
// waiting for it.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	return run(b, "read "+sel, chromedp.Text(chromedp.CSS(sel)))
}

// Value returns the value of the form field matching sel.
func (b *Browser) Value(sel string) string {
	b.t.Helper()
	return run(b, "read the value of "+sel, chromedp.Value(chromedp.CSS(sel)))
}

// Count returns how many elements match sel, without waiting.
func (b *Browser) Count(sel string) int {
	b.t.Helper()
	return Eval[int](b, fmt.Sprintf("document.querySelectorAll(%q).length", sel))
}

// Location returns the URL of the page.
func (b *Browser) Location() string {
	b.t.Helper()
	return run(b, "read the location", chromedp.Location())
}

// Eval evaluates a JavaScript expression in the page (with
// chromedp.EvalAwaitPromise, an async one).
func Eval[T any](b *Browser, expr string, opts ...chromedp.EvaluateOption) T {
	b.t.Helper()
	return run(b, "evaluate "+expr, chromedp.Evaluate[T](expr, opts...))
}

func run[T any](b *Browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, StepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.Fatalf("%s: %v", what, err)
	}
	return v
}

var unsafeName = regexp.MustCompile(`[^a-z0-9-]+`)

// Page records the page the browser shows: it saves a full-page
// screenshot named NN-name.png and checks the page's accessibility basics.
func (b *Browser) Page(name string) {
	b.t.Helper()
	b.shoot(name)
	if problems := Eval[[]string](b, a11yJS); len(problems) > 0 {
		b.t.Fatalf("accessibility problems on %s (%s):\n  %s", b.Location(), name, strings.Join(problems, "\n  "))
	}
	for _, p := range Eval[[]string](b, overflowJS) {
		b.t.Logf("layout warning on %s: %s", name, p)
	}
}

// Check checks the page's accessibility basics, as Page does, without
// the screenshot: for walks over many pages, which Shoot only the pages
// that fail.
func (b *Browser) Check(name string) {
	b.t.Helper()
	if problems := Eval[[]string](b, a11yJS); len(problems) > 0 {
		b.t.Fatalf("accessibility problems on %s (%s):\n  %s", b.Location(), name, strings.Join(problems, "\n  "))
	}
}

// Shoot saves a full-page screenshot named NN-name.png and returns its path.
func (b *Browser) Shoot(name string) string {
	b.t.Helper()
	return b.shoot(name)
}

func (b *Browser) shoot(name string) string {
	b.t.Helper()
	*b.shots++
	file := filepath.Join(b.Artifacts, fmt.Sprintf("%02d-%s.png", *b.shots, unsafeName.ReplaceAllString(name, "-")))
	ctx, cancel := context.WithTimeout(b.ctx, StepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	return file
}

// Fatalf fails the test after saving a screenshot and the HTML of the
// page as it was, when the browser still answers.
func (b *Browser) Fatalf(format string, args ...any) {
	b.t.Helper()
	msg := fmt.Sprintf(format, args...)
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		*b.shots++
		file := filepath.Join(b.Artifacts, fmt.Sprintf("%02d-failure.png", *b.shots))
		if os.WriteFile(file, png, 0o644) == nil {
			msg += "\nscreenshot: " + file
		}
	}
	if html, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.documentElement.outerHTML")); err == nil {
		file := filepath.Join(b.Artifacts, "failure.html")
		if os.WriteFile(file, []byte(html), 0o644) == nil {
			msg += "\npage HTML: " + file
		}
	}
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err == nil {
		msg += "\nat " + loc
	} else if errors.Is(err, context.DeadlineExceeded) {
		msg += "\nthe browser no longer answers"
	}
	b.t.Fatal(msg)
}

// a11yJS lists the page's accessibility basics that fail, one line per
// offending element: form fields without a label, images without alt
// text, buttons and links without a name, duplicate ids (a label's for=
// then points at the wrong field) and a document without lang or title.
const a11yJS = `(() => {
  const out = [];
  const describe = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.getAttribute('name')) s += '[name="' + el.getAttribute('name') + '"]';
    if (el.getAttribute('type')) s += '[type="' + el.getAttribute('type') + '"]';
    if (el.getAttribute('src')) s += '[src="' + el.getAttribute('src') + '"]';
    if (el.getAttribute('href')) s += '[href="' + el.getAttribute('href') + '"]';
    return s;
  };
  const named = el => (el.getAttribute('aria-label') || '').trim() !== '' ||
    (el.getAttribute('aria-labelledby') || '').split(/\s+/).some(id => id && document.getElementById(id));
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden') continue;
    const labelled = named(el) || el.closest('label') ||
      (el.id && [...document.querySelectorAll('label')].some(l => l.htmlFor === el.id && l.textContent.trim() !== ''));
    if (!labelled) out.push('form field without a label: ' + describe(el));
  }
  for (const el of document.querySelectorAll('img')) {
    if (!el.hasAttribute('alt')) out.push('image without alt: ' + describe(el));
  }
  for (const el of document.querySelectorAll('button, a[href]')) {
    if (el.textContent.trim() === '' && !named(el) && !el.querySelector('img[alt]:not([alt=""])')) {
      out.push('button or link without a name: ' + describe(el));
    }
  }
  const seen = new Set();
  for (const el of document.querySelectorAll('[id]')) {
    if (seen.has(el.id)) out.push('duplicate id: ' + describe(el));
    seen.add(el.id);
  }
  if (!document.documentElement.lang) out.push('html without lang');
  if (document.title.trim() === '') out.push('page without title');
  return out;
})()`

// overflowJS lists the elements that stick out of the card, or the
// page, that holds them: a sign of a broken layout, reported but not
// fatal, as only a person can tell whether it looks wrong.
const overflowJS = `(() => {
  const out = [];
  const vw = document.documentElement.clientWidth;
  for (const el of document.querySelectorAll('main *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || el.closest('.table-wrap')) continue;
    const box = el.parentElement.closest('.card');
    const limit = box ? box.getBoundingClientRect().right : vw;
    if (r.right > limit + 1) {
      let s = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
      out.push(s + ' reaches x=' + Math.round(r.right) + ', beyond its ' + (box ? 'card' : 'page') + ' at x=' + Math.round(limit));
    }
  }
  return out;
})()`

// syncBuffer collects the browser's output for a failure message.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
