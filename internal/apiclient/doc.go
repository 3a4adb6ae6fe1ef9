// Package apiclient is a Go client of motcua's /api/v1 generated from
// internal/api/openapi.json by oapi-codegen (the version pinned by the
// tool directive in go.mod). Only tests use it: driving an integrator's
// flow through it proves the document enough to build a working client.
// After changing the document, regenerate with `go generate
// ./internal/apiclient`; TestGeneratedClientIsCurrent fails until then.
package apiclient

//go:generate go tool oapi-codegen -config oapi-codegen.yaml -o client.gen.go ../api/openapi.json
