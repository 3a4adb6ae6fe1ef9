package motcua

// Resolution is the "Kết quả giải quyết TTHC" widget that provincial
// portals show (seed 004): the dossiers processed (finished: returned,
// rejected, withdrawn…), those finished on or before their due date and
// those finished late. Open dossiers are not in it, late or not:
// indicator 2.1 counts those.
type Resolution struct {
	Processed, OnTime, Late int64
}

// ResolutionOf reads the widget's figures from a count.
func ResolutionOf(c AgencyCount) Resolution {
	return Resolution{Processed: c.Finished, OnTime: c.Finished - c.FinishedLate, Late: c.FinishedLate}
}

// OnTimeRate is "đã giải quyết: X%": processed on or before the due date
// ÷ processed.
func (r Resolution) OnTimeRate() Rate { return Rate{r.OnTime, r.Processed} }

// LateRate is "Tỉ lệ trễ hạn": processed late ÷ processed.
func (r Resolution) LateRate() Rate { return Rate{r.Late, r.Processed} }
