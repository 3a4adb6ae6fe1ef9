package service

import (
	"context"
	"slices"
	"strings"

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

// AgencyResource is the resource of the work of agency code: its path
// up the tree and the agency whose desk receives its dossiers (Desk).
func AgencyResource(ctx context.Context, st motcua.AgencyStore, code string) (Resource, error) {
	a, err := st.GetAgency(ctx, code)
	if err != nil {
		return Resource{}, err
	}
	path, err := AgencyPath(ctx, st, code)
	if err != nil {
		return Resource{}, err
	}
	return Resource{AgencyPath: path, Desk: a.ReceptionDesk}, nil
}

// DeskAgencies returns the agencies whose dossiers the desk of agency
// code receives: the agency itself (unless its own desk is another's)
// and every agency naming it as ReceptionDesk, in code order.
func DeskAgencies(ctx context.Context, st motcua.AgencyStore, code string) ([]*motcua.Agency, error) {
	self, err := st.GetAgency(ctx, code)
	if err != nil {
		return nil, err
	}
	served, err := st.ListAgencies(ctx, motcua.AgencyFilter{ReceptionDesk: code})
	if err != nil {
		return nil, err
	}
	if self.ReceptionDesk != "" {
		return served, nil
	}
	out := append([]*motcua.Agency{self}, served...)
	slices.SortFunc(out, func(a, b *motcua.Agency) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

// AgencySubtree returns root and every agency under it, root first.
func AgencySubtree(ctx context.Context, st motcua.AgencyStore, root string) ([]*motcua.Agency, error) {
	top, err := st.GetAgency(ctx, root)
	if err != nil {
		return nil, err
	}
	// One read of the whole tree (a province has a few hundred agencies),
	// then a breadth-first walk in code order.
	all, err := st.ListAgencies(ctx, motcua.AgencyFilter{})
	if err != nil {
		return nil, err
	}
	children := make(map[string][]*motcua.Agency)
	for _, a := range all {
		if a.ParentCode != "" {
			children[a.ParentCode] = append(children[a.ParentCode], a)
		}
	}
	out := []*motcua.Agency{top}
	seen := map[string]bool{top.Code: true}
	for i := 0; i < len(out); i++ {
		for _, c := range children[out[i].Code] {
			if !seen[c.Code] {
				seen[c.Code] = true
				out = append(out, c)
			}
		}
	}
	return out, nil
}
