package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

// TestSnapshotDue: the server's monthly run stores the previous month
// once; later runs leave it alone, and a month not ended is refused.
func TestSnapshotDue(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	k := service.NewKPI(f.store)
	now := time.Date(2024, 4, 1, 0, 30, 0, 0, motcua.VietnamLocation())
	month, taken, err := k.SnapshotDue(ctx, now)
	if err != nil || !taken || month.String() != "2024-03" {
		t.Fatalf("first run: %v %v %v", month, taken, err)
	}
	first, err := f.store.GetKPISnapshot(ctx, month)
	if err != nil || first.TakenBy != "system" {
		t.Fatalf("stored: %+v %v", first, err)
	}
	if _, taken, err := k.SnapshotDue(ctx, now.Add(time.Hour)); err != nil || taken {
		t.Fatalf("second run: %v %v", taken, err)
	}
	again, _ := f.store.GetKPISnapshot(ctx, month)
	if !again.TakenAt.Equal(first.TakenAt) {
		t.Fatalf("the month was taken again: %v → %v", first.TakenAt, again.TakenAt)
	}
	// 31 March 23:30 in Vietnam is still March: not ended.
	_, err = k.TakeSnapshot(ctx, service.SnapshotRequest{Month: motcua.KPIMonth{Year: 2024, Month: time.March}, Actor: "cli",
		Now: time.Date(2024, 3, 31, 16, 30, 0, 0, time.UTC), Replace: true, Reason: "thử"})
	if motcua.ErrorCode(err) != "month_not_ended" {
		t.Fatalf("a month not ended: %v", err)
	}
	_, err = k.TakeSnapshot(ctx, service.SnapshotRequest{Month: month, Actor: "cli", Now: now})
	if !motcua.IsKind(err, motcua.ECONFLICT) || motcua.ErrorCode(err) != "snapshot_exists" {
		t.Fatalf("taking a stored month again: %v", err)
	}
}
