// Package importer loads a folder of signed result PDFs, described by a
// CSV manifest, into their owners' warehouses (`motcua import`). It is how
// a province fills the warehouses with past results on its first day.
//
// The database is the journal: every row goes through
// service.Warehouse.PushResult, which is idempotent on the result code,
// so an interrupted import is finished by running it again.
package importer

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// Manifest column names.
const (
	ColFile           = "file"
	ColOwnerID        = "owner_id"
	ColOwnerName      = "owner_name"
	ColCategory       = "category"
	ColResultCode     = "result_code"
	ColDecisionNumber = "decision_number"
	ColSummary        = "summary"
	ColIssuingAgency  = "issuing_agency"
	ColIssueDate      = "issue_date"
)

// requiredColumns must be in the header; decision_number and summary may
// be left out.
var requiredColumns = []string{ColFile, ColOwnerID, ColOwnerName, ColCategory, ColResultCode, ColIssuingAgency, ColIssueDate}

// knownColumns is every column the manifest may have. An unknown column
// is refused rather than ignored: a misspelt "sumary" would otherwise
// silently drop the summary of every imported document, and agency
// documents cannot be edited afterwards.
var knownColumns = []string{ColFile, ColOwnerID, ColOwnerName, ColCategory, ColResultCode, ColDecisionNumber,
	ColSummary, ColIssuingAgency, ColIssueDate}

// Row is one manifest record, its values trimmed of surrounding spaces.
type Row struct {
	// Line is where the record starts in the manifest (the header is line
	// 1); rejects are reported by it.
	Line           int
	File           string // path relative to the import folder, '/' separated
	OwnerID        string
	OwnerName      string
	Category       string
	ResultCode     string
	DecisionNumber string
	Summary        string
	IssuingAgency  string
	IssueDate      string

	// problem is a defect found while reading the manifest (a wrong
	// number of fields, a result code repeated from an earlier row); the
	// row is rejected with it without further checks.
	problem *Rejection
}

// Rejection is why a row was not imported: a stable machine code and a
// Vietnamese message.
type Rejection struct {
	Reason  string
	Message string
}

// ManifestError is a manifest that cannot be read at all: a bad header, a
// CSV syntax error or text that is not UTF-8. Nothing is imported.
type ManifestError struct {
	Line int // 0 when not about one line
	Msg  string
}

func (e *ManifestError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("manifest line %d: %s", e.Line, e.Msg)
	}
	return "manifest: " + e.Msg
}

// ReadManifest reads a whole manifest: UTF-8 CSV, an optional byte-order
// mark, a header row naming the columns in any order. Problems with the
// file as a whole are a *ManifestError; problems with one row are kept
// on the row and reported when it is imported, so that one bad row does
// not stop the others.
func ReadManifest(r io.Reader) ([]Row, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // a ragged row is one rejected row, not a broken manifest
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &ManifestError{Msg: "the file is empty; the first line must name the columns (" + strings.Join(knownColumns, ",") + ")"}
	}
	if err != nil {
		return nil, csvError(err)
	}
	index, err := headerIndex(header)
	if err != nil {
		return nil, err
	}
	var rows []Row
	firstLine := map[string]int{} // result code → first line using it
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		for _, v := range rec {
			if !utf8.ValidString(v) {
				return nil, &ManifestError{Line: line, Msg: "text is not UTF-8; save the manifest as \"CSV UTF-8\""}
			}
		}
		row := Row{Line: line}
		if len(rec) != len(header) {
			row.problem = &Rejection{Reason: "invalid_row", Message: fmt.Sprintf(
				"Dòng có %d cột trong khi dòng tiêu đề có %d cột.", len(rec), len(header))}
			rows = append(rows, row)
			continue
		}
		get := func(col string) string {
			if i, ok := index[col]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row.File, row.OwnerID, row.OwnerName = get(ColFile), get(ColOwnerID), get(ColOwnerName)
		row.Category, row.ResultCode, row.DecisionNumber = get(ColCategory), get(ColResultCode), get(ColDecisionNumber)
		row.Summary, row.IssuingAgency, row.IssueDate = get(ColSummary), get(ColIssuingAgency), get(ColIssueDate)
		// A repeated code would make the outcome depend on which worker
		// ran first; the first row wins, deterministically.
		if row.ResultCode != "" {
			if first, dup := firstLine[row.ResultCode]; dup {
				row.problem = &Rejection{Reason: "duplicate_result_code", Message: fmt.Sprintf(
					"Mã kết quả %s trùng với dòng %d của tệp danh sách.", row.ResultCode, first)}
			} else {
				firstLine[row.ResultCode] = line
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func headerIndex(header []string) (map[string]int, error) {
	index := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(knownColumns, name) {
			return nil, &ManifestError{Line: 1, Msg: fmt.Sprintf("unknown column %q; the columns are %s", h, strings.Join(knownColumns, ","))}
		}
		if _, dup := index[name]; dup {
			return nil, &ManifestError{Line: 1, Msg: fmt.Sprintf("column %q appears twice", name)}
		}
		index[name] = i
	}
	var missing []string
	for _, c := range requiredColumns {
		if _, ok := index[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, &ManifestError{Line: 1, Msg: fmt.Sprintf("missing column(s) %s; the header must name %s (decision_number and summary are optional)",
			strings.Join(missing, ","), strings.Join(requiredColumns, ","))}
	}
	return index, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ManifestError{Line: pe.Line, Msg: pe.Err.Error()}
	}
	return &ManifestError{Msg: err.Error()}
}
