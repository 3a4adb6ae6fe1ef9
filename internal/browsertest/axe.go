package browsertest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// AxeVersion is the axe-core release the tests inject; scripts/axe pins
// the same one.
const AxeVersion = "4.10.3"

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

// axeScript returns the text of axe.min.js: $MOTCUA_AXE when set, else
// the cache folder scripts/axe fills, running that script (npm pack) when
// the file is missing.
func axeScript() (string, error) {
	axeOnce.Do(func() {
		path := os.Getenv("MOTCUA_AXE")
		if path == "" {
			cache := os.Getenv("MOTCUA_CACHE")
			if cache == "" {
				base, err := os.UserCacheDir()
				if err != nil {
					axeErr = err
					return
				}
				cache = filepath.Join(base, "motcua")
			}
			path = filepath.Join(cache, "axe-core-"+AxeVersion, "axe.min.js")
			if _, err := os.Stat(path); err != nil {
				if path, err = fetchAxe(); err != nil {
					axeErr = err
					return
				}
			}
		}
		data, err := os.ReadFile(path)
		if err != nil {
			axeErr = err
			return
		}
		axeSource = string(data)
	})
	return axeSource, axeErr
}

// fetchAxe runs the repository's scripts/axe, found by walking up from
// the working folder to go.mod, and returns the path it prints.
func fetchAxe() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working folder: cannot find scripts/axe")
		}
		dir = parent
	}
	cmd := exec.Command(filepath.Join(dir, "scripts", "axe"))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("scripts/axe: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// axeViolation is the part of an axe-core result the tests report.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// Axe runs axe-core on the page and returns its serious and critical
// violations, one line per rule with the offending elements. Without
// axe-core (no npm, no cache) the test is skipped, or fails under
// $MOTCUA_REQUIRE_BROWSER=1.
func (b *Browser) Axe() []string {
	b.t.Helper()
	src, err := axeScript()
	if err != nil {
		if os.Getenv("MOTCUA_REQUIRE_BROWSER") == "1" {
			b.t.Fatalf("MOTCUA_REQUIRE_BROWSER=1 but axe-core %s is missing: %v (run scripts/axe, or set MOTCUA_AXE)", AxeVersion, err)
		}
		b.t.Skipf("axe-core %s missing: %v (run scripts/axe; MOTCUA_REQUIRE_BROWSER=1 makes this a failure)", AxeVersion, err)
	}
	if !Eval[bool](b, `typeof window.axe === "object"`) {
		Eval[bool](b, src+"\n;true")
	}
	raw := Eval[string](b, `axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`, chromedp.EvalAwaitPromise)
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		b.Fatalf("read the axe-core result: %v", err)
	}
	var out []string
	for _, v := range vs {
		if v.Impact != "serious" && v.Impact != "critical" {
			continue
		}
		var nodes []string
		for i, n := range v.Nodes {
			if i == 5 {
				nodes = append(nodes, fmt.Sprintf("… and %d more", len(v.Nodes)-5))
				break
			}
			html := n.HTML
			if len(html) > 160 {
				html = html[:160] + "…"
			}
			nodes = append(nodes, fmt.Sprintf("%v %s", n.Target, html))
		}
		out = append(out, fmt.Sprintf("%s (%s): %s\n      %s", v.ID, v.Impact, v.Help, strings.Join(nodes, "\n      ")))
	}
	return out
}

// Overflow returns the page's width when it is wider than the window,
// with the elements that stick out past the window's right edge (the
// outermost ones), or 0 and nil when the page does not scroll sideways.
func (b *Browser) Overflow() (int, []string) {
	b.t.Helper()
	var r struct {
		Width, Window int
		Culprits      []string
	}
	raw := Eval[string](b, sidewaysJS)
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		b.Fatalf("read the overflow result: %v", err)
	}
	if r.Width <= r.Window {
		return 0, nil
	}
	return r.Width, r.Culprits
}

// sidewaysJS measures document.documentElement.scrollWidth against
// window.innerWidth and names the outermost elements reaching past it.
const sidewaysJS = `(() => {
  const vw = window.innerWidth;
  const out = [];
  const describe = el => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      let s = e.tagName.toLowerCase();
      if (e.id) s += '#' + e.id;
      else if (e.classList.length) s += '.' + [...e.classList].join('.');
      parts.unshift(s);
    }
    return parts.join(' > ');
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    if (r.right <= vw + 1) {
      // Its own text may run past it: a long word in a heading.
      const st = getComputedStyle(el);
      if (st.overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1 && r.left + el.scrollWidth > vw + 1 &&
          [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim() !== '')) {
        out.push(describe(el) + ' text runs to x=' + Math.round(r.left + el.scrollWidth) + ' (' + (el.textContent || '').trim().slice(0, 60).replace(/\s+/g, ' ') + ')');
      }
      continue;
    }
    if (el.parentElement && el.parentElement !== document.body && el.parentElement.getBoundingClientRect().right > vw + 1) continue;
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o !== 'visible') { clipped = true; break; }
    }
    if (clipped) continue;
    out.push(describe(el) + ' reaches x=' + Math.round(r.right) + ' (' + (el.textContent || '').trim().slice(0, 60).replace(/\s+/g, ' ') + ')');
    if (out.length === 8) break;
  }
  return JSON.stringify({width: document.documentElement.scrollWidth, window: vw, culprits: out});
})()`
