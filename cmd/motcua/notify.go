package main

import (
	"crypto/subtle"
	"flag"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/httpx"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/notify/notifysim"
	"github.com/motcua/motcua/internal/service"
)

// notifyConfig selects the notification gateways.
type notifyConfig struct {
	ZaloURL, ZaloToken           string
	SMSURL, SMSKey, SMSBrandname string
	SMTPAddr, SMTPFrom           string
	SMTPUser, SMTPPassword       string
}

func (c *notifyConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.ZaloURL, "zalo-url", envDefault("MOTCUA_ZALO_URL", ""), "Zalo ZNS API base URL; empty disables Zalo [$MOTCUA_ZALO_URL]")
	fs.StringVar(&c.ZaloToken, "zalo-token", envDefault("MOTCUA_ZALO_ACCESS_TOKEN", ""), "Zalo ZNS access token [$MOTCUA_ZALO_ACCESS_TOKEN]")
	fs.StringVar(&c.SMSURL, "sms-url", envDefault("MOTCUA_SMS_URL", ""), "SMS brandname gateway base URL; empty disables SMS [$MOTCUA_SMS_URL]")
	fs.StringVar(&c.SMSKey, "sms-key", envDefault("MOTCUA_SMS_API_KEY", ""), "SMS gateway API key [$MOTCUA_SMS_API_KEY]")
	fs.StringVar(&c.SMSBrandname, "sms-brandname", envDefault("MOTCUA_SMS_BRANDNAME", "MOTCUA"), "SMS brandname [$MOTCUA_SMS_BRANDNAME]")
	fs.StringVar(&c.SMTPAddr, "smtp-addr", envDefault("MOTCUA_SMTP_ADDR", ""), "SMTP server host:port; empty disables e-mail [$MOTCUA_SMTP_ADDR]")
	fs.StringVar(&c.SMTPFrom, "smtp-from", envDefault("MOTCUA_SMTP_FROM", ""), "sender address of e-mails [$MOTCUA_SMTP_FROM]")
	fs.StringVar(&c.SMTPUser, "smtp-user", envDefault("MOTCUA_SMTP_USER", ""), "SMTP user [$MOTCUA_SMTP_USER]")
	fs.StringVar(&c.SMTPPassword, "smtp-password", envDefault("MOTCUA_SMTP_PASSWORD", ""), "SMTP password [$MOTCUA_SMTP_PASSWORD]")
}

// notifications builds the senders. In demo mode without configured
// gateways, the gateway simulator is served under /dev-notify and both
// Zalo and SMS go to it; its page shows what citizens received.
//
// The simulator's pages show every citizen's messages, so only the demo's
// monitors and administrators (OpViewDemoMessages) or a holder of the
// demo-only token printed at start-up may read them; the gateway endpoints
// keep their own token and key.
func notifications(c notifyConfig, demoMode bool, publicURL string, logger *slog.Logger, mounts map[string]http.Handler,
	auth *service.Auth) (notify.Router, error) {
	router := notify.Router{}
	if demoMode && c.ZaloURL == "" && c.SMSURL == "" {
		gate := &demoGate{next: notifysim.New(notifysim.Options{Logger: logger.With("component", "notify-sim")}),
			token: service.NewSecret(24), auth: auth, prefix: "/dev-notify"}
		mounts["/dev-notify"] = gate.handler()
		logger.Warn("DEMO ONLY: the notification simulator's messages are open to monitor and administrator officers, "+
			"and to this link", "url", publicURL+"/dev-notify/?token="+gate.token)
		c.ZaloURL, c.ZaloToken = publicURL+"/dev-notify", notifysim.DefaultAccessToken
		c.SMSURL, c.SMSKey = publicURL+"/dev-notify", notifysim.DefaultAPIKey
	}
	if c.ZaloURL != "" {
		z, err := notify.NewZalo(notify.ZaloConfig{BaseURL: c.ZaloURL, AccessToken: c.ZaloToken, TemplateIDs: notifysim.DefaultTemplateIDs()})
		if err != nil {
			return nil, usageError{err.Error()}
		}
		router[motcua.ChannelZalo] = z
	}
	if c.SMSURL != "" {
		s, err := notify.NewSMS(notify.SMSConfig{BaseURL: c.SMSURL, APIKey: c.SMSKey, Brandname: c.SMSBrandname})
		if err != nil {
			return nil, usageError{err.Error()}
		}
		router[motcua.ChannelSMS] = s
	}
	if c.SMTPAddr != "" {
		e, err := notify.NewEmail(notify.EmailConfig{Addr: c.SMTPAddr, From: c.SMTPFrom, Username: c.SMTPUser, Password: c.SMTPPassword})
		if err != nil {
			return nil, usageError{err.Error()}
		}
		router[motcua.ChannelEmail] = e
	}
	return router, nil
}

