package main

import (
	"fmt"
	"net"

	"github.com/spf13/cobra"

	"github.com/assaylab/assay/dashboard"
)

func newServeCmd() *cobra.Command {
	var (
		addr, dbPath string
		seed         uint64
		perm         int
	)
	c := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080] [--db PATH]",
		Short: "Serve the findings as a dashboard in the browser, offline, on this machine",
		Long: `serve runs the dashboard: the claims ledger with the evidence for each, maps,
a metro explorer, a scatter explorer that reruns a study on the server as you
change it (assay study computes the same), the multiverse, and every
warehouse table as CSV or Parquet, with a JSON API under /api/ (its index
lists every endpoint and parameter). Everything is in the binary: no network
is needed.

It listens on 127.0.0.1 (this machine only) unless --addr says otherwise,
prints its address, and stops on Ctrl-C, letting requests in flight finish.
The dashboard is read-only and runs no SQL built from a request.`,
		Example: `  assay serve
  assay serve --addr 127.0.0.1:9000 --db assay.duckdb`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkPerm(perm); err != nil {
				return err
			}
			if _, _, err := net.SplitHostPort(addr); err != nil {
				return usagef("--addr %q: want HOST:PORT, e.g. 127.0.0.1:8080", addr)
			}
			ctx := cmd.Context()
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			defer ln.Close()
			ds, err := loadDataset(ctx, dbPath)
			if err != nil {
				return err
			}
			db, err := openStore(dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			srv, err := dashboard.New(dashboard.Options{Data: ds, DB: db, DBPath: dbPath, Seed: seed, Perm: perm})
			if err != nil {
				return err
			}
			defer srv.Close()
			fmt.Fprintf(cmd.OutOrStdout(), "assay dashboard at http://%s/ (Ctrl-C stops it)\n", ln.Addr())
			return dashboard.Serve(ctx, ln, srv)
		},
	}
	f := c.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on, HOST:PORT (127.0.0.1: this machine only)")
	f.StringVar(&dbPath, "db", "", "warehouse file (default: the embedded snapshot)")
	f.IntVar(&perm, "perm", defaultPerm, "permutations per correlation in the claims ledger (0: analytic p-values only)")
	f.Uint64Var(&seed, "seed", 1, "seed for every permutation test and bootstrap of the findings")
	return c
}
