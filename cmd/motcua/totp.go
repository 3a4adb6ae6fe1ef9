package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/service"
)

// runTOTP prints the current second-factor code of a secret, or of a demo
// officer, so that the demo can be tried without an authenticator app.
func runTOTP(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("totp", "Print the current TOTP code of a secret (or of a demo officer).", stderr)
	secret := fs.String("secret", "", "base32 TOTP secret")
	user := fs.String("demo-officer", "", "username of a demo officer, e.g. tiepnhan.thitran")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *user != "" {
		for _, o := range demo.Officers() {
			if o.Username == *user {
				*secret = o.TOTPSecret
			}
		}
		if *secret == "" {
			return usageError{fmt.Sprintf("no demo officer %q", *user)}
		}
	}
	if *secret == "" {
		return usageError{"give --secret or --demo-officer"}
	}
	code, err := service.TOTPCode(*secret, time.Now())
	if err != nil {
		return usageError{err.Error()}
	}
	fmt.Fprintln(stdout, code)
	return nil
}
