package service

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Reception is the counter's and the back office's work on dossiers
// (Bộ phận Tiếp nhận và Trả kết quả, then processing): the queue of an
// agency's dossiers and every status change, checked against the state
// machine, recorded in the dossier's history with who, when and why,
// notified to the citizen and audited, in one transaction.
type Reception struct {
	store     motcua.Store
	cal       motcua.CalendarSource
	now       func() time.Time
	publicURL string
	channels  []motcua.NotifyChannel
	wh        *Warehouse // results: files, categories, signature checks
	keys      Keyring    // results: the agencies' signing keys
	// render makes the PDF of a result filled in from the template.
	render func(io.Writer, motcua.ResultTemplate) error
	// fees is charged for the certified copies online dossiers return:
	// the desk's rule (Certification.Fees).
	fees motcua.CertificationFees
}

// NewReception builds the service; cal is the working-day calendar of due
// dates (motcua.DefaultCalendar when nil).
func NewReception(store motcua.Store, cal motcua.CalendarSource, publicURL string, now func() time.Time) *Reception {
	if cal == nil {
		cal = motcua.DefaultCalendar()
	}
	if now == nil {
		now = time.Now
	}
	return &Reception{store: store, cal: cal, now: now, publicURL: strings.TrimSuffix(publicURL, "/"),
		channels: []motcua.NotifyChannel{motcua.ChannelZalo, motcua.ChannelSMS, motcua.ChannelEmail},
		fees:     motcua.DefaultCertificationFees()}
}

// WithCertificationFees sets the fee rule of the certified copies that
// online dossiers return: the one the desk charges
// (Certification.Fees), so that both paths book the same fee.
func (r *Reception) WithCertificationFees(f motcua.CertificationFees) *Reception {
	r.fees = f
	return r
}

// WithChannels limits the notifications to the channels a sender exists
// for.
func (r *Reception) WithChannels(chs ...motcua.NotifyChannel) *Reception {
	r.channels = chs
	return r
}

// maxNote bounds the officers' reasons, comments and result summaries.
const maxNote = motcua.MaxNote

// WithResults enables drafting, signing and returning results: wh keeps
// and checks the files, keys signs them for each agency.
func (r *Reception) WithResults(wh *Warehouse, keys Keyring) *Reception {
	r.wh, r.keys = wh, keys
	return r
}

// WithResultTemplate sets how a result filled in from the simple template
// is rendered as PDF (report.WriteResultPDF).
func (r *Reception) WithResultTemplate(render func(io.Writer, motcua.ResultTemplate) error) *Reception {
	r.render = render
	return r
}

// operation is who may move a dossier to a status: the reception desk
// receives, refuses, asks for supplements, forwards and returns results;
// processing officers and leaders do the rest.
func operation(to motcua.DossierStatus, from motcua.DossierStatus) Operation {
	switch to {
	case motcua.StatusReceived, motcua.StatusRejected, motcua.StatusResultsReturned, motcua.StatusWithdrawn:
		return OpReceiveDossier
	case motcua.StatusProcessing:
		if from == motcua.StatusReceived {
			return OpReceiveDossier // forwarding to processing
		}
	case motcua.StatusSupplement:
		if from == motcua.StatusRegistered || from == motcua.StatusReceived {
			return OpReceiveDossier
		}
	}
	return OpProcessDossier
}

// Queue lists the dossiers of the officer's agency in a status (default:
// 1, new online dossiers waiting to be received), oldest first is not
// needed: newest first, as the store lists them.
func (r *Reception) Queue(ctx context.Context, p *motcua.Principal, status motcua.DossierStatus, limit, offset int) ([]*motcua.Dossier, int, error) {
	return r.queue(ctx, p, status, "", limit, offset)
}

// AssignedToMe lists the dossiers in processing (status 4) that were
// forwarded to the officer by name ("Hồ sơ giao cho tôi").
func (r *Reception) AssignedToMe(ctx context.Context, p *motcua.Principal, limit, offset int) ([]*motcua.Dossier, int, error) {
	if p == nil {
		return nil, 0, Authorize(p, OpProcessDossier, Resource{})
	}
	return r.queue(ctx, p, motcua.StatusProcessing, p.Username, limit, offset)
}

