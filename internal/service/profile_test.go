package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

func TestUpdateProfile(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	birth := motcua.Date{Year: 1990, Month: 2, Day: 3}
	sub := &motcua.Subject{Code: "052090000495", Kind: motcua.SubjectPerson, Name: "Nguyễn Văn An", BirthDate: birth,
		VerifiedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := f.store.CreateSubject(ctx, sub); err != nil {
		t.Fatal(err)
	}
	p := &motcua.Principal{Kind: motcua.PrincipalPerson, SubjectCode: sub.Code}

	got, err := service.UpdateProfile(ctx, f.store, p, service.ProfileUpdate{Name: "Nguyễn Văn An", BirthDate: birth, Phone: "0905111222"})
	if err != nil || got.Phone != "0905111222" || got.VerifiedAt.IsZero() {
		t.Fatalf("contact change: %+v, %v", got, err)
	}
	got, err = service.UpdateProfile(ctx, f.store, p, service.ProfileUpdate{Name: "  Nguyễn   Văn Ân ", BirthDate: birth})
	if err != nil || got.Name != "Nguyễn Văn Ân" || !got.VerifiedAt.IsZero() {
		t.Fatalf("name change must withdraw the verification: %+v, %v", got, err)
	}
	stored, _ := f.store.GetSubject(ctx, sub.Code)
	if stored.Name != "Nguyễn Văn Ân" || !stored.VerifiedAt.IsZero() {
		t.Fatalf("stored = %+v", stored)
	}
	_, err = service.UpdateProfile(ctx, f.store, p, service.ProfileUpdate{Name: "X", BirthDate: birth, Phone: "12"})
	wantCode(t, err, "invalid_phone")
	_, err = service.UpdateProfile(ctx, f.store, p, service.ProfileUpdate{Name: "X"})
	wantCode(t, err, "required")
	_, err = service.UpdateProfile(ctx, f.store, &motcua.Principal{Kind: motcua.PrincipalOfficer, Username: "x"},
		service.ProfileUpdate{Name: "X", BirthDate: birth})
	wantCode(t, err, "forbidden")
	_, err = service.UpdateProfile(ctx, f.store, nil, service.ProfileUpdate{Name: "X", BirthDate: birth})
	wantCode(t, err, "login_required")
}
