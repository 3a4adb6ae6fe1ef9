package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/service"
)

const officerUsage = `Usage: motcua officer add [options]

  add --username U --name "Họ và tên" --agency CODE --role admin [--role …]
      [--password-file FILE]
                              create an officer account of agency CODE (it
                              must exist: import the catalogue first). This
                              is how the first administrator of a new
                              installation is made; later accounts are made
                              on the admin pages. The password is read from
                              FILE's first line ("-": standard input), or
                              generated and printed. The second-factor (TOTP)
                              secret is printed once, with its otpauth:// URI
                              for an authenticator app. The audit log names
                              the operating-system user who ran it.
`

func runOfficer(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runGroup(ctx, "officer", officerUsage, []subcommand{{"add", runOfficerAdd}}, args, stdout, stderr)
}

// roleList collects repeated --role flags.
type roleList []motcua.Role

func (r *roleList) String() string { return fmt.Sprint(*r) }

func (r *roleList) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*r = append(*r, motcua.Role(s))
		}
	}
	return nil
}

func runOfficerAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg commonConfig
	fs := newFlagSet("officer add", "Create an officer account (the first administrator of a new installation).", stderr)
	cfg.register(fs)
	var n service.NewOfficer
	fs.StringVar(&n.Username, "username", "", "login name of the account")
	fs.StringVar(&n.Name, "name", "", "the officer's full name, as printed on receipts")
	fs.StringVar(&n.AgencyCode, "agency", "", "code of the officer's agency")
	var roles roleList
	fs.Var(&roles, "role", "a role (reception, processing, leader, certification, monitor, admin); repeat or separate with commas")
	passwordFile := fs.String("password-file", "", "read the password from the first line of `FILE` (\"-\": standard input) instead of generating one")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if n.Username == "" || n.Name == "" || n.AgencyCode == "" || len(roles) == 0 {
		return usageError{"officer add needs --username, --name, --agency and at least one --role"}
	}
	n.Roles = roles
	generated := *passwordFile == ""
	if generated {
		n.Password = rand.Text()
	} else {
		pw, err := readPasswordFile(*passwordFile)
		if err != nil {
			return err
		}
		n.Password = pw
	}
	store, where, err := cfg.openMigratedStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	operator := "cli"
	if u, err := user.Current(); err == nil {
		operator = "cli:" + u.Username
	}
	o, secret, err := service.NewOfficers(store, service.PasswordParams{}).CreateByOperator(ctx, operator, n)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: officer %s (%s) of %s created, roles %v\n", where, o.Username, o.Name, o.AgencyCode, o.Roles)
	if generated {
		fmt.Fprintf(stdout, "password: %s\n", n.Password)
	}
	fmt.Fprintf(stdout, "TOTP secret: %s\n%s\n", secret, service.TOTPURI(o.Username, secret))
	return nil
}

// readPasswordFile returns the first line of path ("-": standard input).
func readPasswordFile(path string) (string, error) {
	f := os.Stdin
	if path != "-" {
		var err error
		if f, err = os.Open(path); err != nil {
			return "", err
		}
		defer f.Close()
	}
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("--password-file: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
