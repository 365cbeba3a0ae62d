// Command assay tests claims about immigration and crime against official
// U.S. data. This package only wires the packages that do the work to the
// command line.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes: 0 ok, 1 the work failed, 2 the command line was wrong.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// usageError marks a mistake in how assay was called, as opposed to a
// failure of the work itself.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "assay",
		Short: "Test claims about immigration and crime against official U.S. data",
		Long: `assay ingests official FBI and Census files into an audited metro-year
panel, reproduces published analyses, and tests their claims.

Without --db, commands use the data snapshot embedded in the binary.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(commands()...)
	wireArgs(root)
	return root
}

// commands lists every subcommand; each lives in its own file.
func commands() []*cobra.Command {
	return []*cobra.Command{
		newIngestCmd(), newSQLCmd(), newExportCmd(), newMetrosCmd(),
		newStatsCmd(), newStudyCmd(), newReproduceCmd(), newClaimsCmd(),
		newInspectCmd(newInspectTable6Cmd(), newInspectCensusCmd()),
		newFetchCmd(newFetchCensusCmd()), newReportCmd(),
	}
}

// wireArgs makes argument-count mistakes usage errors everywhere in the tree.
func wireArgs(c *cobra.Command) {
	if c.Args != nil {
		check := c.Args
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				return usageError{err}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		wireArgs(sub)
	}
}

func main() {
	os.Exit(run(os.Args[1:]))
}

// Where run writes; tests swap them to read what a command printed.
// Commands write to cmd.OutOrStdout() and cmd.ErrOrStderr().
var stdout, stderr io.Writer = os.Stdout, os.Stderr

func run(args []string) int {
	root := newRoot()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "assay:", err)
	var ue usageError
	if errors.As(err, &ue) || isUnknownCommand(err) {
		fmt.Fprintln(stderr, "Run 'assay --help' for usage.")
		return exitUsage
	}
	return exitError
}

// isUnknownCommand recognises cobra's own error for an unknown subcommand,
// which it does not type.
func isUnknownCommand(err error) bool {
	const prefix = "unknown command"
	s := err.Error()
	return len(s) >= len(prefix) && s[:len(prefix)] == prefix
}
