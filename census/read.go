package census

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/csvgrid"
	"github.com/assaylab/assay/internal/filekind"
)

// Format is a published layout of ACS data.
type Format string

const (
	// FormatAPIJSON is a Census Data API response: a JSON array of arrays,
	// header first, geography columns last.
	FormatAPIJSON Format = "api_json"
	// FormatAPICSV is an API response saved as CSV, with E/EA/M/MA columns
	// (the ncnw_national/raw S0201 files).
	FormatAPICSV Format = "api_csv"
	// FormatDataCensus is a data.census.gov CSV download: a row of variable
	// ids, then a row of labels, then data.
	FormatDataCensus Format = "data_census_csv"
	// FormatAFF is an American FactFinder CSV download (GEO.id, GEO.id2,
	// GEO.display-label, HD01_VDnn estimates, HD02_VDnn MOEs, a label row).
	FormatAFF Format = "aff_csv"
	// FormatCountyNativity is the Los Angeles Times Data Desk county
	// nativity extract (geoid,name,total,native,foreign_born,county,state).
	FormatCountyNativity Format = "county_nativity_csv"
)

// Options says what a file holds where the file does not say it itself.
// Zero fields are taken from the file name where it follows a known
// pattern (acs-acs1-spp-2012-GROUP_S0201_DATA.csv, ACSDT1Y2017.B05006-Data.csv,
// ACS_12_1YR_B05006_with_ann.csv, acs1_2012_B05006_cbsa.json).
type Options struct {
	Table   string // "B05006"
	Year    int    // ACS year (last year of a multi-year period)
	Product string // "acs1", "acs5"

	// Labels resolves variable ids to labels. When nil, Legend is read; when
	// that is empty too, a legend beside the file is looked for
	// (<name>_LEGEND.csv beside <name>_DATA.csv; <prefix>_variables.json
	// beside <prefix>_<geo>.json). Files with their own label row
	// (data.census.gov, FactFinder) need none.
	Labels *Labels
	Legend string

	// Source names the file in records, audit entries and errors (ingest
	// passes the path relative to the data directory); ReadFile defaults it
	// to the path it was given.
	Source string

	// Select lists the labels of the variables to read; the others'
	// cells are not read at all. Empty reads every variable.
	Select []string
}

// Result is one file read.
type Result struct {
	Source  assay.Source
	Format  Format
	Table   string
	Year    int
	Product string
	Labels  *Labels // the label index the values were labelled with
	Geos    []assay.GeoValues
	Audit   []assay.AuditEntry
}

// Synthetic reports whether any row carries the SYNTHETIC marker.
func (r *Result) Synthetic() bool {
	for i := range r.Geos {
		if r.Geos[i].Synthetic {
			return true
		}
	}
	return false
}

// SyntheticPrefix starts the NAME of every row the test generator makes.
const SyntheticPrefix = "SYNTHETIC "

// ReadFile reads one ACS data file of any supported format.
func ReadFile(path string, opt Options) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if opt.Labels == nil && opt.Legend == "" {
		opt.Legend = siblingLegend(path)
	}
	if opt.Source == "" {
		opt.Source = path
	}
	return Read(f, opt.Source, opt)
}

// Read reads ACS data from r; name is used for messages and to take the
// table, year and product from a conventional file name.
func Read(r io.Reader, name string, opt Options) (*Result, error) {
	h := sha256.New()
	text, err := csvgrid.ReadText(r, h)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var sum [sha256.Size]byte
	return parse(text, h.Sum(sum[:0]), name, opt)
}

