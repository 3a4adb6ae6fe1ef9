package motcua

import (
	"fmt"
	"slices"
)

// APIScope is something an agency's API client may do with its token.
// APIScopes is the one list of them: the admin pages offer it, the API
// checks against it.
type APIScope string

// The scopes of agency API clients.
const (
	// ScopeResultsPush is putting the agency's results into owners'
	// warehouses (POST /api/v1/agency/results), within the client's
	// categories.
	ScopeResultsPush APIScope = "results:push"
)

// APIScopes lists every scope, in the order the admin pages show them.
func APIScopes() []APIScope { return []APIScope{ScopeResultsPush} }

// DefaultAPIScopes are the scopes of a client registered without a list:
// what every client could do before scopes existed.
func DefaultAPIScopes() []APIScope { return []APIScope{ScopeResultsPush} }

// Label is the scope's Vietnamese name.
func (s APIScope) Label() string {
	switch s {
	case ScopeResultsPush:
		return "Trả kết quả điện tử vào kho dữ liệu của công dân, tổ chức"
	}
	return string(s)
}

// Known reports whether s is in APIScopes.
func (s APIScope) Known() bool { return slices.Contains(APIScopes(), s) }

// HasScope reports whether the client was granted s.
func (c *APIClient) HasScope(s APIScope) bool { return slices.Contains(c.Scopes, s) }

func validateScopes(scopes []APIScope) error {
	seen := map[APIScope]bool{}
	for i, s := range scopes {
		if !s.Known() {
			return Invalid(fmt.Sprintf("scopes[%d]", i), "unknown_scope", fmt.Sprintf("Quyền %q không có trong danh sách quyền của ứng dụng tích hợp.", s))
		}
		if seen[s] {
			return Invalid(fmt.Sprintf("scopes[%d]", i), "duplicate_scope", fmt.Sprintf("Quyền %s bị trùng.", s))
		}
		seen[s] = true
	}
	return nil
}
