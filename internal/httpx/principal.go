package httpx

import (
	"context"

	"github.com/motcua/motcua"
)

type principalKey struct{}
type clientKey struct{}

// WithPrincipal returns ctx carrying the request's logged-in actor.
func WithPrincipal(ctx context.Context, p *motcua.Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// Principal returns the logged-in actor, nil for visitors.
func Principal(ctx context.Context) *motcua.Principal {
	p, _ := ctx.Value(principalKey{}).(*motcua.Principal)
	return p
}

// WithClient returns ctx carrying the authenticated integrator client.
func WithClient(ctx context.Context, c *motcua.APIClient) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

// Client returns the authenticated integrator client, nil when none.
func Client(ctx context.Context) *motcua.APIClient {
	c, _ := ctx.Value(clientKey{}).(*motcua.APIClient)
	return c
}
