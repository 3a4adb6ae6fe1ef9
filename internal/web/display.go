package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Display preferences of seed 000's header: text size "A- A A+" and
// "Tăng tương phản / Giảm tương phản". They are plain links to
// /hien-thi, which sets a cookie and returns to the page, so that they
// work without JavaScript; the layout reads the cookie on every page.

const (
	textSizeCookie = "co_chu"     // "nho" or "lon"; absent: normal
	contrastCookie = "tuong_phan" // "cao"; absent: normal
)

// display is the layout's view of the preferences.
type display struct {
	TextSize string // "nho", "vua" or "lon"
	Contrast bool
	Here     string // the page, to come back to
}

func displayOf(r *http.Request) display {
	d := display{TextSize: "vua", Here: r.URL.RequestURI()}
	if strings.HasPrefix(r.URL.Path, "/auth/") {
		// The login pages' query (return_to, state) is not carried around.
		d.Here = r.URL.EscapedPath()
	}
	if c, err := r.Cookie(textSizeCookie); err == nil && (c.Value == "nho" || c.Value == "lon") {
		d.TextSize = c.Value
	}
	if c, err := r.Cookie(contrastCookie); err == nil && c.Value == "cao" {
		d.Contrast = true
	}
	return d
}

// Class is the html element's class list for the preferences.
func (d display) Class() string {
	var cls []string
	switch d.TextSize {
	case "nho":
		cls = append(cls, "chu-nho")
	case "lon":
		cls = append(cls, "chu-lon")
	}
	if d.Contrast {
		cls = append(cls, "tuong-phan-cao")
	}
	return strings.Join(cls, " ")
}

// Link is the address that sets one preference and comes back here.
func (d display) Link(key, value string) string {
	q := url.Values{key: {value}, "quay-lai": {d.Here}}
	return "/hien-thi?" + q.Encode()
}

// setDisplay stores the preference the link names for a year and goes
// back to the page it came from (a path of this site only).
func (s *Server) setDisplay(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	set := func(name, value string) {
		c := &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil}
		if value == "" {
			c.MaxAge = -1
		}
		http.SetCookie(w, c)
	}
	switch q.Get("co-chu") {
	case "nho", "lon":
		set(textSizeCookie, q.Get("co-chu"))
	case "vua":
		set(textSizeCookie, "")
	}
	switch q.Get("tuong-phan") {
	case "cao":
		set(contrastCookie, "cao")
	case "thuong":
		set(contrastCookie, "")
	}
	back := q.Get("quay-lai")
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.HasPrefix(back, "/\\") {
		back = "/"
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, back, http.StatusSeeOther)
}
