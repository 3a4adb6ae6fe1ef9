package importer

import (
	"fmt"
	"io"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/report"
)

// RejectsWriter writes rejected rows as CSV: line, file, result_code,
// reason, message. Cells that a spreadsheet would take for a formula are
// neutralised (report.CSVWriter): file names and result codes come from
// the manifest, messages may quote a signer's name. Each row is flushed at once, so the file is complete
// up to the last row dealt with even if the process is killed.
type RejectsWriter struct {
	w *report.CSVWriter
	n int
}

// NewRejectsWriter writes the header. The file starts with a UTF-8
// byte-order mark: provincial offices open it in Excel, which otherwise
// garbles the Vietnamese messages; ReadManifest accepts the mark too.
func NewRejectsWriter(w io.Writer) (*RejectsWriter, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, fmt.Errorf("write rejects file: %w", err)
	}
	rw := &RejectsWriter{w: report.NewCSVWriter(w)}
	if err := rw.write([]string{"line", "file", "result_code", "reason", "message"}); err != nil {
		return nil, err
	}
	return rw, nil
}

// Write adds one rejected row.
func (rw *RejectsWriter) Write(o Outcome) error {
	if err := rw.write([]string{strconv.Itoa(o.Row.Line), o.Row.File, o.Row.ResultCode, o.Reason, o.Message}); err != nil {
		return err
	}
	rw.n++
	return nil
}

// Count is the number of rows written.
func (rw *RejectsWriter) Count() int { return rw.n }

func (rw *RejectsWriter) write(rec []string) error {
	_ = rw.w.Write(rec)
	rw.w.Flush()
	if err := rw.w.Error(); err != nil {
		return fmt.Errorf("write rejects file: %w", err)
	}
	return nil
}

// rateWindow is how far back the speed shown is measured: long enough to
// be steady, short enough that a resumed run's burst of skipped rows does
// not promise an early end.
const rateWindow = 10 * time.Second

// rateMeter measures rows per second over the last rateWindow.
type rateMeter struct {
	samples []sample
}

type sample struct {
	at   time.Time
	done int
}

func (m *rateMeter) rate(s Stats) float64 {
	m.samples = append(m.samples, sample{s.Now, s.Done()})
	for len(m.samples) > 2 && s.Now.Sub(m.samples[1].at) >= rateWindow {
		m.samples = m.samples[1:]
	}
	first := m.samples[0]
	if dt := s.Now.Sub(first.at); dt >= time.Second {
		return float64(s.Done()-first.done) / dt.Seconds()
	}
	return overallRate(s)
}

func overallRate(s Stats) float64 {
	if el := s.Elapsed(); el >= 100*time.Millisecond {
		return float64(s.Done()) / el.Seconds()
	}
	return 0
}

