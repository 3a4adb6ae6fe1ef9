package service

import (
	"context"
	"slices"

	"github.com/motcua/motcua"
)

// Operation is something a principal may ask to do.
type Operation string

const (
	OpReadOwnProfile       Operation = "profile.read"           // see one's own subject and account
	OpReadWarehouse        Operation = "warehouse.read"         // list and open documents of a warehouse
	OpWriteWarehouse       Operation = "warehouse.write"        // add, replace, hide documents
	OpSubmitDossier        Operation = "dossier.submit"         // apply online for the owner
	OpCounterIdentityCheck Operation = "counter.identity_check" // "Kiểm tra danh tính số"
	OpReceiveDossier       Operation = "dossier.receive"        // tiếp nhận at the counter
	OpProcessDossier       Operation = "dossier.process"
	OpSignResult           Operation = "result.sign"
	OpCertifyCopy          Operation = "certification.issue"
	OpViewKPI              Operation = "kpi.view"
	OpManageOfficers       Operation = "officers.manage"
	OpManageCatalogue      Operation = "catalogue.manage"
	OpHandleFeedback       Operation = "feedback.handle" // answer feedback on the agency's results
	// OpManageTrustAnchors is adding, disabling and enabling the CA
	// certificates signed PDFs may chain to. Any administrator may see
	// them; changing them is the province administrator's (ProvinceWide).
	OpManageTrustAnchors Operation = "trust_anchors.manage"
	// OpManageHolidays is editing the holiday calendar of due dates; as
	// for trust anchors, changes are the province administrator's.
	OpManageHolidays Operation = "holidays.manage"
	// OpManageAPIClients is registering, rotating and revoking the API
	// clients of agencies in the administrator's subtree.
	OpManageAPIClients Operation = "api_clients.manage"
	// OpViewDemoMessages is reading every citizen's messages in the demo
	// notification gateway simulator (/dev-notify, --demo only).
	OpViewDemoMessages Operation = "demo.messages.view"
)

// Resource is what an operation touches. OwnerCode is the subject whose
// data it is; AgencyPath lists the agency that holds the work and its
// ancestors (the agency first), so that an officer of a district also
// covers the communes under it where the operation allows it.
type Resource struct {
	OwnerCode  string
	AgencyPath []string
	// InDossier is set when an officer reads a citizen's warehouse for a
	// dossier of the officer's own agency (AgencyPath is that dossier's).
	InDossier bool
	// Desk is the agency whose one-stop desk receives the work of
	// AgencyPath[0] when it is another agency (motcua.Agency.ReceptionDesk):
	// that desk's reception officers receive for it (deskOps).
	Desk string
}

// deskOps are the operations a reception officer of a desk agency may
// perform on the work of the agencies the desk receives for; everything
// else stays with the agency itself.
var deskOps = map[Operation]bool{OpReceiveDossier: true, OpReadWarehouse: true, OpCounterIdentityCheck: true}

// officerRoles says which roles may perform each officer operation, and
// whether the officer's agency must hold the work itself (own) or may be
// an ancestor of it (subtree).
var officerRoles = map[Operation]struct {
	roles   []motcua.Role
	subtree bool
}{
	OpReadWarehouse:        {[]motcua.Role{motcua.RoleReception, motcua.RoleProcessing, motcua.RoleLeader, motcua.RoleCertification}, false},
	OpCounterIdentityCheck: {[]motcua.Role{motcua.RoleReception, motcua.RoleCertification}, false},
	OpReceiveDossier:       {[]motcua.Role{motcua.RoleReception}, false},
	OpProcessDossier:       {[]motcua.Role{motcua.RoleProcessing, motcua.RoleLeader}, false},
	OpSignResult:           {[]motcua.Role{motcua.RoleLeader}, false},
	OpCertifyCopy:          {[]motcua.Role{motcua.RoleCertification}, false},
	OpViewKPI:              {[]motcua.Role{motcua.RoleMonitor, motcua.RoleLeader, motcua.RoleAdmin}, true},
	OpManageOfficers:       {[]motcua.Role{motcua.RoleAdmin}, true},
	OpManageCatalogue:      {[]motcua.Role{motcua.RoleAdmin}, true},
	OpHandleFeedback:       {[]motcua.Role{motcua.RoleProcessing, motcua.RoleLeader}, true},
	OpManageTrustAnchors:   {[]motcua.Role{motcua.RoleAdmin}, true},
	OpManageHolidays:       {[]motcua.Role{motcua.RoleAdmin}, true},
	OpManageAPIClients:     {[]motcua.Role{motcua.RoleAdmin}, true},
	OpViewDemoMessages:     {[]motcua.Role{motcua.RoleAdmin, motcua.RoleMonitor}, true},
}

