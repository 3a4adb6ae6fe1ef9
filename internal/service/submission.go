package service

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/groupcommit"
	"github.com/motcua/motcua/internal/pdfsig"
)

// Submissions is online application ("Nộp trực tuyến"): drafts, warehouse
// matching, attachments and the submission itself.
type Submissions struct {
	channels  []motcua.NotifyChannel
	store     motcua.Store
	wh        *Warehouse
	identity  *Identity
	now       func() time.Time
	publicURL string
	commits   *groupcommit.Batcher[*submission]
	cal       motcua.CalendarSource
}

// NewSubmissions builds the online-application service.
func NewSubmissions(store motcua.Store, wh *Warehouse, identity *Identity, publicURL string, now func() time.Time) *Submissions {
	if now == nil {
		now = time.Now
	}
	s := &Submissions{store: store, wh: wh, identity: identity, now: now, publicURL: strings.TrimSuffix(publicURL, "/"),
		channels: []motcua.NotifyChannel{motcua.ChannelZalo, motcua.ChannelSMS, motcua.ChannelEmail},
		cal:      motcua.DefaultCalendar()}
	// Concurrent submissions share a transaction (group commit): one WAL
	// flush and one lock of each reused document per batch. With one
	// writer (SQLite) batches go one at a time; a database that runs
	// transactions in parallel gets a few batches in flight.
	writers := parallelBatches
	if sw, ok := store.(interface{ SerialWrites() bool }); ok && sw.SerialWrites() {
		writers = 1
	}
	return s.WithGroupCommit(writers)
}

// parallelBatches is how many submission batches are in flight at once on
// a database with parallel writers.
const parallelBatches = 4

// WithGroupCommit commits concurrent submissions together in batches
// with up to writers batches in flight (the default: 1 on SQLite,
// parallelBatches otherwise); 0 gives each submission its own
// transaction.
func (s *Submissions) WithGroupCommit(writers int) *Submissions {
	s.commits = nil
	if writers > 0 {
		s.commits = groupcommit.New(maxSubmitBatch, s.commit).Writers(writers)
	}
	return s
}

// WithCalendar sets the working-day calendar of due dates (default:
// motcua.DefaultCalendar, Vietnamese public holidays 2024–2027).
func (s *Submissions) WithCalendar(cal motcua.CalendarSource) *Submissions {
	s.cal = cal
	return s
}

// WithChannels limits the notifications queued on submission to the
// channels a sender exists for.
func (s *Submissions) WithChannels(chs ...motcua.NotifyChannel) *Submissions {
	s.channels = chs
	return s
}

// DraftInput is "Chọn trường hợp hồ sơ".
type DraftInput struct {
	ProcedureCode string
	CaseCode      string
	AgencyCode    string
	District      string // default: the agency's district
	Ward          string // default: the agency's name
	// Owner, when set and not the applicant, is the person the dossier is
	// for (a child, a represented person). Their identity is checked
	// against the population database; their warehouse is not offered to
	// the applicant, so every component is uploaded.
	Owner *motcua.Person
}

func applicant(p *motcua.Principal) error {
	if p == nil || p.Kind == motcua.PrincipalOfficer {
		return Authorize(p, OpSubmitDossier, Resource{})
	}
	return Authorize(p, OpSubmitDossier, Resource{OwnerCode: p.SubjectCode})
}

// procedureCase checks that the procedure exists, has the case and is
// handled by the agency.
func (s *Submissions) procedureCase(ctx context.Context, in DraftInput) (*motcua.Procedure, motcua.ProcedureCase, *motcua.Agency, error) {
	p, err := s.store.GetProcedure(ctx, in.ProcedureCode)
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		return nil, motcua.ProcedureCase{}, nil, motcua.Invalid("procedure", "unknown_procedure", "Không tìm thấy thủ tục hành chính đã chọn.")
	}
	if err != nil {
		return nil, motcua.ProcedureCase{}, nil, err
	}
	c, ok := p.Case(in.CaseCode)
	if !ok {
		return nil, c, nil, motcua.Invalid("case", "unknown_case", "Trường hợp giải quyết không thuộc thủ tục đã chọn.")
	}
	if !slices.Contains(p.AgencyCodes, in.AgencyCode) {
		return nil, c, nil, motcua.Invalid("agency", "agency_not_handling", "Cơ quan đã chọn không giải quyết thủ tục này.")
	}
	a, err := s.store.GetAgency(ctx, in.AgencyCode)
	if err != nil {
		return nil, c, nil, err
	}
	return p, c, a, nil
}

