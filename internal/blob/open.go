package blob

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// OpenURL opens the blob store a --blob-url names: file:///path (a local
// folder), s3://BUCKET/PREFIX?… (see ParseS3URL), or "" for the folder
// defaultDir.
func OpenURL(ctx context.Context, raw, defaultDir string) (Store, error) {
	switch {
	case raw == "":
		return OpenFS(defaultDir)
	case strings.HasPrefix(raw, "file://"):
		u, err := url.Parse(raw)
		if err != nil || (u.Host != "" && u.Host != "localhost") || u.Path == "" {
			return nil, fmt.Errorf("blob URL %q: want file:///absolute/path", raw)
		}
		return OpenFS(filepath.FromSlash(u.Path))
	case strings.HasPrefix(raw, "s3://"):
		return OpenS3(ctx, raw)
	}
	return nil, fmt.Errorf("blob URL %q: want file:///path or s3://BUCKET/PREFIX", raw)
}
