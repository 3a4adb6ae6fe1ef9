package service

import (
	"context"

	"github.com/motcua/motcua"
)

// HandlesDossier reports whether officer p handles dossier d now: the
// dossier is still open (motcua.DossierStatus.Open: not done, returned,
// refused, withdrawn or stopped) and p is a reception officer of the
// receiving agency or a processing officer or leader of the agency
// handling it (the receiving agency until it is forwarded).
func HandlesDossier(ctx context.Context, store motcua.AgencyStore, p *motcua.Principal, d *motcua.Dossier) (bool, error) {
	if p == nil || p.Kind != motcua.PrincipalOfficer || d == nil || !d.Status.Open() {
		return false, nil
	}
	res, err := AgencyResource(ctx, store, d.AgencyCode)
	if err != nil {
		return false, err
	}
	if Authorize(p, OpReceiveDossier, res) == nil {
		return true, nil
	}
	path := res.AgencyPath
	if d.HandlingAgency != "" && d.HandlingAgency != d.AgencyCode {
		if path, err = AgencyPath(ctx, store, d.HandlingAgency); err != nil {
			return false, err
		}
	}
	return Authorize(p, OpProcessDossier, Resource{AgencyPath: path}) == nil, nil
}

// readableForDossier is the one rule for an officer reading a person's
// warehouse document through a dossier ("while handling the dossier"):
// the officer handles the dossier (HandlesDossier), the document is
// shared and is one the dossier may use (motcua.DossierMayUse: attached
// to it, or of a category one of its procedure's components accepts).
// Anything else is ENOTFOUND, as if the document did not exist.
func (w *Warehouse) readableForDossier(ctx context.Context, p *motcua.Principal, d *motcua.Document, dossierID string) error {
	hidden := motcua.NotFound("document", d.ID)
	if dossierID == "" || !d.Shared {
		return hidden
	}
	dos, err := w.store.GetDossier(ctx, dossierID)
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		return hidden
	}
	if err != nil {
		return err
	}
	ok, err := HandlesDossier(ctx, w.store, p, dos)
	if err != nil || !ok {
		return orHidden(err, hidden)
	}
	path, err := AgencyPath(ctx, w.store, p.AgencyCode)
	if err != nil {
		return err
	}
	if Authorize(p, OpReadWarehouse, Resource{OwnerCode: d.OwnerCode, AgencyPath: path, InDossier: dos.Owner.Code == d.OwnerCode}) != nil {
		return hidden
	}
	proc, err := w.store.GetProcedureVersion(ctx, dos.ProcedureCode, dos.ProcedureVersion)
	if err != nil && !motcua.IsKind(err, motcua.ENOTFOUND) {
		return err
	}
	if !motcua.DossierMayUse(dos, proc, d, motcua.DateOf(w.now())) {
		return hidden
	}
	return nil
}

func orHidden(err, hidden error) error {
	if err != nil {
		return err
	}
	return hidden
}
