package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/assaylab/assay/census"
	"github.com/assaylab/assay/duckdb"
	"github.com/assaylab/assay/ingest"
	"github.com/assaylab/assay/internal/outpath"
	"github.com/assaylab/assay/internal/progress"
)

// newFetchCmd is the parent of the fetch commands, which download official
// data into files that assay's readers and ingest take.
func newFetchCmd(subs ...*cobra.Command) *cobra.Command {
	return newParentCmd("fetch", "Download official data into files assay reads", subs...)
}

// censusKeyEnv names the environment variable holding the API key.
const censusKeyEnv = "CENSUS_API_KEY"

func newFetchCensusCmd() *cobra.Command {
	var (
		table, years, geo, product string
		out, cacheDir, baseURL     string
		labels                     []string
		noCache                    bool
		dbPath, dataDir            string
		timeout                    time.Duration
	)
	c := &cobra.Command{
		Use:   "census",
		Short: "Fetch an ACS table from the Census Data API",
		Long: `Fetches an ACS table for each year from the Census Data API and writes, per
year, the response as an API-shaped JSON file and the table's variables
beside it: <product>_<year>_<table>_<geo>.json and
<product>_<year>_<table>_variables.json in --out. assay inspect census and
assay ingest --census read them.

Variables are chosen by label in each year's own variable list, never by a
fixed id (B05006 ids move between years). When the table is B05006 (place of
birth of the foreign-born), B01003 (total population) is fetched too: shares
of the population need it, and B05006_001 is the foreign-born total, not the
population.

The key is read from CENSUS_API_KEY (sign up at
https://api.census.gov/data/key_signup.html); it is never written to disk.
Responses are cached by URL (key removed) in --cache; a second fetch is
served from there. Progress goes to stderr.

Each request has --timeout to answer in full. Timeouts, HTTP 429 (after its
Retry-After, up to a minute) and 5xx answers are tried twice more, with waits
of 1s and 2s; an unknown host, a refused connection or a key problem fails at
once, saying which.

1-year (acs1) estimates exist only for areas of 65,000 people or more, and
the 2020 1-year standard tables were not released. ACS 2012 CBSAs follow the
December 2009 delineation, ACS 2013 on the February 2013 one.

With --db, the warehouse is then rebuilt from the raw data (--data) and the
--out folder, as assay ingest --census does.

For the Northern Triangle reproduction:
  assay fetch census --table B05006 --years 2012,2017 --geo cbsa --product acs1 --out acs --db assay.duckdb
  assay reproduce blanchard2019 --db assay.duckdb`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if table == "" || years == "" {
				return usagef("--table and --years are required")
			}
			ys, err := parseYears(years)
			if err != nil {
				return usagef("--years: %v", err)
			}
			if timeout <= 0 || timeout > maxTimeout {
				return usagef("--timeout %s: want more than 0 and at most %s", timeout, maxTimeout)
			}
			reqs := census.Request{Table: strings.ToUpper(table), Years: ys, Geo: geo, Product: product, Labels: labels}.WithDenominator()
			for _, req := range reqs {
				if err := req.Check(); err != nil {
					return usagef("%v", err)
				}
			}
			if err := outpath.Dir(out); err != nil {
				return usagef("--out: %v", err)
			}
			if dbPath != "" {
				if err := duckdb.CheckBuild(cmd.Context(), dbPath, dataDir, out); err != nil {
					return usagef("--db: %v", err)
				}
			}
			key := os.Getenv(censusKeyEnv)
			if key == "" {
				return usagef("%s is not set: the Census API needs a key (https://api.census.gov/data/key_signup.html)", censusKeyEnv)
			}
			if !noCache && cacheDir == "" {
				d, err := os.UserCacheDir()
				if err != nil {
					return fmt.Errorf("no user cache directory (%v): pass --cache DIR or --no-cache", err)
				}
				cacheDir = filepath.Join(d, "assay", "census")
			}
			if noCache {
				cacheDir = ""
			}
			stderr, q := cmd.ErrOrStderr(), quiet(cmd)
			bar := progress.New(stderr, len(reqs)*len(ys), "fetch", q)
			defer bar.Finish()
			// Without a bar (a log, a pipe) a line per step is the progress;
			// a retry is worth a line either way.
			lines := !q && !progress.On(stderr, q)
			client := &census.Client{BaseURL: baseURL, Key: key, CacheDir: cacheDir, Timeout: timeout,
				Progress: func(e census.Event) {
					bar.Describe(describeEvent(e))
					if e.Step == "data" && e.Chunk == e.Chunks {
						bar.Add(1)
					}
					if e.Step == "retry" || lines {
						bar.Clear()
						fmt.Fprintln(stderr, describeEvent(e))
					}
				}}
			for _, req := range reqs {
				resps, err := client.Fetch(cmd.Context(), req)
				if err != nil {
					return err
				}
				for _, r := range resps {
					dataPath, _, err := r.Write(out)
					if err != nil {
						return err
					}
					res, err := census.ReadFile(dataPath, census.Options{})
					if err != nil {
						return fmt.Errorf("reading back %s: %w", dataPath, err)
					}
					fmt.Fprintf(cmd.OutOrStdout(), "%s\t%d geographies\t%d variables\n", dataPath, len(res.Geos), res.Labels.Len())
				}
			}
			if dbPath == "" {
				return nil
			}
			if _, err := buildWarehouse(cmd, ingest.Options{Data: dataDir, Census: []string{out}}, dbPath); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s with the fetched files\n", dbPath)
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&table, "table", "", "ACS table id, e.g. B05006 (required)")
	f.StringVar(&years, "years", "", "years: 2012,2017 or 2012-2017 (required)")
	f.StringVar(&geo, "geo", "cbsa", "geography: cbsa, county, state or us")
	f.StringVar(&product, "product", "acs1", "acs1 (1-year) or acs5 (5-year)")
	f.StringVar(&out, "out", "census-data", "directory to write the files to")
	f.StringVar(&cacheDir, "cache", "", "response cache directory (default: the user cache directory, assay/census)")
	f.BoolVar(&noCache, "no-cache", false, "neither read nor write the response cache")
	f.StringArrayVar(&labels, "label", nil, "fetch only the variable with this label (repeatable), e.g. 'Total!!Americas!!Latin America!!Central America!!El Salvador'")
	f.StringVar(&dbPath, "db", "", "after fetching, rebuild this warehouse with the fetched files (as assay ingest --census OUT)")
	f.StringVar(&dataDir, "data", "", "raw data directory for --db (default: as assay ingest)")
	f.StringVar(&baseURL, "base-url", census.DefaultBaseURL, "Census Data API base URL (for mirrors and tests)")
	f.DurationVar(&timeout, "timeout", census.DefaultTimeout, "time each request has to answer in full (at most "+maxTimeout.String()+")")
	return c
}

// maxTimeout bounds --timeout: a request slower than this is better failed
// and retried later.
const maxTimeout = 10 * time.Minute

// parseYears reads "2012,2017" and "2012-2017".
func parseYears(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil || a < 2005 || a > 2100 {
			return nil, fmt.Errorf("%q is not an ACS year", part)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a || b > 2100 {
				return nil, fmt.Errorf("%q is not a range of years", part)
			}
		}
		for y := a; y <= b; y++ {
			out = append(out, y)
		}
	}
	return out, nil
}

func describeEvent(e census.Event) string {
	head := fmt.Sprintf("fetch %s %d", e.Table, e.Year)
	switch e.Step {
	case "variables":
		if e.Cached {
			return head + ": variables (cached)"
		}
		return head + ": variables"
	case "data":
		s := fmt.Sprintf("%s: data %d/%d", head, e.Chunk, e.Chunks)
		if e.Cached {
			s += " (cached)"
		}
		return s
	case "retry":
		return fmt.Sprintf("%s: %s (attempt %d of %d); retrying in %s", head, e.Cause, e.Attempt, e.Attempts, e.Wait)
	case "cache-mismatch":
		return head + ": cached copy fails its checksum, fetching again"
	}
	return head + ": " + e.Step
}