// CreateDraft starts an application for the logged-in citizen or
// organisation, who is both submitter and owner. The owner's identity is
// checked against the population database first ("Đồng ý và tiếp tục");
// then every component with exactly one matching warehouse document gets
// it attached.
func (s *Submissions) CreateDraft(ctx context.Context, p *motcua.Principal, in DraftInput) (*motcua.Draft, error) {
	if err := applicant(p); err != nil {
		return nil, err
	}
	proc, _, agency, err := s.procedureCase(ctx, in)
	if err != nil {
		return nil, err
	}
	owner, err := s.identity.checkApplicant(ctx, p, proc.Code)
	if err != nil {
		return nil, motcua.WithPopulationMessage(err, motcua.PopulationUnavailableStartMessage)
	}
	person := motcua.Person{Code: owner.Code, Name: owner.Name, BirthDate: owner.BirthDate, Phone: owner.Phone,
		Email: owner.Email, Address: owner.Address}
	d := &motcua.Draft{Creator: p.ActorID(), ProcedureCode: proc.Code, ProcedureVersion: proc.Version, CaseCode: in.CaseCode, AgencyCode: agency.Code,
		District: strings.TrimSpace(in.District), Ward: strings.TrimSpace(in.Ward), Submitter: person, Owner: person,
		OwnerVerified: true, ResultMethod: motcua.ResultOnline}
	if in.Owner != nil && strings.TrimSpace(in.Owner.Code) != owner.Code {
		other := motcua.Person{Code: strings.TrimSpace(in.Owner.Code), Name: strings.Join(strings.Fields(in.Owner.Name), " "),
			BirthDate: in.Owner.BirthDate}
		if err := s.identity.CheckOwner(ctx, p, other, proc.Code); err != nil {
			return nil, motcua.WithPopulationMessage(err, motcua.PopulationUnavailableStartMessage)
		}
		d.Owner = other
	}
	if d.Ward == "" {
		d.Ward = agency.Name
	}
	if d.District == "" && agency.ParentCode != "" {
		if parent, err := s.store.GetAgency(ctx, agency.ParentCode); err == nil {
			d.District = parent.Name
		}
	}
	matches, err := s.offers(ctx, p, proc, d)
	if err != nil {
		return nil, err
	}
	for _, m := range matches {
		if m.Auto != nil {
			d.Components = append(d.Components, motcua.DraftComponent{Code: m.Component.Code, Source: motcua.FromWarehouse,
				DocumentID: m.Auto.ID, File: m.Auto.File, Auto: true})
		}
	}
	if err := s.store.CreateDraft(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// ownDraft loads a draft its creator works on; anyone else gets ENOTFOUND.
func (s *Submissions) ownDraft(ctx context.Context, p *motcua.Principal, id string) (*motcua.Draft, error) {
	if err := applicant(p); err != nil {
		return nil, err
	}
	d, err := s.store.GetDraft(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.Creator != p.ActorID() {
		return nil, motcua.NotFound("draft", id)
	}
	return d, nil
}

// ownerDocuments returns the owner's documents of any category the
// procedure's case accepts.
func (s *Submissions) ownerDocuments(ctx context.Context, proc *motcua.Procedure, caseCode, owner string) ([]*motcua.Document, error) {
	var cats []string
	for _, c := range proc.ComponentsFor(caseCode) {
		for _, cat := range c.Categories {
			if !slices.Contains(cats, cat) {
				cats = append(cats, cat)
			}
		}
	}
	if len(cats) == 0 {
		return nil, nil
	}
	docs, _, err := s.store.ListDocuments(ctx, motcua.DocumentFilter{OwnerCode: owner, CategoryCodes: cats, Limit: 500, NoTotal: true,
		Unordered: true})
	return docs, err
}

// offers is what the applicant may take from a warehouse for draft d:
// the matches of their own warehouse when they are the owner, nothing
// otherwise (nobody browses another person's warehouse).
func (s *Submissions) offers(ctx context.Context, p *motcua.Principal, proc *motcua.Procedure, d *motcua.Draft) ([]motcua.ComponentMatch, error) {
	if d.Owner.Code != p.SubjectCode {
		return motcua.MatchProcedure(proc, d.CaseCode, d.Owner.Code, nil, motcua.DateOf(s.now())), nil
	}
	matches, err := s.match(ctx, proc, d.CaseCode, d.Owner.Code)
	if err != nil || len(d.CoApplicants) == 0 {
		return matches, err
	}
	// A two-party application also offers what the warehouses of the
	// co-applicants who consented hold for its components.
	return s.coApplicantOffers(ctx, p, proc, d, matches)
}

func (s *Submissions) match(ctx context.Context, proc *motcua.Procedure, caseCode, owner string) ([]motcua.ComponentMatch, error) {
	docs, err := s.ownerDocuments(ctx, proc, caseCode, owner)
	if err != nil {
		return nil, err
	}
	return motcua.MatchProcedure(proc, caseCode, owner, docs, motcua.DateOf(s.now())), nil
}

// DraftView is a draft with its procedure and the warehouse's offers.
type DraftView struct {
	Draft     *motcua.Draft
	Procedure *motcua.Procedure
	Case      motcua.ProcedureCase
	Matches   []motcua.ComponentMatch
	// Picked are the usable warehouse documents the draft's components
	// hold, by id: suggestions and the owner's picks from the whole
	// warehouse ("Kho cá nhân, tổ chức"). A chosen document missing here
	// can no longer be used.
	Picked map[string]*motcua.Document
	// DossierCode is the code of the dossier the draft became once
	// submitted, empty before.
	DossierCode string
}

// submittedCode is the code of the dossier a submitted draft became.
func (s *Submissions) submittedCode(ctx context.Context, d *motcua.Draft) (string, error) {
	if d.DossierID == "" {
		return "", nil
	}
	dossier, err := s.store.GetDossier(ctx, d.DossierID)
	if err != nil {
		return "", err
	}
	return dossier.Code, nil
}

// View returns a draft with what the owner's warehouse offers for each
// component ("Lấy từ kho").
func (s *Submissions) View(ctx context.Context, p *motcua.Principal, id string) (*DraftView, error) {
	d, err := s.ownDraft(ctx, p, id)
	if err != nil {
		return nil, err
	}
	proc, err := s.store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion)
	if err != nil {
		return nil, err
	}
	c, _ := proc.Case(d.CaseCode)
	matches, err := s.offers(ctx, p, proc, d)
	if err != nil {
		return nil, err
	}
	code, err := s.submittedCode(ctx, d)
	if err != nil {
		return nil, err
	}
	picked, err := s.picked(ctx, p, proc, d, matches)
	if err != nil {
		return nil, err
	}
	return &DraftView{Draft: d, Procedure: proc, Case: c, Matches: matches, Picked: picked, DossierCode: code}, nil
}

// picked resolves the warehouse documents draft d holds: a suggestion of
// matches, or, when p is the owner, any usable document of the owner's
// own warehouse (read like the owner's other reads of it).
func (s *Submissions) picked(ctx context.Context, p *motcua.Principal, proc *motcua.Procedure, d *motcua.Draft,
	matches []motcua.ComponentMatch) (map[string]*motcua.Document, error) {
	out := map[string]*motcua.Document{}
	day := motcua.DateOf(s.now())
	for _, c := range d.Components {
		if c.Source != motcua.FromWarehouse || c.DocumentID == "" {
			continue
		}
		for _, m := range matches {
			if m.Component.Code == c.Code {
				if doc := m.Candidate(c.DocumentID); doc != nil {
					out[doc.ID] = doc
				}
			}
		}
		if out[c.DocumentID] != nil || d.Owner.Code != p.SubjectCode {
			continue
		}
		doc, err := s.store.GetDocument(ctx, c.DocumentID)
		if motcua.IsKind(err, motcua.ENOTFOUND) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if doc.OwnerCode == d.Owner.Code && motcua.Unusability(doc, day) == "" {
			out[doc.ID] = doc
		}
	}
	return out, nil
}

// PickerPageSize is the rows of a page of "Kho cá nhân, tổ chức" in
// "Lấy từ kho", as on the province's portal ("Hiển thị 20").
const PickerPageSize = 20

// Browse is the "Kho cá nhân, tổ chức" tab of "Lấy từ kho": one page
// (from 1) of the owner's own valid, visible documents of any category,
// newest first, searched by query (name, code, decision number,
// summary), with the total. Only the owner applying for themself browses:
// an applicant for someone else gets EFORBIDDEN (warehouse_not_owner),
// nobody reads another person's warehouse.
func (s *Submissions) Browse(ctx context.Context, p *motcua.Principal, draftID, query string, page int) ([]*motcua.Document, int, error) {
	d, err := s.ownDraft(ctx, p, draftID)
	if err != nil {
		return nil, 0, err
	}
	if d.Owner.Code != p.SubjectCode {
		return nil, 0, notOwnerWarehouse()
	}
	page = min(max(page, 1), 100_000)
	return s.wh.List(ctx, p, motcua.DocumentFilter{Query: strings.TrimSpace(query), Status: motcua.DocumentValid, VisibleOnly: true,
		Limit: PickerPageSize, Offset: (page - 1) * PickerPageSize})
}

func notOwnerWarehouse() error {
	return motcua.Errorf(motcua.EFORBIDDEN, "warehouse_not_owner",
		"Chỉ chủ hồ sơ mới lấy được giấy tờ từ Kho dữ liệu của mình; với hồ sơ nộp cho người khác, vui lòng tải lên tệp tin.")
}

func unknownComponent() error {
	return motcua.Invalid("component", "unknown_component", "Thành phần hồ sơ không thuộc thủ tục đã chọn.")
}

// Attach takes a warehouse document for a component ("Lấy từ kho"): one
// the matching rules suggest (the owner's, of an accepted category,
// valid, visible and not expired) or, when the applicant is the owner, any
// valid, visible, unexpired document of their own warehouse, whatever its
// category, for any component. A component that takes several documents
// (ProcedureComponent.MaxDocuments) gets it added, up to its limit
// (too_many_documents); otherwise it replaces the previous choice.
func (s *Submissions) Attach(ctx context.Context, p *motcua.Principal, draftID, component, documentID string) (*motcua.Draft, error) {
	v, err := s.View(ctx, p, draftID)
	if err != nil {
		return nil, err
	}
	return s.attach(ctx, v, component, documentID, v.Draft.Owner.Code == p.SubjectCode, false)
}

// attach takes documentID for component if the view's matches offer it,
// or, when own, if it is a usable document of the owner's warehouse. With
// replace it replaces the component's choices (the counter's one pick),
// otherwise AddComponent's rules apply.
func (s *Submissions) attach(ctx context.Context, v *DraftView, component, documentID string, own, replace bool) (*motcua.Draft, error) {
	comp, ok := v.Procedure.Component(v.Draft.CaseCode, component)
	if !ok {
		return nil, unknownComponent()
	}
	doc, err := s.pickable(ctx, v, comp, documentID, own)
	if err != nil {
		return nil, err
	}
	choice := motcua.DraftComponent{Code: comp.Code, Source: motcua.FromWarehouse, DocumentID: doc.ID, File: doc.File}
	if replace {
		v.Draft.SetComponent(choice)
	} else if err := v.Draft.AddComponent(comp, choice); err != nil {
		return nil, err
	}
	return v.Draft, s.store.UpdateDraft(ctx, v.Draft)
}

func notMatching() error {
	return motcua.Invalid("document_id", "document_not_matching",
		"Giấy tờ này không có trong Kho dữ liệu của chủ hồ sơ hoặc không phù hợp với thành phần hồ sơ.")
}

// offered is the warehouse document documentID if matches offer it for
// component, or why not: unusable reasons, document_not_matching, or
// unknown_component when matches have no such component.
func offered(matches []motcua.ComponentMatch, component, documentID string) (*motcua.Document, error) {
	for _, m := range matches {
		if m.Component.Code != component {
			continue
		}
		if doc := m.Candidate(documentID); doc != nil {
			return doc, nil
		}
		for _, u := range m.Unusable {
			if u.Document.ID == documentID {
				return nil, unusable(u.Reason)
			}
		}
		return nil, notMatching()
	}
	return nil, unknownComponent()
}

// pickable returns the document documentID if component comp may take
// it: one the matches offer or, when own, any usable document of the
// owner's warehouse.
func (s *Submissions) pickable(ctx context.Context, v *DraftView, comp motcua.ProcedureComponent, documentID string, own bool) (*motcua.Document, error) {
	doc, err := offered(v.Matches, comp.Code, documentID)
	if code := motcua.ErrorCode(err); err == nil || code != "document_not_matching" && code != "unknown_component" {
		return doc, err
	}
	if !own || documentID == "" {
		return nil, notMatching()
	}
	doc, err = s.store.GetDocument(ctx, documentID)
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		return nil, notMatching()
	}
	if err != nil {
		return nil, err
	}
	// A co-applicant's document is offered once they consented, and only
	// when it matches (above); another person's answers like an unknown one.
	if c, ok := v.Draft.CoApplicant(doc.OwnerCode); ok && c.Consent != motcua.ConsentGranted {
		return nil, motcua.ConsentRequired()
	}
	if doc.OwnerCode != v.Draft.Owner.Code {
		return nil, notMatching()
	}
	switch reason := motcua.Unusability(doc, motcua.DateOf(s.now())); reason {
	case "":
		return doc, nil
	case motcua.UnmatchedWithdrawn:
		return nil, notMatching()
	default:
		return nil, unusable(reason)
	}
}

// RemoveDocument takes back the index-th document (0-based, in the order
// they were added) of a component, or all of them when index is
// negative. EINVALID (unknown_component) for a component the procedure
// lacks; ENOTFOUND (component_file_not_found) when there is no such
// document.
func (s *Submissions) RemoveDocument(ctx context.Context, p *motcua.Principal, draftID, component string, index int) (*motcua.Draft, error) {
	d, err := s.ownDraft(ctx, p, draftID)
	if err != nil {
		return nil, err
	}
	proc, err := s.store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion)
	if err != nil {
		return nil, err
	}
	if _, ok := proc.Component(d.CaseCode, component); !ok {
		return nil, unknownComponent()
	}
	if !d.RemoveComponent(component, index) {
		return nil, noComponentFile()
	}
	return d, s.store.UpdateDraft(ctx, d)
}

