package service_test

import (
	"context"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/groupcommit"
	"github.com/motcua/motcua/internal/pgtest"
	"github.com/motcua/motcua/internal/popdb"
	"github.com/motcua/motcua/internal/popdb/popdbsim"
	"github.com/motcua/motcua/internal/postgres"
	"github.com/motcua/motcua/internal/service"
)

// BenchmarkSubmitManyOwners is BenchmarkSubmit with each of the 64
// clients applying for its own citizen (own warehouse, own documents),
// as a province's load is spread.
func BenchmarkSubmitManyOwners(b *testing.B) {
	benchSubmitManyOwners(b, setupWarehouse(b))
}

// BenchmarkSubmitManyOwnersPostgres is the same on PostgreSQL.
func BenchmarkSubmitManyOwnersPostgres(b *testing.B) {
	st, err := postgres.Open(context.Background(), pgtest.SchemaURL(b))
	if err != nil {
		b.Fatal(err)
	}
	benchSubmitManyOwners(b, setupWarehouseOn(b, setupOn(b, st)))
}

func benchSubmitManyOwners(b *testing.B, f *warehouseFixture) {
	ctx := context.Background()
	const clients = 64
	people, err := popdbsim.Generate(clients, 42)
	if err != nil {
		b.Fatal(err)
	}
	sim := httptest.NewServer(popdbsim.New(people, popdbsim.Options{}))
	b.Cleanup(sim.Close)
	pop, err := popdb.NewClient(popdb.Config{BaseURL: sim.URL, ClientID: popdbsim.DefaultClientID,
		ClientSecret: popdbsim.DefaultClientSecret, Audit: groupcommit.NewAudit(f.store)})
	if err != nil {
		b.Fatal(err)
	}
	proc := &motcua.Procedure{Code: "1.000894.000.00.00.H08", Name: "Đăng ký kết hôn", AgencyCodes: []string{agencyCode},
		Cases: []motcua.ProcedureCase{{Code: "TH1", Name: "1 ngày làm việc", ProcessingDays: 1}},
		Components: []motcua.ProcedureComponent{
			{Code: "TK", Name: "Tờ khai", Form: motcua.FormOriginal},
			{Code: "KS", Name: "Giấy khai sinh", Required: true, Form: motcua.FormCopy, Categories: []string{f.catKS}},
			{Code: "GT", Name: "Giấy tờ tùy thân", Required: true, Form: motcua.FormCopy, Categories: []string{f.catBSC}},
		}}
	if err := f.store.CreateProcedure(ctx, proc); err != nil {
		b.Fatal(err)
	}
	principals := make([]*motcua.Principal, clients)
	var docs []string
	for i, c := range people {
		if err := f.store.CreateSubject(ctx, &motcua.Subject{Code: c.PersonalID, Kind: motcua.SubjectPerson, Name: c.FullName,
			BirthDate: c.BirthDate}); err != nil {
			b.Fatal(err)
		}
		principals[i] = &motcua.Principal{Kind: motcua.PrincipalPerson, SubjectCode: c.PersonalID, Name: c.FullName}
		for _, cat := range []string{f.catKS, f.catBSC} {
			d, _, err := f.w.Add(ctx, principals[i], service.NewDocument{CategoryCode: cat, DecisionNumber: cat[3:6] + "1",
				Visible: true, Shared: true, File: service.Upload{Name: "x.pdf", Data: f.sig.pdf(b, c.PersonalID+cat)}})
			if err != nil {
				b.Fatal(err)
			}
			docs = append(docs, d.ID)
		}
	}
	subs := service.NewSubmissions(f.store, f.w, service.NewIdentity(f.store, pop, f.auth), "http://motcua.test", f.clock.Now)
	var next, done atomic.Int64
	b.SetParallelism(clients / 2) // × GOMAXPROCS(2)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		p := principals[int(next.Add(1)-1)%clients]
		for pb.Next() {
			d, err := subs.CreateDraft(ctx, p, service.DraftInput{ProcedureCode: proc.Code, CaseCode: "TH1", AgencyCode: agencyCode})
			if err != nil {
				b.Error(err)
				return
			}
			if _, _, err := subs.Submit(ctx, p, d.ID, service.SubmitOptions{}); err != nil {
				b.Error(err)
				return
			}
			done.Add(1)
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(done.Load())/b.Elapsed().Seconds(), "submissions/s")
	total := int64(0)
	for _, id := range docs {
		d, err := f.store.GetDocument(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		total += int64(d.UsageCount)
	}
	if total != 2*done.Load() {
		b.Fatalf("usage counts add up to %d after %d submissions, want %d", total, done.Load(), 2*done.Load())
	}
}
