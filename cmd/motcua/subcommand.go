package main

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// subcommand is one verb of a command group ("audit verify").
type subcommand struct {
	name string
	run  func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// runGroup dispatches args[0] among a group's subcommands: no verb prints
// the usage and is a usage error, help prints the usage, an unknown verb
// is a usage error naming the known ones.
func runGroup(ctx context.Context, group, usage string, subs []subcommand, args []string, stdout, stderr io.Writer) error {
	names := make([]string, len(subs))
	for i, s := range subs {
		names[i] = s.name
	}
	known := strings.Join(names, " or ")
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{group + " needs a subcommand: " + known}
	}
	for _, s := range subs {
		if s.name == args[0] {
			return s.run(ctx, args[1:], stdout, stderr)
		}
	}
	switch args[0] {
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown %s subcommand %q (%s)", group, args[0], known)}
}