func noComponentFile() error {
	return motcua.Errorf(motcua.ENOTFOUND, "component_file_not_found", "Thành phần hồ sơ này chưa có tệp tin.")
}

// Delivery is step 8: "Hình thức nộp hồ sơ" and "Hình thức nhận kết quả",
// with the postal address when either is by post.
type Delivery struct {
	SubmitMethod motcua.SubmitMethod
	ResultMethod motcua.ResultMethod
	PostAddress  string
}

// SetDelivery records step 8's choices on the draft (see
// motcua.Draft.SetDelivery for the rules and error codes).
func (s *Submissions) SetDelivery(ctx context.Context, p *motcua.Principal, draftID string, in Delivery) (*motcua.Draft, error) {
	d, err := s.ownDraft(ctx, p, draftID)
	if err != nil {
		return nil, err
	}
	if err := d.SetDelivery(in.SubmitMethod, in.ResultMethod, in.PostAddress); err != nil {
		return nil, err
	}
	return d, s.store.UpdateDraft(ctx, d)
}

func unusable(reason string) error {
	switch reason {
	case motcua.UnmatchedExpired:
		return motcua.Invalid("document_id", "document_expired", "Giấy tờ đã hết hiệu lực, không thể sử dụng lại.")
	case motcua.UnmatchedHidden:
		return motcua.Invalid("document_id", "document_hidden", "Giấy tờ đang ẩn; bật “Hiển thị” trong Kho dữ liệu để sử dụng.")
	}
	return motcua.Invalid("document_id", "document_not_valid", "Giấy tờ không còn hiệu lực (đã thu hồi, thay thế hoặc đang phản ánh).")
}

