package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// DataUse is one line of "Ai đã sử dụng dữ liệu của tôi" as a citizen
// reads it: which agency, which officer by full name, for what purpose
// in Vietnamese, in which dossier of which procedure.
type DataUse struct {
	At          time.Time
	AgencyName  string
	OfficerName string // full name; the username only when the officer is unknown
	Purpose     string // Vietnamese
	DossierCode string
	Procedure   string
}

// maxDataUseDossiers bounds the owner's dossiers searched for uses of a
// document.
const maxDataUseDossiers = 500

// DataUses lists who used the owner's document, newest first: the reads
// and downloads by officers (AccessLog) and the dossiers the document was
// attached to from the warehouse, submitted online or received at the
// counter.
func (w *Warehouse) DataUses(ctx context.Context, p *motcua.Principal, id string) ([]DataUse, error) {
	d, err := w.owned(ctx, p, id)
	if err != nil {
		return nil, err
	}
	events, err := w.AccessLog(ctx, p, id)
	if err != nil {
		return nil, err
	}
	n := names{w: w, officers: map[string]string{}, agencies: map[string]string{}, procedures: map[string]string{}}
	var out []DataUse
	for _, e := range events {
		u := DataUse{At: e.At, AgencyName: n.agency(ctx, e.AgencyCode), OfficerName: n.officer(ctx, e.ActorID),
			Purpose: accessPurpose(e)}
		if e.DossierID != "" {
			if ds, err := w.store.GetDossier(ctx, e.DossierID); err == nil {
				u.DossierCode, u.Procedure = ds.Code, n.procedure(ctx, ds)
			}
		}
		out = append(out, u)
	}
	dossiers, _, err := w.store.ListDossiers(ctx, motcua.DossierFilter{Party: d.OwnerCode, Limit: maxDataUseDossiers})
	if err != nil {
		return nil, err
	}
	for _, ds := range dossiers {
		if !usesDocument(ds, d.ID) {
			continue
		}
		u := DataUse{At: ds.SubmittedAt, AgencyName: n.agency(ctx, ds.AgencyCode), DossierCode: ds.Code,
			Procedure: n.procedure(ctx, ds), Purpose: "Sử dụng lại trong hồ sơ thay cho bản giấy"}
		if ds.ReceivedBy != "" {
			u.OfficerName = n.officer(ctx, ds.ReceivedBy)
			u.Purpose += " (cán bộ tiếp nhận hồ sơ)"
		} else {
			u.Purpose += " (hồ sơ nộp trực tuyến, chờ tiếp nhận)"
		}
		if u.At.IsZero() {
			u.At = ds.ReceivedAt
		}
		out = append(out, u)
	}
	slices.SortStableFunc(out, func(a, b DataUse) int { return b.At.Compare(a.At) })
	return out, nil
}

// usesDocument reports whether a component of ds holds the warehouse
// document id.
func usesDocument(ds *motcua.Dossier, id string) bool {
	for _, c := range ds.Components {
		for _, a := range c.Attachments {
			if a.Source == motcua.FromWarehouse && a.DocumentID == id {
				return true
			}
		}
	}
	return false
}

// accessPurpose says in Vietnamese why an officer opened the document.
func accessPurpose(e *motcua.AuditEvent) string {
	what := "Xem thông tin giấy tờ"
	if e.Action == "document.download" {
		what = "Xem tệp giấy tờ"
	}
	switch {
	case strings.HasPrefix(e.Detail, "counter draft"):
		return what + " khi tiếp nhận hồ sơ trực tiếp tại Bộ phận Một cửa"
	case strings.HasPrefix(e.Detail, "feedback="):
		return what + " để giải quyết phản ánh của Ông/Bà về kết quả"
	case e.DossierID != "":
		what += " để giải quyết hồ sơ"
	}
	// A purpose an agency system gave through the API is shown when it is
	// a sentence in Vietnamese; technical words are not.
	if p := strings.TrimSpace(e.Detail); p != "" && strings.ContainsFunc(p, func(r rune) bool { return r > 0x7f }) {
		what += ": " + p
	}
	return what
}

// names resolves codes to the names a citizen reads, each once.
type names struct {
	w          *Warehouse
	officers   map[string]string
	agencies   map[string]string
	procedures map[string]string
}

func (n names) officer(ctx context.Context, username string) string {
	if username == "" {
		return ""
	}
	if v, ok := n.officers[username]; ok {
		return v
	}
	v := username
	// Access-log actors are "officer:<username>" (Principal.ActorID).
	if o, err := n.w.store.GetOfficer(ctx, strings.TrimPrefix(username, "officer:")); err == nil && o.Name != "" {
		v = o.Name
	}
	n.officers[username] = v
	return v
}

func (n names) agency(ctx context.Context, code string) string {
	if code == "" {
		return ""
	}
	if v, ok := n.agencies[code]; ok {
		return v
	}
	v := code
	if a, err := n.w.store.GetAgency(ctx, code); err == nil && a.Name != "" {
		v = a.Name
	}
	n.agencies[code] = v
	return v
}

func (n names) procedure(ctx context.Context, ds *motcua.Dossier) string {
	key := ds.ProcedureCode
	if v, ok := n.procedures[key]; ok {
		return v
	}
	v := ds.ProcedureCode
	if p, err := n.w.store.GetProcedureVersion(ctx, ds.ProcedureCode, ds.ProcedureVersion); err == nil && p.Name != "" {
		v = p.Name
	} else if p, err := n.w.store.GetProcedure(ctx, ds.ProcedureCode); err == nil && p.Name != "" {
		v = p.Name
	}
	n.procedures[key] = v
	return v
}
