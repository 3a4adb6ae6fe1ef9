package service_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/pgtest"
	"github.com/motcua/motcua/internal/postgres"
	"github.com/motcua/motcua/internal/service"
)

// BenchmarkSubmit measures full online submissions on the embedded
// backend: draft (identity check over HTTP, warehouse matching, automatic
// attachment of 2 of 3 components) and submit (identity re-check, one
// transaction with the dossier code, 2 usage counts and the outbox),
// from 64 concurrent clients. The usage counts must be exact afterwards.
func BenchmarkSubmit(b *testing.B) {
	benchSubmit(b, setupWarehouse(b))
}

// BenchmarkSubmitPostgres is the same on PostgreSQL (MOTCUA_TEST_DATABASE_URL).
func BenchmarkSubmitPostgres(b *testing.B) {
	st, err := postgres.Open(context.Background(), pgtest.SchemaURL(b))
	if err != nil {
		b.Fatal(err)
	}
	benchSubmit(b, setupWarehouseOn(b, setupOn(b, st)))
}

// BenchmarkSubmitPostgresSolo is BenchmarkSubmitPostgres with one
// transaction per submission (no group commit), for comparison.
func BenchmarkSubmitPostgresSolo(b *testing.B) {
	st, err := postgres.Open(context.Background(), pgtest.SchemaURL(b))
	if err != nil {
		b.Fatal(err)
	}
	benchSubmit(b, setupWarehouseOn(b, setupOn(b, st)), 0)
}

func benchSubmit(b *testing.B, wf *warehouseFixture, groupWriters ...int) {
	f := setupWarehouseBench(b, wf)
	for _, n := range groupWriters {
		f.subs.WithGroupCommit(n)
	}
	ctx := context.Background()
	var done atomic.Int64
	b.SetParallelism(32) // × GOMAXPROCS(2) = 64 clients
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			d, err := f.subs.CreateDraft(ctx, f.owner, service.DraftInput{ProcedureCode: f.proc.Code, CaseCode: "TH1", AgencyCode: agencyCode})
			if err != nil {
				b.Error(err)
				return
			}
			if _, _, err := f.subs.Submit(ctx, f.owner, d.ID, service.SubmitOptions{}); err != nil {
				b.Error(err)
				return
			}
			done.Add(1)
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(done.Load())/b.Elapsed().Seconds(), "submissions/s")
	for _, id := range []string{f.ksDoc.ID, f.idOnly.ID} {
		doc, err := f.store.GetDocument(ctx, id)
		if err != nil || int64(doc.UsageCount) != done.Load() {
			b.Fatalf("usage of %s = %d after %d submissions", id, doc.UsageCount, done.Load())
		}
	}
}

type benchFixture struct {
	*warehouseFixture
	subs   *service.Submissions
	proc   *motcua.Procedure
	ksDoc  *motcua.Document
	idOnly *motcua.Document
}

func setupWarehouseBench(b *testing.B, f *warehouseFixture) *benchFixture {
	b.Helper()
	ctx := context.Background()
	identity, _ := withPopulation(b, f.fixture)
	c := demoCitizen(b)
	sub, _ := f.store.GetSubject(ctx, c.PersonalID)
	sub.Name, sub.BirthDate, sub.Phone = c.FullName, c.BirthDate, "0905123456"
	if err := f.store.UpdateSubject(ctx, sub); err != nil {
		b.Fatal(err)
	}
	proc := &motcua.Procedure{Code: "1.000894.000.00.00.H08", Name: "Đăng ký kết hôn", AgencyCodes: []string{agencyCode},
		Cases: []motcua.ProcedureCase{{Code: "TH1", Name: "1 ngày làm việc", ProcessingDays: 1}},
		Components: []motcua.ProcedureComponent{
			{Code: "TK", Name: "Tờ khai", Required: false, Form: motcua.FormOriginal},
			{Code: "KS", Name: "Giấy khai sinh", Required: true, Form: motcua.FormCopy, Categories: []string{f.catKS}},
			{Code: "GT", Name: "Giấy tờ tùy thân", Required: true, Form: motcua.FormCopy, Categories: []string{f.catBSC}},
		}}
	if err := f.store.CreateProcedure(ctx, proc); err != nil {
		b.Fatal(err)
	}
	add := func(cat, num string) *motcua.Document {
		d, _, err := f.w.Add(ctx, f.owner, service.NewDocument{CategoryCode: cat, DecisionNumber: num, Visible: true, Shared: true,
			File: service.Upload{Name: num + ".pdf", Data: f.sig.pdf(b, num)}})
		if err != nil {
			b.Fatal(err)
		}
		return d
	}
	bf := &benchFixture{warehouseFixture: f, proc: proc, ksDoc: add(f.catKS, "KS1"), idOnly: add(f.catBSC, "BSC1")}
	bf.subs = service.NewSubmissions(f.store, f.w, identity, "http://motcua.test", f.clock.Now)
	return bf
}
