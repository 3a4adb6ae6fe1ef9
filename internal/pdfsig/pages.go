package pdfsig

import (
	"context"
	"fmt"
)

// PageCount returns the number of pages of a PDF (the /Count of its page
// tree's root), reading hostile input within DefaultLimits. A file it
// counts passes CheckSignable too. Errors are *InputError and wrap
// ErrUnreadablePDF.
func PageCount(data []byte) (int, error) {
	lim := DefaultLimits()
	if int64(len(data)) > lim.MaxSize {
		return 0, &InputError{Reason: ReasonTooLarge, Detail: fmt.Sprintf("file has %d bytes, limit is %d", len(data), lim.MaxSize)}
	}
	t, err := prepareSign(context.Background(), data, lim)
	if err != nil {
		return 0, err
	}
	pages, err := t.doc.dictErr(t.root["Pages"])
	if err != nil || pages == nil {
		return 0, inputError(err, "no page tree")
	}
	n, ok := pages.int("Count")
	if !ok || n < 1 || n > 1<<20 {
		return 0, inputError(nil, "page count %d", n)
	}
	return int(n), nil
}
