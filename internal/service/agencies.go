package service

import (
	"context"
	"slices"

	"github.com/motcua/motcua"
)

// maxAgencyDepth bounds parent walks, so that a corrupted cycle in the
// agency tree cannot loop forever.
const maxAgencyDepth = 16

// AgencyPath returns code followed by its ancestors, nearest first.
func AgencyPath(ctx context.Context, st motcua.AgencyStore, code string) ([]string, error) {
	var path []string
	for code != "" && len(path) < maxAgencyDepth {
		a, err := st.GetAgency(ctx, code)
		if err != nil {
			return nil, err
		}
		path = append(path, a.Code)
		code = a.ParentCode
	}
	return path, nil
}

// AgencySubtree returns root and every agency under it, root first.
func AgencySubtree(ctx context.Context, st motcua.AgencyStore, root string) ([]*motcua.Agency, error) {
	top, err := st.GetAgency(ctx, root)
	if err != nil {
		return nil, err
	}
	out := []*motcua.Agency{top}
	for i := 0; i < len(out) && len(out) < 10_000; i++ {
		children, err := st.ListAgencies(ctx, motcua.AgencyFilter{ParentCode: out[i].Code})
		if err != nil {
			return nil, err
		}
		for _, c := range children {
			if !slices.ContainsFunc(out, func(a *motcua.Agency) bool { return a.Code == c.Code }) {
				out = append(out, c)
			}
		}
	}
	return out, nil
}
