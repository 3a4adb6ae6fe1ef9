// Package demo loads a small, realistic data set into a Store: the An Lão
// district agency tree of seed 002 (Appendix I), the document catalogue the
// Bình Định portal offers, a handful of real procedures with their cases and
// components, and synthetic citizens and organisations.
//
// Everything is built from Go values so that a diff can review it. The
// exported functions return fresh values on every call: callers (KPI demos,
// the population-database simulator, tests) may modify what they get.
package demo

import (
	"context"
	"fmt"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/catalogue"
	"github.com/motcua/motcua/internal/service"
)

// Summary reports what Seed stored.
type Summary struct {
	Agencies, Categories, Procedures, Subjects, Officers int
	// AlreadySeeded is true when the province agency existed, in which
	// case Seed changed nothing and the counts are zero.
	AlreadySeeded bool
}

// Seed stores the demo data set in one transaction. It is idempotent: when
// the province agency (ProvinceCode) already exists it returns
// Summary{AlreadySeeded: true} and changes nothing. Any other failure,
// including a demo entity failing its own Validate, rolls everything back.
func Seed(ctx context.Context, s motcua.Store) (Summary, error) {
	var sum Summary
	err := s.InTx(ctx, func(tx motcua.Store) error {
		sum = Summary{}
		_, err := tx.GetAgency(ctx, ProvinceCode)
		if err == nil {
			sum.AlreadySeeded = true
			return nil
		}
		if !motcua.IsKind(err, motcua.ENOTFOUND) {
			return fmt.Errorf("look up province agency %s: %w", ProvinceCode, err)
		}

		// The catalogue goes through the same import as a province's own
		// (motcua catalogue import).
		res, err := catalogue.Import(ctx, tx, Catalogue(), catalogue.Options{})
		if err != nil {
			return fmt.Errorf("demo catalogue: %w", err)
		}
		sum.Agencies, sum.Categories, sum.Procedures = res.Agencies.Created, res.Categories.Created, res.Procedures.Created
		for _, sub := range Subjects() {
			if err := sub.Validate(); err != nil {
				return fmt.Errorf("demo subject %s: %w", sub.Code, err)
			}
			if err := tx.CreateSubject(ctx, &sub); err != nil {
				return fmt.Errorf("store subject %s: %w", sub.Code, err)
			}
			sum.Subjects++
		}
		for _, d := range Officers() {
			o := d.Officer
			hash, err := service.HashPassword(d.Password, accountPasswordParams())
			if err != nil {
				return err
			}
			o.PasswordHash = hash
			if err := o.Validate(); err != nil {
				return fmt.Errorf("demo officer %s: %w", o.Username, err)
			}
			if err := tx.CreateOfficer(ctx, &o); err != nil {
				return fmt.Errorf("store officer %s: %w", o.Username, err)
			}
			sum.Officers++
		}
		if _, err := service.RegisterClient(ctx, tx, motcua.APIClient{ID: IntegratorID, Name: "Phần mềm hộ tịch Thị trấn An Lão (DEMO)",
			AgencyCode: TownCode, Categories: IntegratorCategories()}, IntegratorSecret, accountPasswordParams()); err != nil {
			return fmt.Errorf("demo integrator: %w", err)
		}
		if _, err := service.RegisterClient(ctx, tx, motcua.APIClient{ID: ReportsClientID, Name: "Hệ thống báo cáo huyện An Lão (DEMO)",
			AgencyCode: DistrictCode, Scopes: []string{motcua.ScopeReportsRead}}, ReportsClientSecret, accountPasswordParams()); err != nil {
			return fmt.Errorf("demo reports client: %w", err)
		}
		return nil
	})
	if err != nil {
		// Another process seeding the same database at once wins the
		// race; its data set is the same.
		if _, gerr := s.GetAgency(ctx, ProvinceCode); gerr == nil {
			return Summary{AlreadySeeded: true}, nil
		}
		return Summary{}, err
	}
	return sum, nil
}

// Catalogue returns the demo catalogue (agencies, categories, procedures)
// as the document `motcua catalogue import` reads.
func Catalogue() *catalogue.Document {
	return catalogue.FromDomain(Agencies(), Categories(), Procedures())
}

// accountPasswordParams hash the demo accounts' passwords. The passwords
// are published, so a costly hash protects nothing; a cheap one keeps
// demo start-up (and the tests that start demo servers) fast. Real
// accounts use service.DefaultPasswordParams.
func accountPasswordParams() service.PasswordParams {
	return service.PasswordParams{MemoryKiB: 1024, Time: 1, Threads: 1}
}
