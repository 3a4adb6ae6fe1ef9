package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

// Store is what the importer reads directly; the writes go through the
// warehouse.
type Store interface {
	// GetAgency returns ENOTFOUND for an unknown code.
	GetAgency(ctx context.Context, code string) (*motcua.Agency, error)
	// GetDocumentByCode returns ENOTFOUND for an unknown code.
	GetDocumentByCode(ctx context.Context, code string) (*motcua.Document, error)
}

// Status is what became of a row.
type Status int

const (
	Imported Status = iota + 1 // stored now
	Skipped                    // already in the warehouse with the same file
	Rejected                   // refused; Outcome.Rejection says why
)

// Outcome is the result of one row.
type Outcome struct {
	Row    Row
	Status Status
	Rejection
	DocumentID string // for Imported and Skipped
}

// Options configure Run.
type Options struct {
	// Dir is the import folder; manifest paths are relative to it and may
	// not leave it.
	Dir       string
	Rows      []Row
	Store     Store
	Warehouse *service.Warehouse
	// Workers verify and store rows in parallel (default 2).
	Workers int
	// Rejects, when not nil, receives each rejected row in manifest order.
	Rejects *RejectsWriter
	// Progress, when not nil, is told after each row (in manifest order)
	// and once at the end.
	Progress Progress
	// OnRow, when not nil, is called after each row is counted, in
	// manifest order, from the goroutine that called Run. Tests use it to
	// interrupt an import at a known point.
	OnRow func(Outcome)
	Now   func() time.Time
}

// Stats counts the rows so far.
type Stats struct {
	Total    int
	Imported int
	Skipped  int
	Rejected int
	Started  time.Time
	Now      time.Time
}

// Done is the number of rows dealt with.
func (s Stats) Done() int { return s.Imported + s.Skipped + s.Rejected }

// Elapsed is the time since the import started.
func (s Stats) Elapsed() time.Duration { return s.Now.Sub(s.Started) }

// Progress shows an import's progress.
type Progress interface {
	Update(Stats)
	Finish(Stats)
}

// Summary is the result of a run.
type Summary struct {
	Stats
	// Interrupted is set when the context was cancelled before every row
	// was dealt with.
	Interrupted bool
	// Reasons counts the rejected rows by reason, with the first message
	// seen for each.
	Reasons []ReasonCount
}

// ReasonCount is how many rows were rejected for one reason.
type ReasonCount struct {
	Rejection
	Count int
}

