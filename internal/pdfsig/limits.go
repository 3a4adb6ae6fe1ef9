package pdfsig

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Limits bounds the work done on one PDF by every entry point that parses
// one: Verify, Sign, AddDocumentTimestamp, CheckSignable and PageCount. A
// file that exceeds a limit is refused with an error wrapping
// ErrTooComplex (a report with ReasonTooLarge from the verifier), quickly
// and without allocating more than the limits allow. The zero value of a
// field means its default.
type Limits struct {
	// MaxSize is the largest file accepted, in bytes (default 20 MiB).
	MaxSize int64
	// MaxStreamBytes bounds the decoded size of any one stream (default
	// 16 MiB). Only cross-reference streams, object streams and the
	// document security store are ever decoded.
	MaxStreamBytes int64
	// MaxDecodedBytes bounds the decoded bytes of all streams read while
	// processing one file, across every revision inspected (default 64 MiB).
	MaxDecodedBytes int64
	// MaxObjects bounds cross-reference entries per revision; parsing
	// steps are bounded by 64 times as many (default 500 000).
	MaxObjects int
	// MaxDepth bounds the nesting of arrays and dictionaries (default 100).
	MaxDepth int
	// TimeBudget bounds the wall-clock time spent on one file, hashing
	// and signature checks included (default 800 ms). Fetching revocation
	// data is not counted: each fetch has its own timeout.
	TimeBudget time.Duration
}

// Defaults for Limits.
const (
	DefaultMaxSize         = 20 << 20
	DefaultMaxStreamBytes  = 16 << 20
	DefaultMaxDecodedBytes = 64 << 20
	DefaultMaxObjects      = 500_000
	DefaultMaxDepth        = 100
	DefaultTimeBudget      = 800 * time.Millisecond
)

// DefaultLimits returns the limits every entry point uses unless told
// otherwise.
func DefaultLimits() Limits { return Limits{}.withDefaults() }

func (l Limits) withDefaults() Limits {
	if l.MaxSize <= 0 {
		l.MaxSize = DefaultMaxSize
	}
	if l.MaxStreamBytes <= 0 {
		l.MaxStreamBytes = DefaultMaxStreamBytes
	}
	if l.MaxDecodedBytes <= 0 {
		l.MaxDecodedBytes = DefaultMaxDecodedBytes
	}
	if l.MaxObjects <= 0 {
		l.MaxObjects = DefaultMaxObjects
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.TimeBudget <= 0 {
		l.TimeBudget = DefaultTimeBudget
	}
	return l
}

// budget starts the work budget for one file, ending at the time budget or
// ctx's deadline, whichever comes first.
func (l Limits) budget(ctx context.Context) *budget {
	l = l.withDefaults()
	b := &budget{
		maxOps:     int64(l.MaxObjects) * 64,
		maxDepth:   l.MaxDepth,
		maxStream:  l.MaxStreamBytes,
		maxDecoded: l.MaxDecodedBytes,
		deadline:   time.Now().Add(l.TimeBudget),
		now:        time.Now,
	}
	if ctx != nil {
		if dl, ok := ctx.Deadline(); ok {
			b.hardDeadline = dl
			if dl.Before(b.deadline) {
				b.deadline = dl
			}
		}
		b.done = ctx.Done()
	}
	return b
}

// ErrTooComplex is wrapped by errors for a PDF that exceeds a Limit:
// too large, too many objects, nested too deep, decompressing to too
// much data, or taking too long to read.
var ErrTooComplex = errors.New("pdfsig: PDF exceeds the processing limits")

// ErrUnreadablePDF is wrapped by errors for input that is not a PDF this
// package can read: broken structure, encryption, no page tree. Errors
// wrapping ErrTooComplex wrap it too.
var ErrUnreadablePDF = errors.New("pdfsig: unreadable PDF")

// InputError is the error for a PDF that cannot be processed because of
// what it contains (never because of an I/O or signing failure). Reason is
// the stable code to show: ReasonTooLarge when a limit was exceeded,
// ReasonEncrypted for an encrypted file, ReasonNotPDF otherwise.
type InputError struct {
	Reason Reason
	Detail string // technical, English, for logs
	err    error
}

func (e *InputError) Error() string { return "pdfsig: " + e.Detail }

// Unwrap lets errors.Is find ErrUnreadablePDF, ErrTooComplex and the cause.
func (e *InputError) Unwrap() []error {
	errs := []error{ErrUnreadablePDF}
	if e.Reason == ReasonTooLarge {
		errs = append(errs, ErrTooComplex)
	}
	if e.err != nil {
		errs = append(errs, e.err)
	}
	return errs
}

// inputError classifies a parse failure of hostile or broken input.
func inputError(err error, format string, args ...any) *InputError {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie
	}
	detail := fmt.Sprintf(format, args...)
	if err != nil {
		detail += ": " + err.Error()
	}
	r := ReasonNotPDF
	if errors.Is(err, errBudget) {
		r = ReasonTooLarge
	}
	return &InputError{Reason: r, Detail: detail, err: err}
}

// InputReason returns the reason code for err when it is an InputError
// (the PDF itself cannot be processed), and false otherwise.
func InputReason(err error) (Reason, bool) {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie.Reason, true
	}
	return "", false
}