// ReadDir reads every ACS data file in dir (legends are used, not read as
// data), in name order. A non-empty opt.Source names the directory in
// records ("acs"), so each file is opt.Source/NAME wherever dir lies.
func ReadDir(dir string, opt Options) ([]*Result, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []*Result
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || isLegendName(name) || !(strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".csv")) {
			continue
		}
		o := opt
		if opt.Source != "" {
			o.Source = path.Join(opt.Source, name)
		}
		if o.Labels == nil && o.Legend == "" {
			o.Legend = siblingLegend(filepath.Join(dir, name))
		}
		r, err := ReadFile(filepath.Join(dir, name), o)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func isLegendName(name string) bool {
	return strings.HasSuffix(name, "_LEGEND.csv") || strings.HasSuffix(name, "_variables.json")
}

// siblingLegend returns the conventional legend file beside a data file,
// or "" when there is none.
func siblingLegend(path string) string {
	var cand string
	switch {
	case strings.HasSuffix(path, "_DATA.csv"):
		cand = strings.TrimSuffix(path, "_DATA.csv") + "_LEGEND.csv"
	case strings.HasSuffix(path, ".json"):
		stem := strings.TrimSuffix(path, ".json")
		if i := strings.LastIndexByte(stem, '_'); i > 0 {
			cand = stem[:i] + "_variables.json"
		}
	}
	if cand == "" || cand == path {
		return ""
	}
	if _, err := os.Stat(cand); err != nil {
		return ""
	}
	return cand
}

var namePatterns = []struct {
	re                   *regexp.Regexp
	product, year, table int // submatch indexes; table 0: not in the name
	twoDigitYear         bool
}{
	{re: regexp.MustCompile(`acs-(acs[135])-[a-z]+-(\d{4})-GROUP_([A-Z][A-Z0-9]*)_`), product: 1, year: 2, table: 3},
	{re: regexp.MustCompile(`ACS(?:DT|ST|DP|SPP|CP)([135])Y(\d{4})\.([A-Z][A-Z0-9]*)`), product: 1, year: 2, table: 3},
	{re: regexp.MustCompile(`ACS_(\d{2})_([135])YR_([A-Z][A-Z0-9]*)`), product: 2, year: 1, table: 3, twoDigitYear: true},
	{re: regexp.MustCompile(`(acs[135])_(\d{4})_([A-Z][A-Z0-9]*)_`), product: 1, year: 2, table: 3},
	{re: regexp.MustCompile(`(acs[135])_(\d{4})_`), product: 1, year: 2},
}

// FromName fills zero fields of opt (table, year, product) from a
// conventional file name, as the readers do.
func FromName(name string, opt Options) Options {
	base := filepath.Base(name)
	for _, p := range namePatterns {
		m := p.re.FindStringSubmatch(base)
		if m == nil {
			continue
		}
		if opt.Product == "" {
			opt.Product, _ = NormalizeProduct(m[p.product])
		}
		if opt.Year == 0 {
			y, _ := strconv.Atoi(m[p.year])
			if p.twoDigitYear {
				y += 2000
			}
			opt.Year = y
		}
		if opt.Table == "" && p.table > 0 {
			opt.Table = m[p.table]
		}
		break
	}
	return opt
}