// Authorize decides whether p may perform op on res. It returns nil,
// EUNAUTH (not logged in) or EFORBIDDEN. Rules:
//   - citizens and organisation representatives act only on their own
//     subject's data (profile, warehouse, submissions);
//   - officers act only on the work of their agency (or, for monitoring
//     and administration, of agencies under it), with a role the
//     operation allows; a reception officer of a desk agency also
//     receives for the agencies the desk serves (Resource.Desk); an officer reads a warehouse only while handling a
//     dossier of that owner at their own agency;
//   - an integrator client reads indicator reports of its agency's
//     subtree when it holds the reports:read scope, and nothing else.
func Authorize(p *motcua.Principal, op Operation, res Resource) error {
	if p == nil {
		return &motcua.Error{Kind: motcua.EUNAUTH, Code: "login_required", Message: "Vui lòng đăng nhập để tiếp tục."}
	}
	switch p.Kind {
	case motcua.PrincipalPerson, motcua.PrincipalOrganisation:
		switch op {
		case OpReadOwnProfile, OpReadWarehouse, OpWriteWarehouse, OpSubmitDossier:
			if res.OwnerCode != "" && res.OwnerCode == p.SubjectCode {
				return nil
			}
		}
		return forbidden()
	case motcua.PrincipalOfficer:
		if op == OpReadOwnProfile {
			return nil
		}
		rule, ok := officerRoles[op]
		if !ok || !slices.ContainsFunc(rule.roles, p.HasRole) || len(res.AgencyPath) == 0 {
			return forbidden()
		}
		if op == OpReadWarehouse && !res.InDossier {
			return forbidden()
		}
		if res.AgencyPath[0] == p.AgencyCode || rule.subtree && slices.Contains(res.AgencyPath, p.AgencyCode) {
			return nil
		}
		if res.Desk != "" && res.Desk == p.AgencyCode && deskOps[op] {
			return nil
		}
	case motcua.PrincipalClient:
		// An integrator reads reports with the reports:read scope, for its
		// agency's subtree as a monitor of that agency would; nothing else
		// goes through Authorize (pushes check categories themselves).
		if op == OpViewKPI && slices.Contains(p.Scopes, motcua.ScopeReportsRead) && slices.Contains(res.AgencyPath, p.AgencyCode) {
			return nil
		}
	}
	return forbidden()
}

// AuthorizeAt decides whether p may perform op on the work of agency (the
// officer's own when empty), reading the agency's place in the tree; a
// citizen or anonymous caller is refused as Authorize refuses them.
func AuthorizeAt(ctx context.Context, store motcua.AgencyStore, p *motcua.Principal, op Operation, agency string) error {
	if p == nil || p.Kind != motcua.PrincipalOfficer {
		return Authorize(p, op, Resource{})
	}
	if agency == "" {
		agency = p.AgencyCode
	}
	res, err := AgencyResource(ctx, store, agency)
	if err != nil {
		return err
	}
	return Authorize(p, op, res)
}

// AuthorizeProvince decides whether p may perform op for the whole
// province: the work belongs to the root of the agency tree p's agency is
// in, so only an officer of the root agency (the province) with a role op
// allows passes; a district administrator administers its subtree only.
func AuthorizeProvince(ctx context.Context, store motcua.AgencyStore, p *motcua.Principal, op Operation) error {
	if p == nil || p.Kind != motcua.PrincipalOfficer {
		return Authorize(p, op, Resource{})
	}
	// Without the role at all, the plain refusal; with it below the
	// province, the refusal that says who may.
	if err := Authorize(p, op, Resource{AgencyPath: []string{p.AgencyCode}}); err != nil {
		return err
	}
	path, err := AgencyPath(ctx, store, p.AgencyCode)
	if err != nil {
		return err
	}
	if len(path) == 0 || Authorize(p, op, Resource{AgencyPath: path[len(path)-1:]}) != nil {
		return provinceOnly()
	}
	return nil
}

func provinceOnly() error {
	return &motcua.Error{Kind: motcua.EFORBIDDEN, Code: "province_admin_only",
		Message: "Chỉ quản trị viên cấp tỉnh mới được thay đổi thiết lập dùng chung cho toàn tỉnh."}
}

func forbidden() error {
	return &motcua.Error{Kind: motcua.EFORBIDDEN, Code: "forbidden", Message: "Bạn không có quyền thực hiện thao tác này."}
}
