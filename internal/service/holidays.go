package service

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Holidays is the calendar of due dates in force — the built-in Vietnamese
// public holidays and the --holidays file (base) with the days off and
// working days administrators stored in the database on top — and their
// administration. It is a motcua.CalendarSource: every due date is
// counted with the calendar in force when it is set. A change takes
// effect at once on the node that made it and within SettingsRefresh on
// the others, without a restart.
type Holidays struct {
	store motcua.Store
	base  *motcua.Calendar
	now   func() time.Time
	cache *settingCache[*motcua.Calendar]
}

var _ motcua.CalendarSource = (*Holidays)(nil)

// HolidaysConfig tunes Holidays.
type HolidaysConfig struct {
	// Refresh is how often other nodes' changes are looked for (default
	// SettingsRefresh; negative: on every use).
	Refresh time.Duration
	Now     func() time.Time
}

// NewHolidays builds the calendar source over base (motcua.DefaultCalendar
// when nil).
func NewHolidays(store motcua.Store, base *motcua.Calendar, cfg HolidaysConfig) *Holidays {
	if base == nil {
		base = motcua.DefaultCalendar()
	}
	if cfg.Refresh == 0 {
		cfg.Refresh = SettingsRefresh
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := &Holidays{store: store, base: base, now: cfg.Now}
	h.cache = newSettingCache(store, motcua.SettingHolidays, cfg.Refresh, cfg.Now, h.build)
	return h
}

func (h *Holidays) build(ctx context.Context) (*motcua.Calendar, error) {
	list, err := h.store.ListHolidays(ctx, 0)
	if err != nil {
		return nil, err
	}
	var off, work []motcua.Date
	for _, d := range list {
		if d.Working {
			work = append(work, d.Date)
		} else {
			off = append(off, d.Date)
		}
	}
	return h.base.With(off, work), nil
}

// Calendar implements motcua.CalendarSource. When the database cannot be
// read before any calendar was loaded, due dates fall back to the base
// calendar rather than failing a submission.
func (h *Holidays) Calendar(ctx context.Context) *motcua.Calendar {
	cal, err := h.cache.get(ctx)
	if err != nil {
		slog.WarnContext(ctx, "holiday calendar unavailable; using the built-in one", "err", err)
		return h.base
	}
	return cal
}

// HolidayYear is a year of the calendar as administrators see it.
type HolidayYear struct {
	Year int
	// Entries are the database's entries of the year.
	Entries []*motcua.Holiday
	// DaysOff and WorkingWeekends are the year's calendar in force: the
	// weekdays off and the weekend days worked, from every source.
	DaysOff, WorkingWeekends []motcua.Date
}

// Year returns the entries and the calendar in force of year. Every
// administrator may see them.
func (h *Holidays) Year(ctx context.Context, p *motcua.Principal, year int) (*HolidayYear, error) {
	if err := AuthorizeAt(ctx, h.store, p, OpManageHolidays, ""); err != nil {
		return nil, err
	}
	if err := validYear(year); err != nil {
		return nil, err
	}
	entries, err := h.store.ListHolidays(ctx, year)
	if err != nil {
		return nil, err
	}
	off, work := h.Calendar(ctx).Changes(motcua.Date{Year: year, Month: 1, Day: 1}, motcua.Date{Year: year, Month: 12, Day: 31})
	return &HolidayYear{Year: year, Entries: entries, DaysOff: off, WorkingWeekends: work}, nil
}

func validYear(year int) error {
	if year < 2000 || year > 2100 {
		return motcua.Invalid("year", "invalid_year", "Năm phải trong khoảng 2000–2100.")
	}
	return nil
}

// Put adds or replaces the entry of a date; province administrators only.
// Errors: EINVALID (motcua.Holiday.Validate), EFORBIDDEN province_admin_only.
func (h *Holidays) Put(ctx context.Context, p *motcua.Principal, e motcua.Holiday) (*motcua.Holiday, error) {
	if err := AuthorizeProvince(ctx, h.store, p, OpManageHolidays); err != nil {
		return nil, err
	}
	e.Name = strings.TrimSpace(e.Name)
	if err := e.Validate(); err != nil {
		return nil, err
	}
	e.UpdatedBy, e.UpdatedAt = p.ActorID(), h.now().UTC().Truncate(time.Microsecond)
	err := h.store.InTx(ctx, func(tx motcua.Store) error {
		before, err := holidayOf(ctx, tx, e.Date)
		if err != nil {
			return err
		}
		if err := tx.PutHoliday(ctx, &e); err != nil {
			return err
		}
		return auditChange(ctx, tx, p, "holiday.put", "holiday", e.Date.String(), holidayAudit(before), holidayAudit(&e))
	})
	if err != nil {
		return nil, err
	}
	h.cache.invalidate()
	return &e, nil
}

// Delete removes the entry of d, which then follows the built-in calendar
// again; province administrators only. Errors: ENOTFOUND holiday_not_found,
// EFORBIDDEN province_admin_only.
func (h *Holidays) Delete(ctx context.Context, p *motcua.Principal, d motcua.Date) error {
	if err := AuthorizeProvince(ctx, h.store, p, OpManageHolidays); err != nil {
		return err
	}
	err := h.store.InTx(ctx, func(tx motcua.Store) error {
		before, err := holidayOf(ctx, tx, d)
		if err != nil {
			return err
		}
		if before == nil {
			return motcua.NotFound("holiday", d.Display())
		}
		if err := tx.DeleteHoliday(ctx, d); err != nil {
			return err
		}
		return auditChange(ctx, tx, p, "holiday.delete", "holiday", d.String(), holidayAudit(before), nil)
	})
	if err != nil {
		return err
	}
	h.cache.invalidate()
	return nil
}

// holidayOf returns the stored entry of d, nil when there is none.
func holidayOf(ctx context.Context, st motcua.Store, d motcua.Date) (*motcua.Holiday, error) {
	list, err := st.ListHolidays(ctx, d.Year)
	if err != nil {
		return nil, err
	}
	for _, e := range list {
		if e.Date == d {
			return e, nil
		}
	}
	return nil, nil
}

func holidayAudit(e *motcua.Holiday) any {
	if e == nil {
		return nil
	}
	kind := "off"
	if e.Working {
		kind = "work"
	}
	return map[string]any{"date": e.Date.String(), "kind": kind, "name": e.Name}
}
