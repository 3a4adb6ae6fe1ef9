package catalogue

import (
	"context"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/motcua/motcua"
)

// MaxTemplateSize bounds a blank form's file (mẫu đơn, tờ khai).
const MaxTemplateSize = 20 << 20

// TemplateExtensions are the file types a blank form may have: word
// processor and spreadsheet documents and PDF. Anything else (a web page,
// a program) is refused, since the public pages serve these files to
// everyone.
var TemplateExtensions = []string{".doc", ".docx", ".odt", ".rtf", ".pdf", ".xls", ".xlsx", ".ods"}

// CheckTemplateName checks a component's form_template: a plain relative
// file name (no "..", no absolute path) of an accepted type. The reasons
// are the import's (English), see CatalogueReasonVI for the Vietnamese.
func CheckTemplateName(name string) error {
	clean := path.Clean(strings.ReplaceAll(name, `\`, "/"))
	if name == "" || path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || strings.ContainsAny(name, "\x00:") {
		return fmt.Errorf("unsafe file name %q", name)
	}
	if ext := strings.ToLower(path.Ext(clean)); !slices.Contains(TemplateExtensions, ext) {
		return fmt.Errorf("file type %q is not accepted for a form (%s)", ext, strings.Join(TemplateExtensions, ", "))
	}
	return nil
}

// PutTemplate stores a blank form's content in the blob store and
// returns its SHA-256 (hex), the component's form_template_sha256.
func PutTemplate(ctx context.Context, blobs motcua.BlobStore, r io.Reader) (string, error) {
	ref, err := blobs.Put(ctx, r, MaxTemplateSize)
	if err != nil {
		return "", err
	}
	return ref.SHA256, nil
}