func (r *Reception) queue(ctx context.Context, p *motcua.Principal, status motcua.DossierStatus, assignee string, limit, offset int) ([]*motcua.Dossier, int, error) {
	if status == 0 {
		status = motcua.StatusRegistered
	}
	op := OpReceiveDossier
	if status != motcua.StatusRegistered && status != motcua.StatusReceived && status != motcua.StatusDone &&
		status != motcua.StatusSupplement {
		op = OpProcessDossier
	} else if (status == motcua.StatusSupplement || status == motcua.StatusDone) &&
		AuthorizeAt(ctx, r.store, p, OpReceiveDossier, "") != nil {
		// A processing officer's desk: the dossiers his agency handles that
		// wait for a supplement or are done.
		op = OpProcessDossier
	}
	if err := AuthorizeAt(ctx, r.store, p, op, ""); err != nil {
		return nil, 0, err
	}
	f := motcua.DossierFilter{AgencyCode: p.AgencyCode, Status: status, Assignee: assignee, Limit: limit, Offset: offset}
	if op == OpProcessDossier {
		f.AgencyCode, f.HandlingAgency = "", p.AgencyCode
	} else if desk, err := DeskAgencies(ctx, r.store, p.AgencyCode); err != nil {
		return nil, 0, err
	} else if len(desk) > 1 || len(desk) == 1 && desk[0].Code != p.AgencyCode {
		// A desk receiving for other agencies lists theirs too.
		f.AgencyCode, f.AgencyCodes = "", agencyCodes(desk)
	}
	return r.store.ListDossiers(ctx, f)
}

func agencyCodes(as []*motcua.Agency) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Code
	}
	return out
}

// dossierAccess is what an officer may do on a dossier: the receiving
// agency's desk receives and returns, the handling agency processes.
type dossierAccess struct {
	receiving, handling Resource
	visible             bool
}

// resource is the agency resource an operation on the dossier needs.
func (a dossierAccess) resource(op Operation) Resource {
	if op == OpReceiveDossier {
		return a.receiving
	}
	return a.handling
}

// find loads the dossier with code and what p may do on it: reception at
// the receiving agency, processing at the handling agency (or above).
func (r *Reception) find(ctx context.Context, p *motcua.Principal, code string) (*motcua.Dossier, dossierAccess, error) {
	d, err := r.store.GetDossierByCode(ctx, code)
	if err != nil {
		return nil, dossierAccess{}, err
	}
	acc, err := r.access(ctx, p, d)
	return d, acc, err
}

// access is what p may do on d.
func (r *Reception) access(ctx context.Context, p *motcua.Principal, d *motcua.Dossier) (acc dossierAccess, err error) {
	res, err := AgencyResource(ctx, r.store, d.AgencyCode)
	if err != nil {
		return acc, err
	}
	acc.receiving, acc.handling = res, Resource{AgencyPath: res.AgencyPath}
	if d.HandlingAgency != "" && d.HandlingAgency != d.AgencyCode {
		hpath, err := AgencyPath(ctx, r.store, d.HandlingAgency)
		if err != nil {
			return acc, err
		}
		acc.handling = Resource{AgencyPath: hpath}
	}
	acc.visible = Authorize(p, OpReceiveDossier, acc.receiving) == nil || Authorize(p, OpProcessDossier, acc.handling) == nil ||
		Authorize(p, OpProcessDossier, acc.receiving) == nil
	return acc, nil
}

// work loads a dossier p may work on; one p may not see is ENOTFOUND
// (another agency's dossier is not disclosed), and a citizen is refused.
func (r *Reception) work(ctx context.Context, p *motcua.Principal, code string) (*motcua.Dossier, dossierAccess, error) {
	d, acc, err := r.find(ctx, p, code)
	if err != nil {
		return nil, acc, err
	}
	if !acc.visible {
		if p == nil || p.Kind != motcua.PrincipalOfficer {
			return nil, acc, Authorize(p, OpReceiveDossier, acc.receiving)
		}
		return nil, acc, motcua.NotFound("dossier", code)
	}
	return d, acc, nil
}

// Dossier returns one dossier of the officer's agency, with its history;
// other agencies' dossiers are ENOTFOUND.
func (r *Reception) Dossier(ctx context.Context, p *motcua.Principal, code string) (*motcua.Dossier, error) {
	d, _, err := r.work(ctx, p, code)
	if err != nil {
		return nil, err
	}
	return withIdentityCheck(ctx, r.store, d)
}

// Transition moves the dossier with code to status to, with note as the
// reason (required for a refusal, a supplement request or a stop): the
// rules, due dates and finish dates are motcua.Dossier.Transition's.
// Returning the signed result of a finished dossier files it in the
// owner's warehouse in the same step.
func (r *Reception) Transition(ctx context.Context, p *motcua.Principal, code string, to motcua.DossierStatus, note string) (*motcua.Dossier, error) {
	return r.transition(ctx, p, code, to, note, nil)
}

// RequestSupplement is "Yêu cầu bổ sung": the dossier goes to status 5
// with the reason and the codes of the components the citizen must fix
// (none: any of them), who sees them on the dossier's page and answers
// there (Submissions.AnswerSupplement) or at the counter; the clock stops
// until then.
func (r *Reception) RequestSupplement(ctx context.Context, p *motcua.Principal, code, reason string, components []string) (*motcua.Dossier, error) {
	return r.transition(ctx, p, code, motcua.StatusSupplement, reason, components)
}