func parse(text string, sum []byte, name string, opt Options) (*Result, error) {
	opt = FromName(name, opt)
	if p, ok := NormalizeProduct(opt.Product); ok {
		opt.Product = p
	}
	if filekind.IsUTF16([]byte(text[:min(len(text), 4)])) {
		return nil, fmt.Errorf("%s: %w", name, filekind.ErrUTF16)
	}
	format, err := sniff(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	res := &Result{
		Format:  format,
		Table:   opt.Table,
		Year:    opt.Year,
		Product: opt.Product,
		Source: assay.Source{Path: name, SHA256: hex.EncodeToString(sum),
			Publisher: "U.S. Census Bureau", Kind: "acs_" + string(format), Year: opt.Year},
	}
	if format == FormatAPIJSON {
		rows, err := jsonRows([]byte(text))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		next := func(int) ([]string, int, error) {
			if len(rows) == 0 {
				return nil, 0, io.EOF
			}
			r := rows[0]
			rows = rows[1:]
			return r, len(r), nil
		}
		if err := res.rows(next, opt); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return res, nil
	}
	start := *res
	if !utf8.ValidString(text) {
		// FactFinder downloads were Windows-1252 ("Do\xf1a Ana County").
		start.flag(0, "latin1", "file is not UTF-8; read as Windows-1252")
		text = csvgrid.Latin1(text)
	}
	text = strings.TrimPrefix(text, "\ufeff")
	// A row is a line but for the header's and quoted line breaks: room
	// for every geography from the start.
	start.Geos = make([]assay.GeoValues, 0, strings.Count(text, "\n"))
	err = csvgrid.Lenient(text, func(cr *csvgrid.Reader, lenient *csv.ParseError) error {
		// A second run drops the first's rows and audit, keeping only what
		// was noted before the rows were read (latin1).
		*res = start
		res.Audit = slices.Clone(start.Audit)
		if lenient != nil {
			res.flag(0, csvgrid.ReasonLenientQuotes, csvgrid.LenientDetail(lenient))
		}
		return res.rows(cr.ReadPrefix, opt)
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return res, nil
}

// rows reads the header (and label row), then every data row from next,
// which returns a row's first n cells (all when n < 0) and how many it
// has, or io.EOF after the last; a row's slice may be reused.
func (res *Result) rows(next func(n int) ([]string, int, error), opt Options) error {
	header, _, err := next(-1)
	if err == io.EOF {
		return errors.New("no header row")
	}
	if err != nil {
		return err
	}
	t := newTable(res.Format, header)
	n := 1
	if res.Format == FormatDataCensus || res.Format == FormatAFF {
		labels, _, err := next(-1)
		if err == io.EOF {
			return errors.New("no label row")
		}
		if err != nil {
			return err
		}
		t.labelRow(labels)
		n++
	}
	if err := t.check(); err != nil {
		return fmt.Errorf("row 1: %w", err)
	}
	if res.Table == "" {
		res.Table = t.table()
	}
	if err := res.attachLabels(t, opt); err != nil {
		return err
	}
	for i := 1; i <= n; i++ {
		res.skip(i, "header", "header row")
	}
	if i := len(t.ignored); i > 0 {
		res.flag(0, "ignored_columns", fmt.Sprintf("%d columns not read: %s", i, strings.Join(t.ignored, ", ")))
	}
	need := t.need()
	for {
		rec, total, err := next(need)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		n++
		t.row(res, n, rec, total)
	}
	res.Source.RowsRead = n
	res.Source.RowsSkipped = res.Source.RowsRead - res.Source.RowsLoaded
	return nil
}

func (r *Result) skip(row int, reason, detail string) {
	r.Audit = append(r.Audit, assay.AuditEntry{Source: r.Source.Path, Row: row, Action: assay.Skipped, Reason: reason, Detail: detail})
}

func (r *Result) flag(row int, reason, detail string) {
	r.Audit = append(r.Audit, assay.AuditEntry{Source: r.Source.Path, Row: row, Action: assay.Flagged, Reason: reason, Detail: detail})
}

// attachLabels chooses the label index: the file's own label row, else the
// caller's index, else the legend file.
func (r *Result) attachLabels(t *table, opt Options) error {
	switch {
	case t.fileLabels != nil:
		r.Labels = t.fileLabels
		r.Labels.Table, r.Labels.Year, r.Labels.Product = r.Table, r.Year, r.Product
	case opt.Labels != nil:
		r.Labels = opt.Labels
	case opt.Legend != "":
		l, err := ReadLegendFile(opt.Legend, r.Table, r.Year, r.Product)
		if err != nil {
			return err
		}
		r.Labels = l
	default:
		r.flag(0, "no_labels", "no label row, legend or label index: values carry ids only and cannot be resolved by label")
		r.Labels = NewLabels(r.Table, r.Year, r.Product)
	}
	if r.Table != "" && !t.hasTable(r.Table) {
		return fmt.Errorf("no variables of table %s in the file", r.Table)
	}
	keys := labelKeys(opt.Select)
	t.labels = make([]string, len(t.bases))
	for i, b := range t.bases {
		t.labels[i], _ = r.Labels.Label(b)
		if len(keys) == 0 || slices.ContainsFunc(keys, func(k string) bool { return sameLabel(t.labels[i], k) }) {
			t.keep = append(t.keep, i)
		}
	}
	return nil
}

func sniff(text string) (Format, error) {
	trimmed := strings.TrimLeft(text, " \t\r\n\ufeff")
	if len(trimmed) == 0 {
		return "", errors.New("empty file")
	}
	switch trimmed[0] {
	case '[':
		return FormatAPIJSON, nil
	case '{':
		return "", errors.New("this is a variables JSON legend, not data (pass it as the legend)")
	}
	cr := csvgrid.NewReader(trimmed)
	cr.Lazy = true
	header, err := cr.Read()
	if err != nil {
		return "", fmt.Errorf("row 1: %w", err)
	}
	header = slices.Clone(header)
	second, _ := cr.Read()
	has := map[string]bool{}
	for _, h := range header {
		has[strings.TrimSpace(h)] = true
	}
	switch {
	case has["GEO.id"] || has["GEO.id2"]:
		return FormatAFF, nil
	case header[0] == "VARIABLE" && has["LABEL"]:
		return "", errors.New("this is an API legend (VARIABLE,TYPE,LABEL,GROUP), not data (pass it as the legend)")
	case header[0] == "acs_year" && has["popgroup_code"]:
		return "", errors.New("this is a derived extract of S0201 over many years (one row per year and population group), not an ACS file: inspect census reads the single-year files it was made from (ncnw_national/raw)")
	case header[0] == "acs_year":
		return "", errors.New("this is a variable map, not data (pass it as the legend)")
	case has["geoid"] && has["foreign_born"]:
		return FormatCountyNativity, nil
	}
	variables := false
	for _, h := range header {
		if b, _ := splitVariable(h); b != "" {
			variables = true
			break
		}
	}
	if !has["GEO_ID"] && !has["NAME"] && !variables {
		return "", fmt.Errorf("row 1: not an ACS table (header begins %q)", strings.Join(header[:min(len(header), 4)], ","))
	}
	if len(second) > 0 && (second[0] == "Geography" || second[0] == "id" || slices.Contains(second, "Geographic Area Name")) {
		return FormatDataCensus, nil
	}
	return FormatAPICSV, nil
}

// jsonRows decodes an API response. Cells are strings, numbers or null;
// null becomes "" (an empty cell), and any other JSON value its JSON text,
// which the cell's reader audits.
func jsonRows(data []byte) ([][]string, error) {
	var raw [][]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("invalid or truncated API JSON: %w", err)
	}
	rows := make([][]string, len(raw))
	for i, r := range raw {
		rows[i] = make([]string, len(r))
		for j, c := range r {
			switch c[0] {
			case 'n': // null
			case '"':
				if err := json.Unmarshal(c, &rows[i][j]); err != nil {
					return nil, fmt.Errorf("row %d column %d: %w", i+1, j+1, err)
				}
			case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
				if v, err := strconv.ParseFloat(string(c), 64); err == nil {
					rows[i][j] = strconv.FormatFloat(v, 'f', -1, 64)
					break
				}
				rows[i][j] = string(c) // beyond a double's range (1e999)
			default:
				rows[i][j] = string(c)
			}
		}
	}
	return rows, nil
}

// column roles in a table.
type role int

const (
	roleIgnore role = iota
	roleCensusGeoID
	roleCode
	roleName
	rolePopGroup
	rolePopLabel
	roleGeo
	roleVar
)

// varCols locates one variable's E, M, EA and MA columns (-1: absent).
type varCols struct{ e, m, ea, ma int }

func (v *varCols) set(kind string, i int) {
	switch kind {
	case "E":
		v.e = i
	case "M":
		v.m = i
	case "EA":
		v.ea = i
	case "MA":
		v.ma = i
	}
}

type column struct {
	role role
	name string
	base string // roleVar: variable base id
	kind string // roleVar: "E", "M", "EA", "MA"
}

// table is a header interpreted: which column holds what.
type table struct {
	format     Format
	cols       []column
	ids        []int    // columns other than variables that a row reads (geography, name, population group)
	bases      []string // variable bases in header order
	labels     []string // their labels, set once the label index is chosen
	keep       []int    // the indexes in bases of the variables read (Options.Select)
	byBase     map[string]*varCols
	geoCols    []int
	ignored    []string
	fileLabels *Labels
}

// apiGeoLevels names the API geography columns the readers turn into a
// level; any other lower-case column is a geography too, kept under its own
// name.
var apiGeoLevels = map[string]string{
	"us":     "us",
	"state":  "state",
	"county": "county",
	"metropolitan statistical area/micropolitan statistical area": "cbsa",
}

// summaryLevels maps the first three digits of a GEO_ID to a level.
var summaryLevels = map[string]string{
	"010": "us", "020": "region", "030": "division", "040": "state",
	"050": "county", "310": "cbsa", "330": "csa", "160": "place", "140": "tract",
	"860": "zcta",
}

// countyNativityVars are the columns of the Data Desk extract and the
// B05002 labels they carry.
var countyNativityVars = map[string]string{"total": "Total", "native": "Native", "foreign_born": "Foreign born"}

func newTable(format Format, header []string) *table {
	t := &table{format: format, byBase: map[string]*varCols{}}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		c := column{name: h}
		switch {
		case h == "GEO_ID" || h == "GEO.id":
			c.role = roleCensusGeoID
		case h == "GEO.id2" || (format == FormatCountyNativity && h == "geoid"):
			c.role = roleCode
		case h == "NAME" || h == "GEO.display-label" || (format == FormatCountyNativity && h == "name"):
			c.role = roleName
		case h == "POPGROUP":
			c.role = rolePopGroup
		case h == "POPGROUP_LABEL" || h == "POPGROUP_TTL":
			c.role = rolePopLabel
		case format == FormatCountyNativity && countyNativityVars[h] != "":
			c.role, c.base, c.kind = roleVar, h, "E"
		case format == FormatAFF && affColumn(h) != "":
			c.role, c.kind = roleVar, affColumn(h)
			_, c.base, _ = strings.Cut(h, "_")
		case format == FormatCountyNativity && (h == "county" || h == "state"):
			// repeat geoid's parts
		default:
			if b, k := splitVariable(h); b != "" {
				c.role, c.base, c.kind = roleVar, b, k
			} else if format == FormatAPIJSON || format == FormatAPICSV {
				if h != "" && h == strings.ToLower(h) {
					c.role = roleGeo
				}
			}
		}
		switch c.role {
		case roleIgnore:
			if h != "" {
				t.ignored = append(t.ignored, h)
			}
		case roleGeo:
			t.geoCols = append(t.geoCols, i)
			t.ids = append(t.ids, i)
		case roleCensusGeoID, roleCode, roleName, rolePopGroup, rolePopLabel:
			t.ids = append(t.ids, i)
		case roleVar:
			if t.byBase[c.base] == nil {
				t.byBase[c.base] = &varCols{-1, -1, -1, -1}
				t.bases = append(t.bases, c.base)
			}
			t.byBase[c.base].set(c.kind, i)
		}
		t.cols = append(t.cols, c)
	}
	if format == FormatCountyNativity {
		t.fileLabels = NewLabels("B05002", 0, "")
		for _, b := range t.bases {
			t.fileLabels.Add(b, countyNativityVars[b])
		}
	}
	return t
}

// affColumn says whether a FactFinder column is an estimate (HD01) or a
// margin of error (HD02).
func affColumn(h string) string {
	switch {
	case strings.HasPrefix(h, "HD01_VD"):
		return "E"
	case strings.HasPrefix(h, "HD02_VD"):
		return "M"
	}
	return ""
}

func (t *table) check() error {
	if len(t.bases) == 0 {
		return errors.New("no estimate or margin-of-error columns")
	}
	for _, c := range t.cols {
		if c.role == roleCensusGeoID || c.role == roleCode {
			return nil
		}
	}
	if len(t.geoCols) == 0 {
		return errors.New("no geography id column (GEO_ID, GEO.id2 or an API geography column)")
	}
	return nil
}

// labelRow reads the second header row of data.census.gov and FactFinder
// downloads into the file's own label index.
func (t *table) labelRow(labels []string) {
	t.fileLabels = NewLabels("", 0, "")
	for i, c := range t.cols {
		if c.role == roleVar && i < len(labels) {
			t.fileLabels.Add(c.base, labels[i])
		}
	}
}

// table returns the table id all variables share, or "" for a mix.
func (t *table) table() string {
	if t.format == FormatCountyNativity {
		return "B05002"
	}
	var id string
	for _, b := range t.bases {
		tid, _, ok := strings.Cut(b, "_")
		if !ok || !isTableID(tid) || (id != "" && tid != id) {
			return ""
		}
		id = tid
	}
	return id
}

func (t *table) hasTable(id string) bool {
	if t.format == FormatAFF || t.format == FormatCountyNativity {
		return true // FactFinder ids (HD01_VD01) do not name the table
	}
	for _, b := range t.bases {
		if strings.HasPrefix(b, id+"_") {
			return true
		}
	}
	return false
}

// need is how many of a row's first cells are read: up to the last one
// kept, -1 for all.
func (t *table) need() int {
	if len(t.keep) == len(t.bases) {
		return -1
	}
	n := 0
	for _, i := range t.ids {
		n = max(n, i+1)
	}
	for _, k := range t.keep {
		c := t.byBase[t.bases[k]]
		n = max(n, c.e+1, c.m+1, c.ea+1, c.ma+1)
	}
	return n
}

// row turns one data row into a GeoValues, or audits why it cannot; rec
// holds the cells the table reads of the row's total. The row's strings
// are the file's text: those kept are copied, so that a record does not
// hold the whole file.
func (t *table) row(res *Result, n int, rec []string, total int) {
	if total == 1 && len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
		res.skip(n, "blank", "blank row")
		return
	}
	if total != len(t.cols) {
		res.skip(n, "bad_row", fmt.Sprintf("%d fields, header has %d", total, len(t.cols)))
		return
	}
	g := assay.GeoValues{Source: res.Source.Path, Row: n}
	var geoParts []string
	var geoLevel string
	for _, i := range t.ids {
		c := t.cols[i]
		v := strings.Clone(strings.TrimSpace(rec[i]))
		switch c.role {
		case roleCensusGeoID:
			g.CensusGeoID = v
		case roleCode:
			g.GeoID = v
		case roleName:
			g.Name = v
		case rolePopGroup:
			g.PopGroup = v
		case rolePopLabel:
			g.PopGroupLabel = v
		case roleGeo:
			geoParts = append(geoParts, v)
			geoLevel = c.name
		}
	}
	switch {
	case len(geoParts) > 0:
		g.GeoID = strings.Join(geoParts, "")
		g.Level = apiGeoLevels[geoLevel]
		if g.Level == "" {
			g.Level = geoLevel
		}
	case g.CensusGeoID != "":
		sl, code, _ := strings.Cut(g.CensusGeoID, "US")
		if g.GeoID == "" {
			g.GeoID = code
		}
		if len(sl) >= 3 {
			g.Level = summaryLevels[sl[:3]]
		}
		if g.Level == "us" && g.GeoID == "" {
			g.GeoID = "1"
		}
	}
	if t.format == FormatCountyNativity {
		g.Level = "county"
		switch {
		case g.GeoID == "" || isFIPS(g.GeoID):
		case len(g.GeoID) == 4 && isFIPS("0"+g.GeoID):
			// A spreadsheet's round trip drops the leading zero (Alabama's 01).
			res.flag(n, "fips_padded", fmt.Sprintf("geoid %q: a county code without its leading zero; read as 0%s", g.GeoID, g.GeoID))
			g.GeoID = "0" + g.GeoID
		default:
			res.skip(n, "unreadable_fips", fmt.Sprintf("geoid %q is no five-digit county code: the county cannot be placed", g.GeoID))
			return
		}
	}
	if g.GeoID == "" {
		res.skip(n, "no_geo_id", "row has no geography id")
		return
	}
	g.Synthetic = strings.HasPrefix(g.Name, SyntheticPrefix)
	g.Values = make([]assay.ACSValue, len(t.keep))
	for k, i := range t.keep {
		b := t.bases[i]
		g.Values[k] = assay.ACSValue{Variable: b, Label: t.labels[i], Estimate: t.estimate(res, n, rec, b)}
	}
	res.Geos = append(res.Geos, g)
	res.Source.RowsLoaded++
}

