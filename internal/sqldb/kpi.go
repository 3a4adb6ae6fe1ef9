package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// ReuseCounts implements motcua.KPIStore. Dossiers without a receipt date
// are excluded by the range condition itself.
func (s *Store) ReuseCounts(ctx context.Context, from, to time.Time) ([]motcua.AgencyCount, error) {
	rows, err := s.query(ctx, `SELECT agency_code, COUNT(*), SUM(CASE WHEN reused THEN 1 ELSE 0 END),
		SUM(CASE WHEN channel = ? THEN 1 ELSE 0 END), SUM(CASE WHEN owner_verified THEN 1 ELSE 0 END)
		FROM dossiers WHERE received_at >= ? AND received_at < ? GROUP BY agency_code ORDER BY agency_code`,
		int(motcua.ChannelOnline), from.UnixMicro(), to.UnixMicro())
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("reuse counts: %w", err))
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (motcua.AgencyCount, error) {
		var c motcua.AgencyCount
		err := sc.Scan(&c.AgencyCode, &c.Received, &c.Reused, &c.Online, &c.Verified)
		return c, err
	}, "reuse counts")
}