// Upload attaches a newly uploaded signed PDF to a component.
func (s *Submissions) Upload(ctx context.Context, p *motcua.Principal, draftID, component string, up Upload) (*motcua.Draft, error) {
	v, err := s.View(ctx, p, draftID)
	if err != nil {
		return nil, err
	}
	comp, ok := v.Procedure.Component(v.Draft.CaseCode, component)
	if !ok {
		return nil, unknownComponent()
	}
	source, file, err := s.checkUpload(ctx, comp, up)
	if err != nil {
		return nil, err
	}
	if err := v.Draft.AddComponent(comp, motcua.DraftComponent{Source: source, File: file}); err != nil {
		return nil, err
	}
	return v.Draft, s.store.UpdateDraft(ctx, v.Draft)
}

// checkUpload checks and keeps a file uploaded for component comp: a
// signed PDF, or, where the component allows it, an unsigned scan.
func (s *Submissions) checkUpload(ctx context.Context, comp motcua.ProcedureComponent, up Upload) (motcua.AttachmentSource, motcua.File, error) {
	source := motcua.Uploaded
	file, _, _, err := s.wh.checkFile(ctx, up)
	if motcua.ErrorCode(err) == string(pdfsig.ReasonUnsigned) && comp.AllowScan {
		// A form filled in by hand and scanned needs no signature.
		source = motcua.Scanned
		file, err = s.wh.checkScan(ctx, up)
	}
	return source, file, err
}