// estimate reads a variable's E, M, EA and MA cells. An annotation column
// that carries a code overrides the number beside it. A cell that is no
// number or code, or a negative number that is no code (no estimate or
// margin of error is below zero), is audited and left null as invalid.
func (t *table) estimate(res *Result, n int, rec []string, base string) assay.Estimate {
	cols := t.byBase[base]
	var e assay.Estimate
	cell := func(i int) (assay.Num, string) {
		if i < 0 {
			return assay.Null, assay.AnnotNotPublished
		}
		v, code, err := parseCell(rec[i])
		switch {
		case err != nil:
			res.flag(n, "bad_value", fmt.Sprintf("column %s: %v", t.cols[i].name, err))
		case v.Valid && v.V < 0:
			res.flag(n, "negative_value", fmt.Sprintf("column %s: %v is below zero and no Census annotation; left null", t.cols[i].name, v))
			return assay.Null, assay.AnnotInvalid
		}
		return v, code
	}
	note := func(i int) string {
		if i < 0 {
			return ""
		}
		code, err := annotationCell(rec[i])
		if err != nil {
			res.flag(n, "bad_annotation", fmt.Sprintf("column %s: %v", t.cols[i].name, err))
		}
		return code
	}
	e.Value, e.Annotation = cell(cols.e)
	if code := note(cols.ea); code != "" {
		e.Value, e.Annotation = assay.Null, code
	}
	e.MOE, e.MOEAnnotation = cell(cols.m)
	if code := note(cols.ma); code != "" {
		e.MOE, e.MOEAnnotation = assay.Null, code
	}
	return e
}

// Lookup returns the value of a geography whose label is label (compared
// as label paths; the readers store labels in canonical form).
func Lookup(g *assay.GeoValues, label string) (assay.ACSValue, bool) {
	return lookupKey(g, labelKey(CanonicalLabel(label)))
}

// lookupKey is Lookup by a label's match key, for callers that look up
// one label in many geographies.
func lookupKey(g *assay.GeoValues, k string) (assay.ACSValue, bool) {
	for _, v := range g.Values {
		if sameLabel(v.Label, k) {
			return v, true
		}
	}
	return assay.ACSValue{}, false
}

// Join indexes geographies by GeoID (and PopGroup, for iterated tables).
func Join(geos []assay.GeoValues) map[string]*assay.GeoValues {
	m := make(map[string]*assay.GeoValues, len(geos))
	for i := range geos {
		m[joinKey(&geos[i])] = &geos[i]
	}
	return m
}

func joinKey(g *assay.GeoValues) string {
	if g.PopGroup != "" {
		return g.GeoID + "/" + g.PopGroup
	}
	return g.GeoID
}
