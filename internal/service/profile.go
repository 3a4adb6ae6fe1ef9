package service

import (
	"context"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// ProfileUpdate is the citizen's "Thông tin cá nhân" → "Chỉnh sửa" form.
type ProfileUpdate struct {
	Name      string
	BirthDate motcua.Date
	Phone     string
	Email     string
}

// UpdateProfile lets a citizen correct their own details. Changing the
// name or the date of birth withdraws the identity verification: the next
// online submission checks them against the population database again.
func UpdateProfile(ctx context.Context, st motcua.Store, p *motcua.Principal, u ProfileUpdate) (*motcua.Subject, error) {
	if p == nil || p.Kind != motcua.PrincipalPerson {
		return nil, Authorize(p, OpWriteWarehouse, Resource{})
	}
	if err := Authorize(p, OpReadOwnProfile, Resource{OwnerCode: p.SubjectCode}); err != nil {
		return nil, err
	}
	sub, err := st.GetSubject(ctx, p.SubjectCode)
	if err != nil {
		return nil, err
	}
	name := strings.Join(strings.Fields(u.Name), " ")
	if name != sub.Name || u.BirthDate != sub.BirthDate {
		sub.VerifiedAt = time.Time{}
	}
	sub.Name, sub.BirthDate, sub.Phone, sub.Email = name, u.BirthDate, strings.TrimSpace(u.Phone), strings.TrimSpace(u.Email)
	if u.BirthDate.IsZero() {
		return nil, motcua.Invalid("birth_date", "required", "Vui lòng nhập Ngày sinh (ngày/tháng/năm).")
	}
	if err := sub.Validate(); err != nil {
		return nil, err
	}
	err = st.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.UpdateSubject(ctx, sub); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: "citizen", ActorID: p.ActorID(), Action: "profile.update",
			ObjectKind: "subject", ObjectID: sub.Code, SubjectCode: sub.Code})
	})
	return sub, err
}