// SubmitOptions are the last step's choices; empty methods and address
// keep those the draft holds (SetDelivery), and a draft without any
// submits and receives online.
type SubmitOptions struct {
	SubmitMethod   motcua.SubmitMethod
	ResultMethod   motcua.ResultMethod
	PostAddress    string
	IdempotencyKey string
}

// Submit turns a draft into a dossier ("Nộp hồ sơ"): status 1, channel 2,
// its code, each component's digitization state, the reuse flag and the
// missed-reuse flag; each reused document's usage count goes up by one
// and the owner's notifications are queued, all in one transaction.
// Submitting the same draft again, or with the same idempotency key,
// returns the dossier created the first time.
func (s *Submissions) Submit(ctx context.Context, p *motcua.Principal, draftID string, o SubmitOptions) (*motcua.Dossier, bool, error) {
	key, err := idempotencyKey(p, "", o.IdempotencyKey)
	if err != nil {
		return nil, false, err
	}
	if o.IdempotencyKey = key; key != "" {
		if d, err := s.store.GetDossierByIdempotencyKey(ctx, key); err == nil {
			return d, false, nil
		}
	}
	v, err := s.View(ctx, p, draftID)
	if err != nil {
		return nil, false, err
	}
	if v.Draft.DossierID != "" {
		d, err := s.store.GetDossier(ctx, v.Draft.DossierID)
		return d, false, err
	}
	delivery := *v.Draft
	err = delivery.SetDelivery(cmp.Or(o.SubmitMethod, v.Draft.SubmitMethod, motcua.SubmitOnline),
		cmp.Or(o.ResultMethod, v.Draft.ResultMethod, motcua.ResultOnline), cmp.Or(strings.TrimSpace(o.PostAddress), v.Draft.PostAddress))
	if err != nil {
		return nil, false, err
	}
	o.SubmitMethod, o.ResultMethod, o.PostAddress = delivery.SubmitMethod, delivery.ResultMethod, delivery.PostAddress
	// The identities are checked again at submission, as on the portal.
	// While the population database is down the draft stays as it is:
	// submitting again later resumes from here.
	applicant, err := s.identity.checkApplicant(ctx, p, v.Procedure.Code)
	if err != nil {
		return nil, false, motcua.WithPopulationMessage(err, motcua.PopulationUnavailableSubmitMessage)
	}
	if v.Draft.Owner.Code != v.Draft.Submitter.Code {
		if err := s.identity.CheckOwner(ctx, p, v.Draft.Owner, v.Procedure.Code); err != nil {
			return nil, false, motcua.WithPopulationMessage(err, motcua.PopulationUnavailableSubmitMessage)
		}
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	d := &motcua.Dossier{ProcedureCode: v.Procedure.Code, ProcedureVersion: v.Procedure.Version, CaseCode: v.Case.Code, AgencyCode: v.Draft.AgencyCode,
		District: v.Draft.District, Ward: v.Draft.Ward, Submitter: v.Draft.Submitter, Owner: v.Draft.Owner,
		Channel: motcua.ChannelOnline, SubmitMethod: o.SubmitMethod, ResultMethod: o.ResultMethod, Status: motcua.StatusRegistered,
		CoApplicants: consentedParties(v.Draft),
		SubmittedAt:  now, DueAt: s.cal.Calendar(ctx).AddWorkingDays(now, v.Case.ProcessingDays).UTC(), OwnerVerified: v.Draft.OwnerVerified,
		IdempotencyKey: o.IdempotencyKey, ResultExpected: v.Procedure.ResultCategory != ""}
	if o.PostAddress != "" {
		d.Owner.Address = o.PostAddress
	}
	// Missed reuse is judged against the owner's warehouse, whoever applies
	// (not against a co-applicant's).
	ownerMatches := v.Matches
	if v.Draft.Owner.Code != p.SubjectCode || len(v.Draft.Consented()) > 0 {
		if ownerMatches, err = s.match(ctx, v.Procedure, v.Draft.CaseCode, v.Draft.Owner.Code); err != nil {
			return nil, false, err
		}
	}
	reused, err := fillComponents(d, v.Procedure, v.Draft, v.Matches, ownerMatches, v.Picked, false)
	if err != nil {
		return nil, false, err
	}
	if err := d.Validate(); err != nil {
		return nil, false, err
	}
	// The applicant is told; a child owner may have no account or phone.
	agency, err := s.store.GetAgency(ctx, d.AgencyCode)
	if err != nil {
		return nil, false, err
	}
	job := &submission{d: d, draftID: draftID, reused: reused, applicant: applicant, proc: v.Procedure, agency: agency,
		audit: &motcua.AuditEvent{ActorKind: string(p.Kind), ActorID: p.ActorID(), Action: "dossier.submit",
			ObjectKind: "dossier", SubjectCode: d.Owner.Code,
			Detail: fmt.Sprintf("reused=%d missed_reuse=%t submit_method=%s result_method=%s", len(reused), d.MissedReuse,
				o.SubmitMethod, o.ResultMethod)},
		uses: coApplicantUses(p, v.Draft, v.Procedure.Name, reused, v.Matches)}
	if p.Kind == motcua.PrincipalPerson {
		// An organisation's representative is identified by their login,
		// not by the population database.
		job.identity = &motcua.IdentityCheck{Method: motcua.IdentityPopDB, CheckedAt: now, By: p.ActorID()}
	}
	if s.commits == nil {
		err = s.commitTogether(ctx, []*submission{job})
	} else if err = s.commits.Add(ctx, job); err == nil {
		err = job.err
	}
	if motcua.IsKind(err, motcua.ECONFLICT) {
		// A concurrent or repeated submission won: answer with its dossier.
		if again, gerr := s.store.GetDraft(ctx, draftID); gerr == nil && again.DossierID != "" {
			existing, gerr := s.store.GetDossier(ctx, again.DossierID)
			return existing, false, gerr
		}
		if o.IdempotencyKey != "" {
			if existing, gerr := s.store.GetDossierByIdempotencyKey(ctx, o.IdempotencyKey); gerr == nil {
				return existing, false, nil
			}
		}
	}
	if err != nil {
		return nil, false, err
	}
	d.IdentityCheck = job.identity
	return d, true, nil
}

// fillComponents sets a dossier's components from a draft's choices: a
// warehouse document still offered by matches, or still usable in picked
// (the owner's picks from the whole warehouse), is reused (state 2), an
// uploaded or scanned file is newly digitized (state 1); a component with
// several documents is reused when one of them is. A component sent
// without reuse although ownerMatches found a document in the owner's
// warehouse records the missed codes and marks the dossier's missed
// reuse. It returns the reused document ids. A required component
// without a file is EINVALID (component_missing) unless paperOnly allows
// it (at the counter the paper is received and digitized later;
// forwarding waits for it).
func fillComponents(d *motcua.Dossier, proc *motcua.Procedure, draft *motcua.Draft, matches, ownerMatches []motcua.ComponentMatch,
	picked map[string]*motcua.Document, paperOnly bool) ([]string, error) {
	var comps []motcua.DossierComponent
	var reused []string
	for i, comp := range proc.ComponentsFor(d.CaseCode) {
		m := matches[i]
		choices := draft.ComponentDocuments(comp.Code)
		dc := motcua.DossierComponent{Code: comp.Code, Name: comp.Name, Required: comp.Required}
		if len(choices) == 0 && comp.Required && !paperOnly {
			return nil, motcua.Invalid("components", "component_missing",
				fmt.Sprintf("Thành phần hồ sơ bắt buộc “%s” chưa có tệp tin.", comp.Name))
		}
		for _, choice := range choices {
			if choice.Source != motcua.FromWarehouse {
				dc.Attachments = append(dc.Attachments, motcua.Attachment{Source: choice.Source, File: choice.File})
				dc.Digitization = max(dc.Digitization, motcua.Digitized)
				continue
			}
			doc := m.Candidate(choice.DocumentID)
			if doc == nil {
				doc = picked[choice.DocumentID]
			}
			if doc == nil {
				return nil, motcua.Invalid("components", "document_no_longer_usable",
					fmt.Sprintf("Giấy tờ đã chọn cho “%s” không còn sử dụng được; vui lòng chọn lại.", comp.Name))
			}
			dc.Digitization = motcua.ReusedFromWarehouse
			dc.Attachments = append(dc.Attachments, motcua.Attachment{Source: motcua.FromWarehouse, DocumentID: doc.ID, File: doc.File})
			reused = append(reused, doc.ID)
		}
		if om := ownerMatches[i]; dc.Digitization != motcua.ReusedFromWarehouse && om.Matches() {
			d.MissedReuse = true
			for _, doc := range om.Candidates() {
				dc.MissedCodes = append(dc.MissedCodes, doc.Code)
			}
		}
		comps = append(comps, dc)
	}
	d.Components = comps
	return reused, nil
}

// submission is one dossier waiting for its transaction.
type submission struct {
	d         *motcua.Dossier
	draftID   string
	reused    []string
	applicant *motcua.Subject
	proc      *motcua.Procedure
	agency    *motcua.Agency
	audit     *motcua.AuditEvent
	// docs are warehouse documents created with the dossier (components
	// digitized at the counter).
	docs []*motcua.Document
	// receive, when set, receives the dossier in the same transaction
	// (counter reception).
	receive *motcua.StatusUpdate
	// identity is how the identities were checked, stored with the
	// dossier (with its re-check job when manual).
	identity *motcua.IdentityCheck
	// uses are access-log entries of co-applicants' documents the
	// dossier uses; the commit names the dossier.
	uses []*motcua.AuditEvent
	err  error // the outcome, set by commit
}

// maxSubmitBatch bounds the dossiers committed in one transaction.
const maxSubmitBatch = 64

// commit writes concurrent submissions in one transaction (group commit:
// one commit, one lock of the day's dossier sequence and a few multi-row
// statements for all of them). When that fails, each is committed alone,
// so that one bad submission fails only itself.
func (s *Submissions) commit(ctx context.Context, jobs []*submission) error {
	err := s.commitTogether(ctx, jobs)
	if err == nil || len(jobs) == 1 {
		for _, j := range jobs {
			j.err = err
		}
		return nil
	}
	for _, j := range jobs {
		j.err = s.commitTogether(ctx, []*submission{j})
	}
	return nil
}

// commitTogether creates the dossiers, links their drafts, counts the
// reused documents' use, queues the notifications and appends the audit
// events, all or nothing.
func (s *Submissions) commitTogether(ctx context.Context, jobs []*submission) error {
	ds := make([]*motcua.Dossier, len(jobs))
	for i, j := range jobs {
		j.d.Code = "" // a rolled-back attempt's code is not theirs
		ds[i] = j.d
	}
	err := s.store.InTx(ctx, func(tx motcua.Store) error {
		// What needs no dossier code comes first, so that where the day's
		// sequence row is locked inside this transaction (SQLite) it is
		// locked for as short a time as possible.
		var reused []string
		for _, j := range jobs {
			reused = append(reused, j.reused...)
		}
		if err := tx.IncrementDocumentUsage(ctx, reused); err != nil {
			return err
		}
		for _, j := range jobs {
			for _, doc := range j.docs {
				if err := tx.CreateDocument(ctx, doc); err != nil {
					return err
				}
			}
		}
		if err := tx.CreateDossier(ctx, ds...); err != nil {
			return err
		}
		for _, j := range jobs {
			if j.receive != nil {
				u := *j.receive
				u.DossierID = j.d.ID
				if err := tx.UpdateDossierStatus(ctx, u); err != nil {
					return err
				}
			}
		}
		for _, j := range jobs {
			if j.identity != nil {
				j.identity.DossierID = j.d.ID
				if err := tx.PutIdentityCheck(ctx, j.identity); err != nil {
					return err
				}
			}
		}
		// The audit events name the dossiers, which have their ids now.
		events := make([]*motcua.AuditEvent, 0, len(jobs))
		for _, j := range jobs {
			e := *j.audit
			e.ObjectID, e.DossierID = j.d.ID, j.d.ID
			events = append(events, &e)
			for _, u := range j.uses {
				use := *u
				use.DossierID = j.d.ID
				events = append(events, &use)
			}
		}
		if err := tx.AppendAudit(ctx, events...); err != nil {
			return err
		}
		var notes []*motcua.Notification
		links := make([]motcua.DraftLink, len(jobs))
		for i, j := range jobs {
			links[i] = motcua.DraftLink{DraftID: j.draftID, DossierID: j.d.ID}
			notes = append(notes, s.receipts(j)...)
		}
		if err := tx.MarkDraftSubmitted(ctx, links...); err != nil {
			return err
		}
		return tx.EnqueueNotification(ctx, notes...)
	})
	if err != nil {
		for _, d := range ds {
			d.Code = ""
		}
	}
	return err
}

// receipts are the "received" Zalo, SMS and e-mail messages to the
// applicant, queued in the submission's transaction.
func (s *Submissions) receipts(j *submission) []*motcua.Notification {
	d, to := j.d, j.applicant
	params := map[string]string{"code": d.Code, "procedure": j.proc.Name, "agency": j.agency.Name,
		"due_date": motcua.DateOf(d.DueAt).Display(), "url": s.publicURL + "/ho-so/" + d.Code}
	var ns []*motcua.Notification
	for _, ch := range s.channels {
		addr := ch.Address(to.Phone, to.Email)
		if addr == "" {
			continue
		}
		ns = append(ns, &motcua.Notification{Channel: ch, Recipient: addr, Template: "dossier_received",
			Params: params, DedupeKey: d.ID + ":received:" + string(ch), SubjectCode: to.Code, DossierID: d.ID})
	}
	return ns
}

// MyDossiers lists the applicant's dossiers ("Quản lý hồ sơ đã nộp").
func (s *Submissions) MyDossiers(ctx context.Context, p *motcua.Principal, limit, offset int) ([]*motcua.Dossier, int, error) {
	if err := applicant(p); err != nil {
		return nil, 0, err
	}
	return s.store.ListDossiers(ctx, motcua.DossierFilter{Party: p.SubjectCode, Limit: limit, Offset: offset})
}

// MyDossier returns one of the person's dossiers by code, for reading:
// they are its owner, submitter or a co-applicant; anyone else gets
// ENOTFOUND.
func (s *Submissions) MyDossier(ctx context.Context, p *motcua.Principal, code string) (*motcua.Dossier, error) {
	return s.partyDossier(ctx, p, code, true)
}

// applicantDossier is MyDossier for acting on the dossier (withdrawing
// it, answering a supplement request, rating it): the owner or submitter
// only; a co-applicant reads it but gets ENOTFOUND here.
func (s *Submissions) applicantDossier(ctx context.Context, p *motcua.Principal, code string) (*motcua.Dossier, error) {
	return s.partyDossier(ctx, p, code, false)
}

func (s *Submissions) partyDossier(ctx context.Context, p *motcua.Principal, code string, coApplicants bool) (*motcua.Dossier, error) {
	if err := applicant(p); err != nil {
		return nil, err
	}
	d, err := s.store.GetDossierByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	applies := d.Owner.Code == p.SubjectCode || d.Submitter.Code == p.SubjectCode
	if !applies && !(coApplicants && d.IsParty(p.SubjectCode)) {
		return nil, motcua.NotFound("dossier", code)
	}
	return withIdentityCheck(ctx, s.store, d)
}

// DraftFile returns the file a draft component will send, for the
// draft's creator only: anyone else gets ENOTFOUND (draft_not_found), as
// for the draft itself. An uploaded or scanned file is the applicant's
// own, read from the blob store the warehouse keeps it in; like an
// owner's reads of their own warehouse, this read is not access-logged. A
// component taken from the warehouse is opened through the warehouse, with
// its rules, so that what is shown is the document's current file, the
// one submission sends. A component the procedure lacks is EINVALID
// (unknown_component); one with nothing attached yet is ENOTFOUND
// (component_file_not_found). The caller closes the reader.
//
// index picks one of a component's documents (0-based, in the order they
// were added; see motcua.Draft.ComponentDocuments).
func (s *Submissions) DraftFile(ctx context.Context, p *motcua.Principal, draftID, component string, index int) (io.ReadCloser, motcua.File, error) {
	d, err := s.ownDraft(ctx, p, draftID)
	if err != nil {
		return nil, motcua.File{}, err
	}
	proc, err := s.store.GetProcedureVersion(ctx, d.ProcedureCode, d.ProcedureVersion)
	if err != nil {
		return nil, motcua.File{}, err
	}
	if _, ok := proc.Component(d.CaseCode, component); !ok {
		return nil, motcua.File{}, unknownComponent()
	}
	docs := d.ComponentDocuments(component)
	if index < 0 || index >= len(docs) {
		return nil, motcua.File{}, noComponentFile()
	}
	c := docs[index]
	if c.Source != motcua.FromWarehouse && c.File.SHA256 == "" {
		return nil, motcua.File{}, noComponentFile()
	}
	if c.Source == motcua.FromWarehouse {
		if rc, f, ok, err := s.coApplicantFile(ctx, p, d, proc, component, c.DocumentID); ok || err != nil {
			return rc, f, err
		}
		return s.wh.OpenFile(ctx, p, c.DocumentID, 0, Access{})
	}
	rc, err := s.wh.blobs.Open(ctx, c.File.SHA256)
	if err != nil {
		return nil, motcua.File{}, err
	}
	return rc, c.File, nil
}
