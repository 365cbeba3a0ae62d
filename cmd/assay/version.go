package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/assaylab/assay/internal/version"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print assay's version and the revision it was built from",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "assay", version.String())
		},
	}
}