// channels lists the channels a router can deliver on.
func channels(r notify.Router) []motcua.NotifyChannel {
	var out []motcua.NotifyChannel
	for _, ch := range []motcua.NotifyChannel{motcua.ChannelZalo, motcua.ChannelSMS, motcua.ChannelEmail} {
		if r[ch] != nil {
			out = append(out, ch)
		}
	}
	return out
}

// demoGateCookie holds the demo token in the browser that opened the
// printed link, for the simulator's paths only.
const demoGateCookie = "motcua_dev_notify"

// demoGate keeps a development simulator's pages for officers allowed
// OpViewDemoMessages (their motcua session) and holders of its demo-only
// token (?token= once, then a cookie; or "Authorization: Bearer"). The
// gateway endpoints motcua itself calls pass: they check their own keys.
type demoGate struct {
	next   http.Handler
	token  string
	auth   *service.Auth
	prefix string // where the simulator is mounted
}

func (g *demoGate) handler() http.Handler {
	// The admin forms change the simulator: no posting from other sites.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteError(w, r, &motcua.Error{Kind: motcua.EFORBIDDEN, Code: "cross_origin_refused",
			Message: "Yêu cầu bị từ chối vì được gửi từ một trang web khác."})
	}))
	return cop.Handler(http.HandlerFunc(g.serve))
}

func (g *demoGate) tokenOK(t string) bool {
	return t != "" && subtle.ConstantTimeCompare([]byte(t), []byte(g.token)) == 1
}

func (g *demoGate) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && (r.URL.Path == notify.PathZalo || r.URL.Path == notify.PathSMS) || r.URL.Path == notifysim.PathHealth {
		g.next.ServeHTTP(w, r)
		return
	}
	if t := r.URL.Query().Get("token"); t != "" && r.Method == http.MethodGet {
		if !g.tokenOK(t) {
			httpx.WriteError(w, r, &motcua.Error{Kind: motcua.EUNAUTH, Code: "invalid_demo_token",
				Message: "Mã truy cập trang mô phỏng không đúng."})
			return
		}
		http.SetCookie(w, &http.Cookie{Name: demoGateCookie, Value: g.token, Path: g.prefix + "/", HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
		q := r.URL.Query()
		q.Del("token")
		to := &url.URL{Path: g.prefix + r.URL.Path, RawQuery: q.Encode()}
		http.Redirect(w, r, to.String(), http.StatusSeeOther)
		return
	}
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && g.tokenOK(strings.TrimSpace(bearer)) {
		g.next.ServeHTTP(w, r)
		return
	}
	if c, err := r.Cookie(demoGateCookie); err == nil && g.tokenOK(c.Value) {
		g.next.ServeHTTP(w, r)
		return
	}
	var p *motcua.Principal
	if c, err := r.Cookie("motcua_session"); err == nil && g.auth != nil {
		p, _, _ = g.auth.Authenticate(r.Context(), c.Value)
	}
	if p == nil && r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html") {
		http.Redirect(w, r, "/can-bo/dang-nhap?return_to="+url.QueryEscape(g.prefix+r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	res := service.Resource{}
	if p != nil {
		res.AgencyPath = []string{p.AgencyCode}
	}
	if err := service.Authorize(p, service.OpViewDemoMessages, res); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	g.next.ServeHTTP(w, r)
}
