package main

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/devidp"
	"github.com/motcua/motcua/internal/groupcommit"
	"github.com/motcua/motcua/internal/popdb"
	"github.com/motcua/motcua/internal/popdb/popdbsim"
	"github.com/motcua/motcua/internal/service"
	"github.com/motcua/motcua/internal/sso"
)

// identitySetup is the login configuration of a server: the relying-party
// providers and, in demo mode, the development providers it serves itself.
type identitySetup struct {
	providers []*sso.Provider
	mounts    map[string]http.Handler
}

// demoProviders are the two development providers of the demo, standing
// in for VNeID and the national portal's SSO.
var demoProviders = []struct{ name, label, title string }{
	{"vneid", "Đăng nhập bằng tài khoản định danh điện tử VNeID", "VNeID (môi trường phát triển)"},
	{"dvcqg", "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia", "Cổng Dịch vụ công quốc gia (môi trường phát triển)"},
}

func identityProviders(cfg serveConfig, publicURL string, logger *slog.Logger) (identitySetup, error) {
	setup := identitySetup{mounts: map[string]http.Handler{}}
	if cfg.OIDCProviders != "" {
		raw, err := os.ReadFile(cfg.OIDCProviders)
		if err != nil {
			return setup, fmt.Errorf("read --oidc-providers: %w", err)
		}
		var pcs []sso.ProviderConfig
		if err := json.Unmarshal(raw, &pcs); err != nil {
			return setup, fmt.Errorf("parse %s: %w", cfg.OIDCProviders, err)
		}
		for _, pc := range pcs {
			if pc.RedirectURL == "" {
				pc.RedirectURL = publicURL + "/auth/callback/" + pc.Name
			}
			p, err := sso.NewProvider(pc, nil)
			if err != nil {
				return setup, err
			}
			setup.providers = append(setup.providers, p)
		}
		return setup, nil
	}
	if !cfg.Demo {
		return setup, nil
	}
	// The secret only has to be shared between the two halves of this
	// process, so a fresh one per start is enough.
	secret := service.NewSecret(24)
	for _, d := range demoProviders {
		path := "/dev-idp/" + d.name
		redirect := publicURL + "/auth/callback/" + d.name
		idp, err := devidp.New(devidp.Config{
			Issuer: publicURL + path, Title: d.title, Users: devidp.DemoUsers(), AllowInsecure: true,
			Logger: logger.With("component", "dev-idp", "provider", d.name),
			Clients: []devidp.Client{{ID: "motcua", Secret: secret, RedirectURIs: []string{redirect},
				PostLogoutRedirectURIs: []string{publicURL + "/"}}},
		})
		if err != nil {
			return setup, err
		}
		setup.mounts[path] = idp
		p, err := sso.NewProvider(sso.ProviderConfig{Name: d.name, Label: d.label, Issuer: idp.Issuer(),
			ClientID: "motcua", ClientSecret: secret, RedirectURL: redirect, ACRValues: "LoA1",
			Scopes: []string{"openid", "profile", "email", "phone"}}, nil)
		if err != nil {
			return setup, err
		}
		setup.providers = append(setup.providers, p)
	}
	return setup, nil
}

// population returns the population-database client: the configured
// adapter, the simulator served under /dev-popdb in demo mode, or one that
// reports the database as unavailable.
func population(cfg serveConfig, publicURL string, store motcua.Store, logger *slog.Logger, mounts map[string]http.Handler) (service.Population, error) {
	url := cfg.PopDBURL
	if url == "" && cfg.Demo {
		mounts["/dev-popdb"] = popdbsim.New(popdbsim.DemoCitizens(), popdbsim.Options{ClientID: cfg.PopDBClientID,
			ClientSecret: cfg.PopDBSecret, Logger: logger.With("component", "popdb-sim")})
		url = publicURL + "/dev-popdb"
	}
	if url == "" {
		logger.Warn("no population database configured (--popdb-url): identity checks will report it unavailable")
		return service.NoPopulation{}, nil
	}
	return popdb.NewClient(popdb.Config{BaseURL: url, ClientID: cfg.PopDBClientID, ClientSecret: cfg.PopDBSecret,
		Audit: groupcommit.NewAudit(store), Logger: logger.With("component", "popdb")})
}