// ProgressLine is the one-line progress shown on a terminal:
// "Đang nhập: 1234/10000 (12,3%) · 45 tệp/giây · bị từ chối: 3 · còn lại ~3 phút".
// rate is in rows per second; 0 leaves out the speed and the time left.
func ProgressLine(s Stats, rate float64) string {
	pct := 100.0
	if s.Total > 0 {
		pct = 100 * float64(s.Done()) / float64(s.Total)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Đang nhập: %d/%d (%s%%)", s.Done(), s.Total, decimal(pct, 1))
	if rate > 0 {
		fmt.Fprintf(&b, " · %s tệp/giây", formatRate(rate))
	}
	fmt.Fprintf(&b, " · bị từ chối: %d", s.Rejected)
	if left := s.Total - s.Done(); rate > 0 && left > 0 {
		fmt.Fprintf(&b, " · còn lại ~%s", approxDuration(time.Duration(float64(left)/rate*float64(time.Second))))
	}
	return b.String()
}

// TerminalProgress redraws one line on a terminal, at most five times a
// second.
type TerminalProgress struct {
	w     io.Writer
	meter rateMeter
	last  time.Time
	drawn bool
}

// NewTerminalProgress draws on w, which should be a terminal.
func NewTerminalProgress(w io.Writer) *TerminalProgress { return &TerminalProgress{w: w} }

const redrawEvery = 200 * time.Millisecond

// Update redraws the line unless it was drawn less than 200 ms ago.
func (p *TerminalProgress) Update(s Stats) {
	if p.drawn && s.Now.Sub(p.last) < redrawEvery {
		return
	}
	p.last, p.drawn = s.Now, true
	// \r returns to the line's start, ESC[K clears what a longer earlier
	// line left behind.
	fmt.Fprintf(p.w, "\r%s\x1b[K", ProgressLine(s, p.meter.rate(s)))
}

// Finish clears the line; the summary follows.
func (p *TerminalProgress) Finish(Stats) {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// LogProgress logs a line every Every rows or every Interval, for when
// the output is not a terminal (a service, a pipe to a file).
type LogProgress struct {
	Logger   *slog.Logger
	Every    int
	Interval time.Duration

	meter    rateMeter
	lastDone int
	lastAt   time.Time
}

// Update logs when enough rows or time went by since the last line.
func (p *LogProgress) Update(s Stats) {
	if p.lastAt.IsZero() {
		p.lastAt = s.Now
	}
	rate := p.meter.rate(s)
	if s.Done()-p.lastDone < p.Every && s.Now.Sub(p.lastAt) < p.Interval {
		return
	}
	if s.Done() == p.lastDone {
		return // nothing new to say: a row is taking long
	}
	p.lastDone, p.lastAt = s.Done(), s.Now
	attrs := []any{"done", s.Done(), "total", s.Total, "imported", s.Imported, "skipped", s.Skipped,
		"rejected", s.Rejected, "rows_per_second", math.Round(rate*10) / 10}
	if left := s.Total - s.Done(); rate > 0 && left > 0 {
		attrs = append(attrs, "eta", time.Duration(float64(left)/rate*float64(time.Second)).Round(time.Second).String())
	}
	p.Logger.Info("import progress", attrs...)
}

// Finish does nothing: the summary follows.
func (p *LogProgress) Finish(Stats) {}

// WriteSummary writes the final report in Vietnamese: counts, duration,
// rate and the rejection reasons. rejectsPath, when not empty, is where
// the rejected rows were written.
func (s *Summary) WriteSummary(w io.Writer, rejectsPath string) error {
	var b strings.Builder
	el := s.Elapsed()
	fmt.Fprintf(&b, "Kết quả nhập: đã xử lý %d/%d dòng trong %s", s.Done(), s.Total, longDuration(el))
	if el > 0 && s.Done() > 0 {
		fmt.Fprintf(&b, " (%s dòng/giây)", formatRate(float64(s.Done())/el.Seconds()))
	}
	b.WriteString(".\n")
	fmt.Fprintf(&b, "  Đã nhập vào kho:            %d\n", s.Imported)
	fmt.Fprintf(&b, "  Đã có trong kho, bỏ qua:    %d\n", s.Skipped)
	fmt.Fprintf(&b, "  Bị từ chối:                 %d\n", s.Rejected)
	if left := s.Total - s.Done(); left > 0 {
		fmt.Fprintf(&b, "  Chưa xử lý:                 %d\n", left)
	}
	if len(s.Reasons) > 0 {
		b.WriteString("Lý do từ chối:\n")
		for _, r := range s.Reasons {
			fmt.Fprintf(&b, "  %s (%d dòng), ví dụ: %s\n", r.Reason, r.Count, r.Message)
		}
	}
	if rejectsPath != "" && s.Rejected > 0 {
		fmt.Fprintf(&b, "Danh sách dòng bị từ chối: %s\n", rejectsPath)
	}
	if s.Done() < s.Total {
		b.WriteString("Việc nhập chưa xong. Chạy lại đúng lệnh này để nhập tiếp: các dòng đã nhập được bỏ qua mà không kiểm tra lại chữ ký.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// decimal formats f with n decimals and a decimal comma, as Vietnamese
// writes numbers.
func decimal(f float64, n int) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', n, 64), ".", ",", 1)
}

// formatRate shows whole numbers from 10 up, one decimal below.
func formatRate(r float64) string {
	if r >= 10 {
		return strconv.Itoa(int(math.Round(r)))
	}
	return decimal(r, 1)
}

// approxDuration is a rough time left: "45 giây", "3 phút", "2 giờ 5 phút".
func approxDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		s := max(5, int(math.Ceil(d.Seconds()/5))*5)
		if s >= 60 {
			return "1 phút"
		}
		return fmt.Sprintf("%d giây", s)
	case d < time.Hour:
		return fmt.Sprintf("%d phút", int(math.Round(d.Minutes())))
	}
	h := int(d.Hours())
	m := int(math.Round((d - time.Duration(h)*time.Hour).Minutes()))
	if m == 60 {
		h, m = h+1, 0
	}
	if m == 0 {
		return fmt.Sprintf("%d giờ", h)
	}
	return fmt.Sprintf("%d giờ %d phút", h, m)
}

// longDuration is an elapsed time: "0,35 giây", "12,4 giây", "3 phút 20 giây", "1 giờ 5 phút".
func longDuration(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return decimal(d.Seconds(), 2) + " giây"
	case d < time.Minute:
		return decimal(d.Seconds(), 1) + " giây"
	case d < time.Hour:
		d = d.Round(time.Second)
		return fmt.Sprintf("%d phút %d giây", int(d.Minutes()), int(d.Seconds())%60)
	}
	d = d.Round(time.Minute)
	return fmt.Sprintf("%d giờ %d phút", int(d.Hours()), int(d.Minutes())%60)
}
