package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/devidp"
)

// devIdPURIList is a repeatable flag whose values may also be comma lists.
// The first value given replaces the defaults.
type devIdPURIList struct {
	values []string
	set    bool
}

func (l *devIdPURIList) String() string { return strings.Join(l.values, ",") }

func (l *devIdPURIList) Set(v string) error {
	if !l.set {
		l.values, l.set = nil, true
	}
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			l.values = append(l.values, s)
		}
	}
	return nil
}

// runDevIdP implements "motcua dev-idp": a standalone development OpenID
// Connect provider with the demo accounts, for a motcua server run without
// --demo or for another relying party. A --demo server mounts its own
// providers and does not need this.
func runDevIdP(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const (
		defaultRedirects = "http://127.0.0.1:8080/auth/callback/vneid,http://127.0.0.1:8080/auth/callback/dvcqg"
		shutdownTimeout  = 10 * time.Second
	)
	var (
		logCfg                                      commonConfig
		addr, issuer, clientID, clientSecret, title string
		password                                    string
		redirects, postLogout                       devIdPURIList
	)
	fs := newFlagSet("dev-idp", devIdPSynopsis, stderr)
	_ = redirects.Set(envDefault("MOTCUA_DEVIDP_REDIRECT_URIS", defaultRedirects))
	redirects.set = false
	if v := envDefault("MOTCUA_DEVIDP_POST_LOGOUT_REDIRECT_URIS", ""); v != "" {
		_ = postLogout.Set(v)
		postLogout.set = false
	}
	fs.StringVar(&addr, "addr", envDefault("MOTCUA_DEVIDP_ADDR", "127.0.0.1:8090"),
		"address to listen on [$MOTCUA_DEVIDP_ADDR]")
	fs.StringVar(&issuer, "issuer", envDefault("MOTCUA_DEVIDP_ISSUER", ""),
		"issuer URL, as both the browser and the relying party reach it; it may have a path (default http://<addr>) [$MOTCUA_DEVIDP_ISSUER]")
	fs.StringVar(&clientID, "client-id", envDefault("MOTCUA_DEVIDP_CLIENT_ID", "motcua"),
		"client id of the relying party [$MOTCUA_DEVIDP_CLIENT_ID]")
	fs.StringVar(&clientSecret, "client-secret", envDefault("MOTCUA_DEVIDP_CLIENT_SECRET", "motcua-dev-secret"),
		"client secret of the relying party; empty makes it a public client, which must use PKCE [$MOTCUA_DEVIDP_CLIENT_SECRET]")
	fs.Var(&redirects, "redirect-uri",
		"registered redirect URI; repeat the flag or give a comma list [$MOTCUA_DEVIDP_REDIRECT_URIS]")
	fs.Var(&postLogout, "post-logout-redirect-uri",
		"registered post-logout redirect URI; repeatable or a comma list (default: the origin of each redirect URI, with a trailing /) [$MOTCUA_DEVIDP_POST_LOGOUT_REDIRECT_URIS]")
	fs.StringVar(&title, "title", envDefault("MOTCUA_DEVIDP_TITLE", "VNeID (môi trường phát triển)"),
		"name shown on the login page [$MOTCUA_DEVIDP_TITLE]")
	fs.StringVar(&password, "password", envDefault("MOTCUA_DEVIDP_PASSWORD", devidp.DefaultPassword),
		"password of every account; it is printed on the login page [$MOTCUA_DEVIDP_PASSWORD]")
	fs.StringVar(&logCfg.LogFormat, "log-format", envDefault("MOTCUA_LOG_FORMAT", "auto"),
		"log format: auto (text on a terminal, JSON otherwise), text or json [$MOTCUA_LOG_FORMAT]")
	fs.StringVar(&logCfg.LogLevel, "log-level", envDefault("MOTCUA_LOG_LEVEL", "info"),
		"log level: debug, info, warn or error [$MOTCUA_LOG_LEVEL]")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	logger, err := logCfg.logger(stderr)
	if err != nil {
		return err
	}
	if len(redirects.values) == 0 {
		return usageError{"--redirect-uri: at least one redirect URI is needed"}
	}
	if len(postLogout.values) == 0 {
		postLogout.values = devIdPOrigins(redirects.values)
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	defer ln.Close()
	if issuer == "" {
		issuer = "http://" + ln.Addr().String()
	}
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" {
		return usageError{fmt.Sprintf("--issuer %q is not an absolute URL", issuer)}
	}
	insecure := u.Scheme == "http"
	if ip := net.ParseIP(u.Hostname()); insecure && u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		logger.Warn("the development identity provider is served over plain http on a non-loopback address; " +
			"anyone on the network can read its tokens, and anyone can log in with the published password")
	}
	p, err := devidp.New(devidp.Config{
		Issuer: issuer,
		Clients: []devidp.Client{{ID: clientID, Secret: clientSecret,
			RedirectURIs: redirects.values, PostLogoutRedirectURIs: postLogout.values}},
		Users:         devidp.DemoUsers(),
		Password:      password,
		Title:         title,
		Logger:        logger.With("component", "dev-idp"),
		AllowInsecure: insecure,
	})
	if err != nil {
		return usageError{err.Error()}
	}

	srv := &http.Server{
		Handler:           p, // it strips the issuer's path itself
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	logger.Info("dev-idp listening", "addr", ln.Addr().String(), "issuer", p.Issuer(), "client_id", clientID,
		"public_client", clientSecret == "", "redirect_uris", redirects.values,
		"post_logout_redirect_uris", postLogout.values, "users", len(devidp.DemoUsers()))
	fmt.Fprintln(stdout, "issuer", p.Issuer())

	return serveUntilDone(ctx, srv, ln, logger, shutdownTimeout, false)
}

const devIdPSynopsis = `Run the development OpenID Connect provider that stands in for VNeID and the
national public-service portal (Cổng Dịch vụ công quốc gia) in demos and tests.
It knows the demo accounts (citizens by personal id, organisations by
enterprise code) and prints their shared password on its login page: never
expose it as a real identity provider. Tokens and logins live in memory.`

// devIdPOrigins returns "scheme://host/" for each distinct origin of uris.
func devIdPOrigins(uris []string) []string {
	var out []string
	for _, raw := range uris {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			continue // New reports the bad redirect URI
		}
		o := u.Scheme + "://" + u.Host + "/"
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}
