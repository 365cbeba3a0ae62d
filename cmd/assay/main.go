// Command assay tests claims about immigration and crime against official
// U.S. data. This package only wires the packages that do the work to the
// command line.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/assaylab/assay/internal/interrupt"
	"github.com/assaylab/assay/internal/progress"
	"github.com/assaylab/assay/internal/version"
	"github.com/assaylab/assay/study"
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
		Version:       version.String(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("assay {{.Version}}\n")
	root.PersistentFlags().BoolP("quiet", "q", false, "draw no progress bar on stderr (none is drawn when stderr is not a terminal anyway)")
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
		newFetchCmd(newFetchCensusCmd()), newReportCmd(), newServeCmd(),
		newVersionCmd(),
	}
}

// quiet reports the global --quiet flag.
func quiet(cmd *cobra.Command) bool {
	q, _ := cmd.Flags().GetBool("quiet")
	return q
}

// withBar returns the command's context carrying a progress reporter for
// the study engine and the papers built on it, drawn on stderr as a bar
// when stderr is a terminal and --quiet is off; call finish when done.
func withBar(cmd *cobra.Command) (ctx context.Context, finish func()) {
	bar := progress.New(cmd.ErrOrStderr(), 0, cmd.Name(), quiet(cmd))
	return study.WithProgress(cmd.Context(), bar.Report(cmd.Name())), bar.Finish
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

// run runs one command line. The first Ctrl-C (or SIGTERM) cancels the
// command's context, so it stops through its error paths and removes its
// temporary files; a second one ends the process at once.
func run(args []string) int {
	ctx, stop := interrupt.Context(context.Background())
	defer stop()
	root := newRoot()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil {
		// The command's own error is then only "context canceled".
		fmt.Fprintln(stderr, "assay: interrupted")
		return exitError
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
