package apitest

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

var registerDecoders sync.Once

// registerBodyDecoders adds to kin-openapi's global table what motcua's
// document needs: multipart forms with a part per component, and text
// bodies of types the library does not know (a PEM certificate is
// application/x-pem-file with a string schema).
func registerBodyDecoders() {
	registerDecoders.Do(func() {
		openapi3filter.RegisterBodyDecoder("multipart/form-data", multipartDecoder)
		openapi3filter.RegisterBodyDecoder("*/*", textDecoder)
	})
}

// textDecoder reads a body of any other media type as the string its
// schema says it is; a non-string schema stays unsupported.
func textDecoder(body io.Reader, header http.Header, schema *openapi3.SchemaRef, encFn openapi3filter.EncodingFn) (any, error) {
	if schema == nil || schema.Value == nil || !schema.Value.Type.Is("string") {
		return nil, fmt.Errorf("unsupported content type %q", header.Get("Content-Type"))
	}
	return openapi3filter.PlainBodyDecoder(body, header, schema, encFn)
}

// multipartDecoder decodes a multipart/form-data body whose schema
// names its parts with additionalProperties (motcua's forms carry one
// part per component, named by the component's id). kin-openapi's own
// decoder looks such a part up among the additionalProperties schema's
// properties and fails with "part X: undefined"; here each part the
// schema does not name is given the additionalProperties schema before
// the library's decoder runs, and the value is validated against the
// original schema afterwards as usual.
func multipartDecoder(body io.Reader, header http.Header, schema *openapi3.SchemaRef, encFn openapi3filter.EncodingFn) (any, error) {
	s := schema.Value
	if s == nil || s.AdditionalProperties.Schema == nil {
		return openapi3filter.MultipartBodyDecoder(body, header, schema, encFn)
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	_, params, err := mime.ParseMediaType(header.Get("Content-Type"))
	if err != nil {
		return nil, err
	}
	widened := *s
	widened.Properties = openapi3.Schemas{}
	for k, v := range s.Properties {
		widened.Properties[k] = v
	}
	mr := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if name := p.FormName(); widened.Properties[name] == nil {
			widened.Properties[name] = s.AdditionalProperties.Schema
		}
		p.Close()
	}
	return openapi3filter.MultipartBodyDecoder(bytes.NewReader(raw), header, &openapi3.SchemaRef{Value: &widened}, encFn)
}
