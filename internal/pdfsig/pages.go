package pdfsig

import (
	"errors"
	"fmt"
	"time"
)

// ErrUnreadablePDF is returned by PageCount for input that is not a PDF
// it can read: broken structure, encryption, no page tree.
var ErrUnreadablePDF = errors.New("pdfsig: unreadable PDF")

// PageCount returns the number of pages of a PDF (the /Count of its page
// tree's root), reading hostile input within the verifier's default
// budgets. Errors wrap ErrUnreadablePDF.
func PageCount(data []byte) (int, error) {
	if len(data) > DefaultMaxSize*8 {
		return 0, fmt.Errorf("%w: too large", ErrUnreadablePDF)
	}
	b := &budget{maxOps: int64(DefaultMaxObjects) * 64, maxDepth: DefaultMaxDepth, maxDecoded: 4*int64(len(data)) + 16<<20,
		deadline: time.Now().Add(DefaultTimeBudget), now: time.Now}
	doc, err := openDocument(data, b, DefaultMaxObjects)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrUnreadablePDF, err)
	}
	if _, enc := doc.trailer["Encrypt"]; enc {
		return 0, fmt.Errorf("%w: encrypted", ErrUnreadablePDF)
	}
	root := doc.dict(doc.trailer["Root"])
	if root == nil {
		return 0, fmt.Errorf("%w: no catalog", ErrUnreadablePDF)
	}
	pages := doc.dict(root["Pages"])
	if pages == nil {
		return 0, fmt.Errorf("%w: no page tree", ErrUnreadablePDF)
	}
	n, ok := pages.int("Count")
	if !ok || n < 1 || n > 1<<20 {
		return 0, fmt.Errorf("%w: page count %d", ErrUnreadablePDF, n)
	}
	return int(n), nil
}
