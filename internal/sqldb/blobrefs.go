package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/motcua/motcua"
)

// blobRefColumns are the columns holding a blob's SHA-256 as plain text.
var blobRefColumns = []string{
	"SELECT file_sha256 FROM documents",
	"SELECT file_sha256 FROM document_versions",
}

// blobRefJSONColumns are the JSON columns whose values may name blobs,
// under keys ending in "sha256" (a motcua.File's "sha256", a component's
// "form_template_sha256"), at any depth.
var blobRefJSONColumns = []string{
	"SELECT components FROM dossiers",
	"SELECT result FROM dossiers WHERE result <> ''",
	"SELECT data FROM dossier_drafts",
	"SELECT components FROM procedures",
	"SELECT data FROM procedure_versions",
}

// ReferencedBlobs implements motcua.BlobReferenceStore. The JSON is read
// in Go rather than with each database's JSON functions, so that a hash
// nested anywhere in a stored value is found on both backends alike; a
// value that only looks like a reference keeps a blob, which is the safe
// side for garbage collection.
func (s *Store) ReferencedBlobs(ctx context.Context) (map[string]bool, error) {
	refs := map[string]bool{}
	for _, q := range blobRefColumns {
		err := s.eachValue(ctx, q, func(v []byte) error {
			if isBlobHash(string(v)) {
				refs[string(v)] = true
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for _, q := range blobRefJSONColumns {
		err := s.eachValue(ctx, q, func(v []byte) error {
			var doc any
			if err := json.Unmarshal(v, &doc); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
			collectBlobRefs(doc, "", refs)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return refs, nil
}

func (s *Store) eachValue(ctx context.Context, q string, fn func([]byte) error) error {
	rows, err := s.query(ctx, q)
	if err != nil {
		return motcua.Internal(fmt.Errorf("referenced blobs: %w", err))
	}
	defer rows.Close()
	for rows.Next() {
		var v []byte
		if err := rows.Scan(&v); err != nil {
			return motcua.Internal(fmt.Errorf("referenced blobs: %w", err))
		}
		if err := fn(v); err != nil {
			return motcua.Internal(fmt.Errorf("referenced blobs: %w", err))
		}
	}
	if err := rows.Err(); err != nil {
		return motcua.Internal(fmt.Errorf("referenced blobs: %w", err))
	}
	return nil
}

func collectBlobRefs(v any, key string, refs map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			collectBlobRefs(x, k, refs)
		}
	case []any:
		for _, x := range v {
			collectBlobRefs(x, key, refs)
		}
	case string:
		if strings.HasSuffix(strings.ToLower(key), "sha256") && isBlobHash(v) {
			refs[v] = true
		}
	}
}

func isBlobHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
