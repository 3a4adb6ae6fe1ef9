package service

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/motcua/motcua"
)

// withIdentityCheck returns d with how its identities were checked, when
// that was recorded.
func withIdentityCheck(ctx context.Context, store motcua.Store, d *motcua.Dossier) (*motcua.Dossier, error) {
	c, err := store.GetIdentityCheck(ctx, d.ID)
	if err != nil && !motcua.IsKind(err, motcua.ENOTFOUND) {
		return nil, err
	}
	d.IdentityCheck = c
	return d, nil
}

// IdentityRechecks re-checks, against the population database, the
// identities officers compared by hand while it was down. The jobs are the
// pending rows of the IdentityCheckStore, so they survive restarts; any
// number of nodes may run them (a claim leases a row).
type IdentityRechecks struct {
	store  motcua.Store
	pop    Population
	now    func() time.Time
	logger *slog.Logger
	// base is the first retry delay while the database is still down;
	// it doubles per attempt up to maxDelay.
	base time.Duration
}

// maxRecheckDelay bounds the wait between two re-checks of one dossier:
// thirty times the first delay, and never more than half an hour.
func (r *IdentityRechecks) maxDelay() time.Duration { return min(30*r.base, 30*time.Minute) }

// NewIdentityRechecks builds the re-check job; base is the first retry
// delay (default one minute).
func NewIdentityRechecks(store motcua.Store, pop Population, base time.Duration, logger *slog.Logger) *IdentityRechecks {
	if base <= 0 {
		base = time.Minute
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &IdentityRechecks{store: store, pop: pop, now: time.Now, logger: logger, base: base}
}

// recheckLease is how long a claimed re-check is kept from other workers:
// well past the population database client's timeout for two checks.
const recheckLease = time.Minute

// Run re-checks what is due every interval until ctx is done.
func (r *IdentityRechecks) Run(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		if _, err := r.RunDue(ctx); err != nil && ctx.Err() == nil {
			r.logger.Error("identity re-check", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// RunDue re-checks every manual verification due now and returns how
// many were settled (confirmed or found mismatching).
func (r *IdentityRechecks) RunDue(ctx context.Context) (settled int, err error) {
	for {
		now := r.now().UTC().Truncate(time.Microsecond)
		jobs, err := r.store.ClaimIdentityRechecks(ctx, now, recheckLease, 50)
		if err != nil {
			return settled, err
		}
		for _, c := range jobs {
			done, err := r.recheck(ctx, c)
			if err != nil {
				return settled, err
			}
			if done {
				settled++
			}
		}
		if len(jobs) < 50 {
			return settled, nil
		}
	}
}

// recheck asks the database about the dossier's submitter and owner. A
// match clears the flag; a "no match" is an alert for the receiving
// agency (the list of IdentityAlerts, the dossier's page) and an audit
// event; no answer schedules the next attempt.
func (r *IdentityRechecks) recheck(ctx context.Context, c *motcua.IdentityCheck) (settled bool, err error) {
	d, err := r.store.GetDossier(ctx, c.DossierID)
	if err != nil {
		return false, err
	}
	people := []motcua.Person{d.Submitter}
	if d.Owner.Code != d.Submitter.Code {
		people = append(people, d.Owner)
	}
	match := true
	for _, person := range people {
		ok, err := r.pop.CheckIdentity(ctx, motcua.IdentityQuery{ActorKind: motcua.ActorSystem, AgencyCode: d.AgencyCode,
			Purpose: motcua.PurposeCounter, ServiceCode: d.ProcedureCode, DossierID: d.ID,
			PersonalID: person.Code, FullName: person.Name, BirthDate: person.BirthDate})
		if err != nil && ctx.Err() != nil {
			return false, r.release(ctx, c)
		}
		if err != nil {
			return false, r.retry(ctx, c, err)
		}
		match = match && ok
	}
	now := r.now().UTC().Truncate(time.Microsecond)
	next := *c
	next.Attempts++
	action, level := "identity.recheck_match", slog.LevelInfo
	if match {
		next = next.Confirmed(now)
	} else {
		next.Recheck, next.NextAttemptAt, next.LastError = motcua.RecheckMismatch, time.Time{}, "identity_mismatch"
		action, level = "identity.recheck_mismatch", slog.LevelWarn
	}
	err = r.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.PutIdentityCheck(ctx, &next); err != nil {
			return err
		}
		by := ""
		if c.Manual != nil {
			by = c.Manual.By
		}
		return tx.AppendAudit(ctx, &motcua.AuditEvent{ActorKind: motcua.ActorSystem, ActorID: "identity-recheck", AgencyCode: d.AgencyCode,
			Action: action, ObjectKind: "dossier", ObjectID: d.ID, DossierID: d.ID, SubjectCode: d.Owner.Code,
			Detail: fmt.Sprintf("manual_by=%s attempts=%d", by, next.Attempts)})
	})
	if err != nil {
		return false, err
	}
	r.logger.Log(ctx, level, "identity re-checked", "dossier", d.Code, "match", match, "attempts", next.Attempts)
	return true, nil
}

// release gives back, at once and uncounted, a re-check cut short by the
// server stopping, so that the next start does not wait for the lease.
func (r *IdentityRechecks) release(ctx context.Context, c *motcua.IdentityCheck) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	next := *c
	next.NextAttemptAt = r.now().UTC().Truncate(time.Microsecond)
	return r.store.PutIdentityCheck(ctx, &next)
}

// retry records a failed attempt and when to try again.
func (r *IdentityRechecks) retry(ctx context.Context, c *motcua.IdentityCheck, cause error) error {
	if !motcua.IsKind(cause, motcua.EUNAVAILABLE) {
		r.logger.Error("identity re-check failed", "dossier_id", c.DossierID, "err", cause)
	}
	delay, limit := r.base, r.maxDelay()
	for i := 0; i < c.Attempts && delay < limit; i++ {
		delay *= 2
	}
	next := *c
	next.Attempts++
	next.LastError = motcua.ErrorCode(cause)
	next.NextAttemptAt = r.now().UTC().Add(min(delay, limit)).Truncate(time.Microsecond)
	return r.store.PutIdentityCheck(ctx, &next)
}

// IdentityAlerts lists the dossiers whose manual identity verification
// the population database did not confirm (each with its IdentityCheck),
// newest first: a reception officer sees their agency's, to call the
// applicant back with the original papers; a monitor (theo dõi) or leader
// those of the agencies under them. Anyone else is EFORBIDDEN.
func (r *Reception) IdentityAlerts(ctx context.Context, p *motcua.Principal) ([]*motcua.Dossier, error) {
	desk := AuthorizeAt(ctx, r.store, p, OpReceiveDossier, "") == nil
	if !desk {
		if err := AuthorizeAt(ctx, r.store, p, OpViewKPI, ""); err != nil {
			return nil, err
		}
	}
	f := motcua.IdentityCheckFilter{Recheck: motcua.RecheckMismatch, Limit: 1000}
	if desk {
		f.AgencyCode = p.AgencyCode
	}
	cs, err := r.store.ListIdentityChecks(ctx, f)
	if err != nil {
		return nil, err
	}
	ds := make([]*motcua.Dossier, 0, len(cs))
	for _, c := range cs {
		if !desk {
			path, err := AgencyPath(ctx, r.store, c.AgencyCode)
			if err != nil {
				return nil, err
			}
			if Authorize(p, OpViewKPI, Resource{AgencyPath: path}) != nil {
				continue
			}
		}
		d, err := r.store.GetDossier(ctx, c.DossierID)
		if err != nil {
			return nil, err
		}
		d.IdentityCheck = c
		ds = append(ds, d)
	}
	return ds, nil
}
