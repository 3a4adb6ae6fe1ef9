package api

import "bytes"

// OpenAPIDocument is the API's OpenAPI document, as served at
// /api/v1/openapi.json.
func OpenAPIDocument() []byte { return bytes.Clone(openAPI) }