func (r *Reception) transition(ctx context.Context, p *motcua.Principal, code string, to motcua.DossierStatus, note string, components []string) (*motcua.Dossier, error) {
	d, acc, err := r.work(ctx, p, code)
	if err != nil {
		return nil, err
	}
	if d.Status == to && to == motcua.StatusResultsReturned && d.HasEResult() {
		return d, nil // "Trả kết quả" pressed twice: the result was returned
	}
	// Who may move the dossier depends on the move, so a move the graph
	// refuses is EINVALID whoever asks.
	if err := motcua.CheckTransition(d.Status, to, note); err != nil {
		return nil, err
	}
	op := operation(to, d.Status)
	if err := Authorize(p, op, acc.resource(op)); err != nil {
		return nil, err
	}
	proc, err := r.store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion)
	if err != nil && !motcua.IsKind(err, motcua.ENOTFOUND) {
		return nil, err
	}
	issue := d.IssuesResult(to)
	in := motcua.TransitionInput{At: r.now().UTC().Truncate(time.Microsecond), Actor: p.Username,
		Note: note, Calendar: r.cal.Calendar(ctx), Procedure: proc}
	var u motcua.StatusUpdate
	if to == motcua.StatusSupplement {
		u, err = d.RequestSupplement(in, components)
	} else {
		u, err = d.Transition(to, in)
	}
	if err != nil {
		return nil, err
	}
	if issue {
		return r.returnResult(ctx, p, d, u)
	}
	err = r.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.UpdateDossierStatus(ctx, u); err != nil {
			return err
		}
		if err := tx.EnqueueNotification(ctx, r.statusNotes(d, u)...); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: "officer", ActorID: p.Username, AgencyCode: p.AgencyCode,
			Action: "dossier.status", ObjectKind: "dossier", ObjectID: d.ID, SubjectCode: d.Owner.Code, DossierID: d.ID,
			Detail: transitionDetail(u)})
	})
	if err != nil {
		return nil, err
	}
	return r.store.GetDossier(ctx, d.ID)
}

// statusNote is the sentence a status message adds: the reason of a
// refusal, a supplement request or a stop, or the officer's note.
func statusNote(u motcua.StatusUpdate) string {
	switch {
	case u.Note == "":
		return ""
	case motcua.NeedsReason(u.To):
		return "Lý do: " + u.Note
	}
	return u.Note
}

// statusNotes are the Zalo, SMS and e-mail messages telling the owner (and
// a submitter who applied for them) of a status change.
func (r *Reception) statusNotes(d *motcua.Dossier, u motcua.StatusUpdate) []*motcua.Notification {
	return statusNotifications(r.publicURL, r.channels, d, u)
}

// statusNotifications are the messages of a status change of d (before
// the change: its history does not hold u yet) on channels.
func statusNotifications(publicURL string, channels []motcua.NotifyChannel, d *motcua.Dossier, u motcua.StatusUpdate) []*motcua.Notification {
	note := statusNote(u)
	if u.To == motcua.StatusSupplement && u.Supplement != nil && len(u.Supplement.Components) > 0 {
		note += " Thành phần cần bổ sung: " + strings.Join(componentNames(d, u.Supplement.Components), "; ") + "."
	}
	params := map[string]string{"code": d.Code, "status": u.To.Label(), "note": note,
		"url": publicURL + "/ho-so/" + d.Code}
	if !u.DueAt.IsZero() {
		params["due_date"] = motcua.DateOf(u.DueAt).Display()
	}
	var ns []*motcua.Notification
	seen := map[string]bool{}
	for _, person := range []motcua.Person{d.Submitter, d.Owner} {
		for _, ch := range channels {
			to := ch.Address(person.Phone, person.Email)
			if to == "" || seen[string(ch)+to] {
				continue
			}
			seen[string(ch)+to] = true
			ns = append(ns, &motcua.Notification{Channel: ch, Recipient: to, Template: "dossier_status", Params: params,
				DedupeKey:   fmt.Sprintf("%s:status:%d:%d:%s:%s", d.ID, len(d.StatusHistory)+1, int(u.To), ch, to),
				SubjectCode: person.Code, DossierID: d.ID})
		}
	}
	return ns
}

// componentNames are the names of d's components with codes.
func componentNames(d *motcua.Dossier, codes []string) []string {
	names := make([]string, 0, len(codes))
	for _, c := range codes {
		if dc, ok := d.Component(c); ok {
			names = append(names, dc.Name)
		} else {
			names = append(names, c)
		}
	}
	return names
}

// transitionDetail is the audit detail of a status change: the move, the
// note and, for a supplement request, the components named.
func transitionDetail(u motcua.StatusUpdate) string {
	detail := fmt.Sprintf("from=%d to=%d note=%q", int(u.From), int(u.To), u.Note)
	if u.To == motcua.StatusSupplement && u.Supplement != nil {
		detail += fmt.Sprintf(" components=%s", strings.Join(u.Supplement.Components, ","))
	}
	return detail
}
