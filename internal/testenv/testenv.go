// Package testenv tells tests whether the outside parts they need (an S3
// server, poppler's tools) are on this machine. A test without them
// skips, unless the variable scripts/test sets (MOTCUA_REQUIRE_S3,
// MOTCUA_REQUIRE_POPPLER) says they are required: then it fails, so that
// CI never passes a check it did not run.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// Var returns the environment variable name; when it is empty the test
// fails if the variable require is set, and skips otherwise. hint tells
// how to get it.
func Var(t testing.TB, require, name, hint string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		missing(t, require, name+" is not set", hint)
	}
	return v
}

// Commands checks that every command in bins is on the PATH, with the
// same skip-or-fail rule as Var.
func Commands(t testing.TB, require, hint string, bins ...string) {
	t.Helper()
	for _, bin := range bins {
		if _, err := exec.LookPath(bin); err != nil {
			missing(t, require, bin+" not found", hint)
		}
	}
}

func missing(t testing.TB, require, what, hint string) {
	t.Helper()
	if os.Getenv(require) != "" {
		t.Fatalf("%s but %s is set: %s", what, require, hint)
	}
	t.Skipf("%s: %s", what, hint)
}
