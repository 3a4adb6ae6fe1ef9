package motcua

import "context"

// Store is the system of record. Two implementations exist, SQLite
// (internal/sqlite, the embedded default) and PostgreSQL
// (internal/postgres); both pass one conformance suite
// (internal/storetest).
//
// The store enforces integrity (uniqueness, references, atomic counters,
// optimistic versions) and nothing else: authorization and business rules
// live in the service layer, so that no backend has to repeat them.
//
// Every error a Store method returns is an *Error: ENOTFOUND, ECONFLICT or
// EINVALID as each method documents, EINTERNAL for anything unexpected.
type Store interface {
	AgencyStore
	SubjectStore
	CategoryStore
	ProcedureStore
	DocumentStore
	DossierStore
	AuditStore
	IdentityStore
	IntegrationStore
	NotificationStore
	DraftStore
	CoApplicantStore
	KPIStore
	KPISnapshotStore
	FeedbackStore
	CertificationStore
	SettingsStore
	RatingStore
	IdentityCheckStore
	BlobReferenceStore
	ClusterStore

	// InTx runs fn with a Store whose methods all run in one transaction;
	// the transaction commits when fn returns nil and rolls back
	// otherwise. Nested InTx calls join the outer transaction.
	InTx(ctx context.Context, fn func(tx Store) error) error

	// Ping reports whether the database is reachable; /readyz uses it.
	Ping(ctx context.Context) error

	// Close releases the connections.
	Close() error
}
