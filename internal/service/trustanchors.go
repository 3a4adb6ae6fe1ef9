package service

import (
	"context"
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pdfsig"
)

// TrustAnchors is the PDF verifier whose trust anchors are those of the
// configuration (--trust-dir, the demo CA) plus the enabled anchors an
// administrator stored in the database, and the administration of the
// latter. A change takes effect at once on the node that made it and
// within SettingsRefresh on every other node, without a restart.
type TrustAnchors struct {
	store motcua.Store
	base  pdfsig.Options
	now   func() time.Time
	cache *settingCache[*pdfsig.Verifier]
}

var _ PDFVerifier = (*TrustAnchors)(nil)

// TrustAnchorsConfig tunes TrustAnchors.
type TrustAnchorsConfig struct {
	// Refresh is how often other nodes' changes are looked for (default
	// SettingsRefresh; negative: on every check).
	Refresh time.Duration
	Now     func() time.Time
}

// NewTrustAnchors builds the verifier over base, the configured options
// (their TrustAnchors are always trusted), and the database's anchors.
func NewTrustAnchors(store motcua.Store, base pdfsig.Options, cfg TrustAnchorsConfig) (*TrustAnchors, error) {
	if cfg.Refresh == 0 {
		cfg.Refresh = SettingsRefresh
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	// Building the configured verifier once checks the options now
	// rather than on the first upload.
	if _, err := pdfsig.NewVerifier(base); err != nil {
		return nil, err
	}
	t := &TrustAnchors{store: store, base: base, now: cfg.Now}
	t.cache = newSettingCache(store, motcua.SettingTrustAnchors, cfg.Refresh, cfg.Now, t.build)
	return t, nil
}

// build makes a verifier trusting the configured anchors and the enabled
// stored ones. A stored certificate that no longer parses is skipped (it
// was parsed when it was added).
func (t *TrustAnchors) build(ctx context.Context) (*pdfsig.Verifier, error) {
	list, err := t.store.ListTrustAnchors(ctx)
	if err != nil {
		return nil, err
	}
	opts := t.base
	opts.TrustAnchors = append([]*x509.Certificate{}, t.base.TrustAnchors...)
	for _, a := range list {
		if a.Disabled {
			continue
		}
		c, err := a.Certificate()
		if err != nil {
			continue
		}
		opts.TrustAnchors = append(opts.TrustAnchors, c)
	}
	v, err := pdfsig.NewVerifier(opts)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("trust anchors: %w", err))
	}
	return v, nil
}

// Verifier returns the verifier in force.
func (t *TrustAnchors) Verifier(ctx context.Context) (*pdfsig.Verifier, error) {
	return t.cache.get(ctx)
}

// Check implements PDFVerifier with the anchors in force.
func (t *TrustAnchors) Check(ctx context.Context, data []byte) (motcua.SignatureCheck, error) {
	v, err := t.Verifier(ctx)
	if err != nil {
		return motcua.SignatureCheck{}, err
	}
	return v.Check(ctx, data)
}

// ConfiguredAnchors are the anchors of the configuration, which the
// database cannot disable.
func (t *TrustAnchors) ConfiguredAnchors() []*x509.Certificate {
	return append([]*x509.Certificate{}, t.base.TrustAnchors...)
}

// List returns the stored anchors, newest first. Every administrator may
// see them (a district administrator, to answer its officers' questions).
func (t *TrustAnchors) List(ctx context.Context, p *motcua.Principal) ([]*motcua.TrustAnchor, error) {
	if err := AuthorizeAt(ctx, t.store, p, OpManageTrustAnchors, ""); err != nil {
		return nil, err
	}
	return t.store.ListTrustAnchors(ctx)
}

// Add stores a CA certificate (PEM or DER) as an enabled trust anchor;
// province administrators only. Errors: those of motcua.ParseTrustAnchor,
// ECONFLICT trust_anchor_exists, EFORBIDDEN province_admin_only.
func (t *TrustAnchors) Add(ctx context.Context, p *motcua.Principal, data []byte) (*motcua.TrustAnchor, error) {
	if err := AuthorizeProvince(ctx, t.store, p, OpManageTrustAnchors); err != nil {
		return nil, err
	}
	a, err := motcua.ParseTrustAnchor(data)
	if err != nil {
		return nil, err
	}
	now := t.now().UTC().Truncate(time.Microsecond)
	a.AddedBy, a.AddedAt, a.UpdatedAt = p.ActorID(), now, now
	err = t.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.CreateTrustAnchor(ctx, a); err != nil {
			if motcua.IsKind(err, motcua.ECONFLICT) {
				return &motcua.Error{Kind: motcua.ECONFLICT, Code: "trust_anchor_exists", Field: "certificate",
					Message: "Chứng thư số này đã có trong danh sách chứng thư số tin cậy (SHA-256 " + a.Fingerprint + ")."}
			}
			return err
		}
		return auditChange(ctx, tx, p, "trust_anchor.add", "trust_anchor", a.Fingerprint, nil, anchorAudit(a))
	})
	if err != nil {
		return nil, err
	}
	t.cache.invalidate()
	return a, nil
}

// SetDisabled disables (or enables again) the stored anchor; province
// administrators only. Errors: ENOTFOUND trust_anchor_not_found,
// EFORBIDDEN province_admin_only.
func (t *TrustAnchors) SetDisabled(ctx context.Context, p *motcua.Principal, fingerprint string, disabled bool) (*motcua.TrustAnchor, error) {
	if err := AuthorizeProvince(ctx, t.store, p, OpManageTrustAnchors); err != nil {
		return nil, err
	}
	fingerprint = strings.ToLower(strings.TrimSpace(fingerprint))
	var after *motcua.TrustAnchor
	err := t.store.InTx(ctx, func(tx motcua.Store) error {
		before, err := tx.GetTrustAnchor(ctx, fingerprint)
		if err != nil {
			return err
		}
		if before.Disabled == disabled {
			after = before
			return nil
		}
		now := t.now().UTC().Truncate(time.Microsecond)
		if err := tx.SetTrustAnchorDisabled(ctx, fingerprint, disabled, now); err != nil {
			return err
		}
		a := *before
		a.Disabled, a.UpdatedAt = disabled, now
		after = &a
		action := "trust_anchor.enable"
		if disabled {
			action = "trust_anchor.disable"
		}
		return auditChange(ctx, tx, p, action, "trust_anchor", fingerprint, anchorAudit(before), anchorAudit(after))
	})
	if err != nil {
		return nil, err
	}
	t.cache.invalidate()
	return after, nil
}

// anchorAudit is what the audit log keeps of an anchor.
func anchorAudit(a *motcua.TrustAnchor) map[string]any {
	return map[string]any{"subject": a.Subject, "issuer": a.Issuer, "serial": a.Serial,
		"not_before": a.NotBefore, "not_after": a.NotAfter, "enabled": !a.Disabled}
}
