package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/motcua/motcua"
)

// AnLao2024Q1 returns the period of seed 002's Appendix I: receipt dates
// from 01/01/2024 to 20/03/2024, both included.
func AnLao2024Q1() (from, to motcua.Date) {
	return motcua.Date{Year: 2024, Month: time.January, Day: 1}, motcua.Date{Year: 2024, Month: time.March, Day: 20}
}

// GenerateAnLao2024Q1 fills the store with the dossiers behind seed 002's
// Appendix I: for every agency exactly its received and reused counts,
// with receipt dates spread over the period, so that the reuse report
// reproduces the published table. The demo data must be seeded first. It
// refuses to run twice (the counts would double).
func GenerateAnLao2024Q1(ctx context.Context, st motcua.Store, seed uint64) (int, error) {
	first, last := AnLao2024Q1()
	from, to := first.Time(), last.AddDays(1).Time()
	existing, err := st.ReuseCounts(ctx, from, to)
	if err != nil {
		return 0, err
	}
	if len(existing) > 0 {
		return 0, motcua.Errorf(motcua.ECONFLICT, "already_generated", "Dữ liệu mẫu quý I/2024 của huyện An Lão đã được tạo.")
	}
	procs, err := st.ListProcedures(ctx, "")
	if err != nil {
		return 0, err
	}
	if len(procs) == 0 {
		return 0, fmt.Errorf("no procedures: seed the demo data first")
	}
	citizens := Citizens()
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	span := to.Sub(from)
	file := motcua.File{Name: "thanh-phan.pdf", Size: 1024, SHA256: fmt.Sprintf("%064x", 1)}
	n := 0
	err = st.InTx(ctx, func(tx motcua.Store) error {
		var batch []*motcua.Dossier
		for _, row := range AppendixI() {
			proc := procs[0]
			for _, p := range procs {
				if slices.Contains(p.AgencyCodes, row.AgencyCode) {
					proc = p
					break
				}
			}
			// Which of the received dossiers reused data: a random subset of
			// exactly row.Reused.
			reused := make([]bool, row.Received)
			for _, i := range rng.Perm(row.Received)[:row.Reused] {
				reused[i] = true
			}
			for i := range row.Received {
				c := citizens[rng.IntN(len(citizens))]
				person := motcua.Person{Code: c.Code, Name: c.Name, BirthDate: c.BirthDate}
				received := from.Add(time.Duration(rng.Int64N(int64(span))))
				comp := motcua.DossierComponent{Code: "TP01", Name: "Thành phần hồ sơ", Required: true, Digitization: motcua.Digitized,
					Attachments: []motcua.Attachment{{Source: motcua.Scanned, File: file}}}
				if reused[i] {
					comp.Digitization = motcua.ReusedFromWarehouse
					comp.Attachments = []motcua.Attachment{{Source: motcua.FromWarehouse, DocumentID: "seed-002", File: file}}
				}
				d := &motcua.Dossier{ProcedureCode: proc.Code, CaseCode: proc.Cases[0].Code, AgencyCode: row.AgencyCode,
					Submitter: person, Owner: person, Channel: motcua.Channel(1 + rng.IntN(2)), ResultMethod: motcua.ResultAtCounter,
					Status: motcua.StatusReceived, Components: []motcua.DossierComponent{comp},
					SubmittedAt: received.Add(-time.Duration(rng.IntN(60)) * time.Minute), ReceivedAt: received,
					OwnerVerified: rng.IntN(10) < 7, ResultExpected: proc.ResultCategory != "",
					DueAt: received.AddDate(0, 0, 3+rng.IntN(12)), ReceivedBy: "tiepnhan.demo"}
				// Most are finished, a few late; some that did not reuse had a
				// matching document in the warehouse (missed reuse).
				if rng.IntN(10) < 8 {
					d.Status = motcua.StatusResultsReturned
					d.FinishedAt = d.DueAt.Add(-time.Duration(rng.IntN(5*24)) * time.Hour)
					if rng.IntN(12) == 0 {
						d.FinishedAt = d.DueAt.Add(time.Duration(1+rng.IntN(3*24)) * time.Hour)
					}
					if d.ResultExpected && rng.IntN(10) < 7 {
						d.ResultDocIDs = []string{"seed-002-result"}
					}
				}
				if !reused[i] && rng.IntN(7) == 0 {
					d.MissedReuse = true
					d.Components[0].MissedCodes = []string{c.Code + ".KQ.G15.000021.01"}
				}
				batch = append(batch, d)
				if len(batch) == 200 {
					if err := tx.CreateDossier(ctx, batch...); err != nil {
						return fmt.Errorf("dossiers of %s: %w", row.AgencyCode, err)
					}
					batch = batch[:0]
				}
				n++
			}
		}
		if len(batch) > 0 {
			return tx.CreateDossier(ctx, batch...)
		}
		return nil
	})
	return n, err
}
