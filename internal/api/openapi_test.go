package api

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The contract integrators build on: internal/api/openapi.json describes
// every route, every operation has a stable operationId, a tag, a
// description and its security, and every response a schema.

type oaDoc struct {
	Tags []struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"tags"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Responses map[string]oaResponse `json:"responses"`
	} `json:"components"`
}

type oaOperation struct {
	OperationID string                `json:"operationId"`
	Tags        []string              `json:"tags"`
	Description string                `json:"description"`
	Security    *[]map[string]any     `json:"security"`
	Responses   map[string]oaResponse `json:"responses"`
}

type oaResponse struct {
	Ref     string `json:"$ref"`
	Content map[string]struct {
		Schema json.RawMessage `json:"schema"`
	} `json:"content"`
}

var oaMethods = []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}

// operations reads the document's operations, keyed "METHOD /path".
func operations(t *testing.T) (oaDoc, map[string]oaOperation) {
	t.Helper()
	var doc oaDoc
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	ops := map[string]oaOperation{}
	for path, item := range doc.Paths {
		for method, raw := range item {
			if !slices.Contains(oaMethods, method) {
				continue
			}
			var op oaOperation
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			ops[strings.ToUpper(method)+" "+path] = op
		}
	}
	return doc, ops
}

// schemaless lists the responses of op without a schema: a reference to
// a shared response is checked once in the components; 204 has no body.
func schemaless(doc oaDoc, op oaOperation) []string {
	var out []string
	for code, r := range op.Responses {
		if r.Ref != "" {
			name := strings.TrimPrefix(r.Ref, "#/components/responses/")
			shared, ok := doc.Components.Responses[name]
			if !ok {
				out = append(out, code+" (unknown "+r.Ref+")")
				continue
			}
			r = shared
		}
		if code == "204" {
			if len(r.Content) > 0 {
				out = append(out, code+" (204 with a body)")
			}
			continue
		}
		if len(r.Content) == 0 {
			out = append(out, code)
		}
		for ct, mt := range r.Content {
			if len(mt.Schema) == 0 {
				out = append(out, code+" "+ct)
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestOpenAPIOperationsAreComplete(t *testing.T) {
	doc, ops := operations(t)
	tags := map[string]bool{}
	for _, tag := range doc.Tags {
		if tag.Description == "" {
			t.Errorf("tag %q has no description", tag.Name)
		}
		tags[tag.Name] = true
	}
	camel := regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)
	ids := map[string]string{}
	for key, op := range ops {
		if !camel.MatchString(op.OperationID) {
			t.Errorf("%s: operationId %q is not camelCase", key, op.OperationID)
		} else if other, dup := ids[op.OperationID]; dup {
			t.Errorf("%s and %s share operationId %q", key, other, op.OperationID)
		}
		ids[op.OperationID] = key
		if len(op.Tags) == 0 {
			t.Errorf("%s has no tag", key)
		}
		for _, tag := range op.Tags {
			if !tags[tag] {
				t.Errorf("%s: tag %q is not declared at the top level", key, tag)
			}
		}
		if strings.TrimSpace(op.Description) == "" {
			t.Errorf("%s has no description", key)
		}
		if op.Security == nil {
			t.Errorf("%s declares no security (security: [] for a public operation)", key)
		}
		success := false
		for code := range op.Responses {
			success = success || strings.HasPrefix(code, "2")
		}
		if !success {
			t.Errorf("%s has no success response", key)
		}
		if missing := schemaless(doc, op); len(missing) > 0 {
			t.Errorf("%s: responses without a schema: %v", key, missing)
		}
		// A protected operation says what an anonymous caller gets.
		if op.Security != nil && len(*op.Security) > 0 {
			if _, ok := op.Responses["401"]; !ok {
				t.Errorf("%s is protected but documents no 401", key)
			}
		}
	}
}

// routePattern matches the routes registered with HandleFunc.
var routePattern = regexp.MustCompile(`HandleFunc\("([A-Z]+) (/api/v1/[^"]*)"`)

// shape replaces the path parameters' names, which may differ between
// the Go pattern and the document ({component} and {component_id}).
func shape(route string) string {
	return regexp.MustCompile(`\{[^}]*\}`).ReplaceAllString(route, "{}")
}

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	_, ops := operations(t)
	documented := map[string]bool{}
	for key := range ops {
		documented[shape(key)] = true
	}
	// The document itself is not an operation of the API it describes.
	undocumented := map[string]bool{"GET /api/v1/openapi.json": true}
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	sources := []string{"../web/routes.go"} // GET /api/v1/me is served by the web package
	for _, f := range files {
		if strings.HasSuffix(f.Name(), ".go") && !strings.HasSuffix(f.Name(), "_test.go") {
			sources = append(sources, f.Name())
		}
	}
	routes := map[string]bool{}
	for _, name := range sources {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range routePattern.FindAllStringSubmatch(string(src), -1) {
			route := m[1] + " " + m[2]
			if undocumented[route] {
				continue
			}
			routes[shape(route)] = true
			if !documented[shape(route)] {
				t.Errorf("route %s (%s) is not in openapi.json", route, name)
			}
		}
	}
	if len(routes) < 70 {
		t.Fatalf("found %d routes in the sources; the pattern no longer matches how routes are registered", len(routes))
	}
	for key := range documented {
		if !routes[key] {
			t.Errorf("openapi.json documents %s, which no handler serves", key)
		}
	}
}
