package motcua

import (
	"context"
	"time"
)

// ClusterStore keeps what several serve nodes on one database must agree
// on besides the records themselves (issue 17): the demo's key material
// and the leases of periodic jobs.
type ClusterStore interface {
	// KeepDemoKey stores pem under name unless a value is stored already,
	// and returns the stored value: of several nodes keeping a name at
	// once, all get the first one's. Demo mode only (the demo CA and
	// agency keys); production keys never enter the database.
	KeepDemoKey(ctx context.Context, name string, pem []byte) ([]byte, error)
	// DemoKey returns the value stored under name; ENOTFOUND
	// demo_key_not_found.
	DemoKey(ctx context.Context, name string) ([]byte, error)

	// TakeJobLease gives holder the named job until now+ttl when nobody
	// holds it, its lease expired at or before now, or holder holds it
	// already (then extended), and reports whether holder has it. One
	// atomic statement: of several nodes asking at once, one gets it.
	TakeJobLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error)
}

// SettingReferenceData is the version of the reference data (agencies,
// procedures) every node caches; it moves with every change of them.
const SettingReferenceData = "reference_data"