// Run imports opts.Rows. Rows already in the warehouse with the same file
// are skipped without verifying the file again, so a run interrupted in
// any way is finished by running it again.
//
// Cancelling ctx stops handing out rows; the rows being verified finish
// and are counted. The returned error is for failures that are not one
// row's fault (the database is unreachable, the disk is full): the run
// stops as after a cancellation and the rows not dealt with are left for
// the next run. The summary is returned in every case.
func Run(ctx context.Context, opts Options) (*Summary, error) {
	if opts.Workers < 1 {
		opts.Workers = 2
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	root, err := os.OpenRoot(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("open import folder: %w", err)
	}
	defer root.Close()
	im := &importer{opts: opts, root: root, agencies: map[string]bool{}}

	sum := &Summary{Stats: Stats{Total: len(opts.Rows), Started: opts.Now()}}
	sum.Now = sum.Started
	if opts.Progress != nil {
		opts.Progress.Update(sum.Stats)
	}

	// Rows are handed out until ctx is cancelled or a failure stops the
	// run; the rows already handed out finish on a context that is not
	// cancelled, so that no row is cut off half-way.
	dispatch, stopDispatch := context.WithCancel(ctx)
	defer stopDispatch()
	work := context.WithoutCancel(ctx)
	type result struct {
		i      int
		out    Outcome
		err    error
		notRun bool // handed out as the run stopped; left for the next run
	}
	jobs := make(chan int)
	results := make(chan result, opts.Workers)
	go func() {
		defer close(jobs)
		for i := range opts.Rows {
			if dispatch.Err() != nil {
				return
			}
			select {
			case jobs <- i:
			case <-dispatch.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Go(func() {
			for i := range jobs {
				// The dispatcher's select may hand out one more row
				// after a cancellation; it is not started.
				if dispatch.Err() != nil {
					results <- result{i: i, notRun: true}
					continue
				}
				out, err := im.importRow(work, opts.Rows[i])
				results <- result{i: i, out: out, err: err}
			}
		})
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	// Outcomes arrive in any order and are reported in manifest order.
	var fatal error
	pending := map[int]result{}
	next := 0
	reasons := map[string]int{} // reason → index in sum.Reasons
	for r := range results {
		pending[r.i] = r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if r.notRun {
				continue
			}
			if r.err != nil {
				if fatal == nil {
					fatal = fmt.Errorf("manifest line %d (%s): %w", r.out.Row.Line, r.out.Row.File, r.err)
					stopDispatch()
				}
				continue
			}
			switch r.out.Status {
			case Imported:
				sum.Imported++
			case Skipped:
				sum.Skipped++
			case Rejected:
				sum.Rejected++
				if k, ok := reasons[r.out.Reason]; ok {
					sum.Reasons[k].Count++
				} else {
					reasons[r.out.Reason] = len(sum.Reasons)
					sum.Reasons = append(sum.Reasons, ReasonCount{Rejection: r.out.Rejection, Count: 1})
				}
				if opts.Rejects != nil {
					if err := opts.Rejects.Write(r.out); err != nil && fatal == nil {
						fatal = err
						stopDispatch()
					}
				}
			}
			sum.Now = opts.Now()
			if opts.Progress != nil {
				opts.Progress.Update(sum.Stats)
			}
			if opts.OnRow != nil {
				opts.OnRow(r.out)
			}
		}
	}
	sum.Now = opts.Now()
	sum.Interrupted = fatal == nil && sum.Done() < sum.Total
	if opts.Progress != nil {
		opts.Progress.Finish(sum.Stats)
	}
	return sum, fatal
}

type importer struct {
	opts Options
	root *os.Root

	mu       sync.Mutex
	agencies map[string]bool // code → exists; a manifest names few agencies many times
}

func reject(r Row, reason, message string) (Outcome, error) {
	return Outcome{Row: r, Status: Rejected, Rejection: Rejection{Reason: reason, Message: message}}, nil
}

// importRow deals with one row. An error is returned only for a failure
// that is not the row's fault; everything else is an outcome.
func (im *importer) importRow(ctx context.Context, r Row) (Outcome, error) {
	if r.problem != nil {
		return reject(r, r.problem.Reason, r.problem.Message)
	}
	for _, f := range []struct{ col, value string }{
		{ColFile, r.File}, {ColOwnerID, r.OwnerID}, {ColOwnerName, r.OwnerName}, {ColCategory, r.Category},
		{ColResultCode, r.ResultCode}, {ColIssuingAgency, r.IssuingAgency}, {ColIssueDate, r.IssueDate},
	} {
		if f.value == "" {
			return reject(r, "missing_value", fmt.Sprintf("Thiếu giá trị ở cột %s.", f.col))
		}
	}
	code, err := motcua.ParseResultCode(r.ResultCode)
	if err != nil {
		return reject(r, motcua.ErrorCode(err), motcua.ErrorMessage(err))
	}
	if code.Owner != r.OwnerID {
		return reject(r, "owner_mismatch", fmt.Sprintf(
			"Mã chủ thể trong mã kết quả (%s) khác với số định danh ở cột owner_id (%s).", code.Owner, r.OwnerID))
	}
	if code.Category != r.Category {
		return reject(r, "category_mismatch", fmt.Sprintf(
			"Mã danh mục trong mã kết quả (%s) khác với mã ở cột category (%s).", code.Category, r.Category))
	}
	issued, err := motcua.ParseDate(r.IssueDate)
	if err != nil {
		return reject(r, "invalid_issue_date", fmt.Sprintf(
			"Ngày cấp %q không hợp lệ; ghi theo dạng dd/mm/yyyy hoặc yyyy-mm-dd.", r.IssueDate))
	}
	if err := motcua.ValidateIssueDate(issued, motcua.DateOf(im.opts.Now())); err != nil {
		return reject(r, motcua.ErrorCode(err), motcua.ErrorMessage(err))
	}
	if ok, err := im.agencyExists(ctx, r.IssuingAgency); err != nil {
		return Outcome{Row: r}, err
	} else if !ok {
		return reject(r, "unknown_agency", fmt.Sprintf(
			"Cơ quan cấp có mã %s không có trong danh mục cơ quan của hệ thống.", r.IssuingAgency))
	}
	up, problem := im.readFile(r)
	if problem != nil {
		return reject(r, problem.Reason, problem.Message)
	}

	// The cheap check first: a row imported by an earlier run is
	// recognised by its code and file hash, without verifying the
	// signatures again.
	if existing, err := im.opts.Store.GetDocumentByCode(ctx, code.String()); err == nil {
		sum := sha256.Sum256(up.Data)
		switch {
		case existing.File.SHA256 != hex.EncodeToString(sum[:]):
			return reject(r, "result_code_exists", fmt.Sprintf(
				"Mã kết quả %s đã có trong kho với một tệp tin khác.", code))
		case existing.IssuerCode == "":
			return reject(r, "result_code_exists", fmt.Sprintf(
				"Mã kết quả %s đã được dùng cho một giấy tờ do chủ hồ sơ tự tải lên.", code))
		case existing.IssuerCode != r.IssuingAgency:
			return reject(r, "result_code_exists", fmt.Sprintf(
				"Mã kết quả %s đã có trong kho, do cơ quan có mã %s cấp.", code, existing.IssuerCode))
		}
		return Outcome{Row: r, Status: Skipped, DocumentID: existing.ID}, nil
	} else if !motcua.IsKind(err, motcua.ENOTFOUND) {
		return Outcome{Row: r}, err
	}

	d, created, _, err := im.opts.Warehouse.ImportResult(ctx, r.IssuingAgency, service.AgencyResult{Code: code.String(),
		OwnerName: r.OwnerName, DecisionNumber: r.DecisionNumber, Summary: r.Summary, IssuedOn: issued, File: up})
	if err != nil {
		if rowFault(err) {
			return reject(r, motcua.ErrorCode(err), motcua.ErrorMessage(err))
		}
		return Outcome{Row: r}, err
	}
	if !created {
		return Outcome{Row: r, Status: Skipped, DocumentID: d.ID}, nil
	}
	return Outcome{Row: r, Status: Imported, DocumentID: d.ID}, nil
}

// rowFault reports whether err is about the row (a refused file, a code
// taken, an unknown category) rather than the system.
func rowFault(err error) bool {
	switch motcua.ErrorKind(err) {
	case motcua.EINTERNAL, motcua.ESCHEMA, motcua.EUNAVAILABLE:
		return false
	}
	return true
}

func (im *importer) agencyExists(ctx context.Context, code string) (bool, error) {
	im.mu.Lock()
	known, ok := im.agencies[code]
	im.mu.Unlock()
	if ok {
		return known, nil
	}
	_, err := im.opts.Store.GetAgency(ctx, code)
	if err != nil && !motcua.IsKind(err, motcua.ENOTFOUND) {
		return false, err
	}
	im.mu.Lock()
	im.agencies[code] = err == nil
	im.mu.Unlock()
	return err == nil, nil
}

// readFile reads the row's file from inside the import folder, or says
// why it cannot.
func (im *importer) readFile(r Row) (service.Upload, *Rejection) {
	name := filepath.FromSlash(r.File)
	outside := &Rejection{Reason: "file_outside_folder", Message: fmt.Sprintf(
		"Đường dẫn tệp %q phải nằm trong thư mục nhập (không dùng đường dẫn tuyệt đối, \"..\" hay liên kết ra ngoài thư mục).", r.File)}
	if !filepath.IsLocal(name) {
		return service.Upload{}, outside
	}
	// os.Root also refuses a symbolic link that leads out of the folder.
	f, err := im.root.Open(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return service.Upload{}, &Rejection{Reason: "file_not_found", Message: fmt.Sprintf("Không tìm thấy tệp %s trong thư mục nhập.", r.File)}
	case isPathEscape(err):
		return service.Upload{}, outside
	case errors.Is(err, fs.ErrPermission):
		return service.Upload{}, &Rejection{Reason: "file_unreadable", Message: fmt.Sprintf("Không có quyền đọc tệp %s.", r.File)}
	case err != nil:
		return service.Upload{}, &Rejection{Reason: "file_unreadable", Message: fmt.Sprintf("Không mở được tệp %s.", r.File)}
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && !st.Mode().IsRegular() {
		return service.Upload{}, &Rejection{Reason: "file_not_found", Message: fmt.Sprintf("%s không phải là một tệp tin.", r.File)}
	}
	up, err := im.opts.Warehouse.ReadUpload(filepath.Base(name), f)
	if err != nil {
		return service.Upload{}, &Rejection{Reason: "file_unreadable", Message: fmt.Sprintf("Không đọc được hết tệp %s.", r.File)}
	}
	return up, nil
}

// isPathEscape recognises os.Root's refusal of a path leaving the root;
// the error has no exported value to compare with.
func isPathEscape(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && pe.Err != nil && pe.Err.Error() == "path escapes from parent"
}
