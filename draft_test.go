package motcua_test

import (
	"errors"
	"testing"

	"github.com/motcua/motcua"
)

func TestDraftAddComponent(t *testing.T) {
	t.Parallel()
	one := motcua.ProcedureComponent{Code: "TK", Name: "Tờ khai", Form: motcua.FormOriginal}
	two := motcua.ProcedureComponent{Code: "GT", Name: "Giấy tờ tùy thân của hai bên", Form: motcua.FormCopy, MaxDocuments: 2}
	if one.Multiple() || one.Limit() != 1 || !two.Multiple() || two.Limit() != 2 {
		t.Fatal("limits")
	}
	var d motcua.Draft
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(d.AddComponent(one, motcua.DraftComponent{Source: motcua.FromWarehouse, DocumentID: "a"}))
	must(d.AddComponent(one, motcua.DraftComponent{Source: motcua.FromWarehouse, DocumentID: "b"}))
	if got := d.ComponentDocuments("TK"); len(got) != 1 || got[0].DocumentID != "b" {
		t.Fatalf("one document: a new choice replaces the old, got %+v", got)
	}
	must(d.AddComponent(two, motcua.DraftComponent{Source: motcua.FromWarehouse, DocumentID: "x"}))
	must(d.AddComponent(two, motcua.DraftComponent{Source: motcua.FromWarehouse, DocumentID: "x"})) // same: kept once
	must(d.AddComponent(two, motcua.DraftComponent{Source: motcua.Uploaded, File: motcua.File{Name: "y.pdf"}}))
	err := d.AddComponent(two, motcua.DraftComponent{Source: motcua.FromWarehouse, DocumentID: "z"})
	if motcua.ErrorCode(err) != "too_many_documents" {
		t.Fatalf("third document: %v", err)
	}
	if got := d.ComponentDocuments("GT"); len(got) != 2 || got[0].DocumentID != "x" || got[1].File.Name != "y.pdf" {
		t.Fatalf("GT = %+v", got)
	}
	if !d.RemoveComponent("GT", 0) || d.RemoveComponent("GT", 3) {
		t.Fatal("remove by index")
	}
	if got := d.ComponentDocuments("GT"); len(got) != 1 || got[0].File.Name != "y.pdf" {
		t.Fatalf("GT after removal = %+v", got)
	}
	if got := d.ComponentDocuments("TK"); len(got) != 1 {
		t.Fatalf("removal touched another component: %+v", d.Components)
	}
	if !d.RemoveComponent("GT", -1) || len(d.Components) != 1 {
		t.Fatalf("remove all: %+v", d.Components)
	}
}

func TestDraftSetDelivery(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		submit  motcua.SubmitMethod
		result  motcua.ResultMethod
		address string
		field   string
		code    string
	}{
		{"", motcua.ResultOnline, "", "submit_method", "invalid_submit_method"},
		{motcua.SubmitOnline, "email", "", "result_method", "invalid_result_method"},
		{motcua.SubmitOnline, motcua.ResultByPost, " ", "post_address", "required"},
		{motcua.SubmitByPost, motcua.ResultAtCounter, "", "post_address", "required"},
	} {
		var d motcua.Draft
		err := d.SetDelivery(c.submit, c.result, c.address)
		var e *motcua.Error
		if !errors.As(err, &e) || e.Code != c.code || e.Field != c.field {
			t.Errorf("%s/%s/%q: %v, want %s %s", c.submit, c.result, c.address, err, c.field, c.code)
		}
	}
	var d motcua.Draft
	if err := d.SetDelivery(motcua.SubmitAtCounter, motcua.ResultOnline, "Thôn 1"); err != nil || d.PostAddress != "" {
		t.Fatalf("no post, the address is dropped: %q %v", d.PostAddress, err)
	}
	if err := d.SetDelivery(motcua.SubmitOnline, motcua.ResultByPost, " Thôn 1,\n xã An Hòa "); err != nil || d.PostAddress != "Thôn 1, xã An Hòa" ||
		d.ResultMethod != motcua.ResultByPost || d.SubmitMethod != motcua.SubmitOnline {
		t.Fatalf("%+v %v", d, err)
	}
}
