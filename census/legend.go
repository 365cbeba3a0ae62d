package census

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/csvgrid"
	"github.com/assaylab/assay/internal/filekind"
)

// ReadLegendFile reads a label index from a file of any supported legend
// form: an API variables.json or groups/<table>.json, a saved API legend CSV
// (VARIABLE,TYPE,LABEL,GROUP), or the B05006 variable map by year
// (b05006_variable_map_by_year.csv), which needs year and product to choose
// the year's labels. table filters the variables of multi-table legends
// ("" keeps every table).
func ReadLegendFile(path, table string, year int, product string) (*Labels, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	l, err := ReadLegend(f, table, year, product)
	if err != nil {
		return nil, fmt.Errorf("legend %s: %w", path, err)
	}
	return l, nil
}

// ReadLegend is ReadLegendFile on a reader.
func ReadLegend(r io.Reader, table string, year int, product string) (*Labels, error) {
	lg, err := ParseLegend(r, "", table, year, product)
	if err != nil {
		return nil, err
	}
	if !lg.byYear {
		return lg.Labels[0], nil
	}
	if year == 0 || product == "" {
		return nil, errors.New("the variable map covers many years: give the year and product")
	}
	for _, l := range lg.Labels {
		if l.Year == year && l.Product == product {
			return l, nil
		}
	}
	return nil, fmt.Errorf("the variable map has no %s %d", product, year)
}

// Legend is a legend file read: its label indexes and the account of its
// rows (a variables JSON's entries, in id order). A row is loaded when it
// labels a variable of the table, in its E, M, EA or MA form alike; a row
// that cannot is skipped with a reason, and the rest of the file loads.
type Legend struct {
	// Labels holds one index, or for a variable map one per year and
	// product, in that order.
	Labels []*Labels
	Audit  []assay.AuditEntry
	// RowsRead == RowsLoaded + RowsSkipped.
	RowsRead, RowsLoaded, RowsSkipped int

	byYear bool // a variable map
}

// Audit reason keys of legend rows.
const (
	ReasonOtherTable     = "other_table"     // skipped: a row that labels no variable of the table asked for
	ReasonShortRow       = "short_row"       // skipped: a row with too few fields to hold a label
	ReasonUnreadableYear = "unreadable_year" // skipped: a variable map row whose year is no year
	ReasonUnknownProduct = "unknown_product" // skipped: a variable map row whose product is none of acs1, acs3, acs5
	ReasonBrokenParent   = "broken_parent"   // skipped: a variable map line whose parent links do not reach the table's first line
)

// ParseLegend reads a legend of any form ReadLegendFile takes from r;
// source names it in the audit. A variable map gives every year and
// product; other legends are labelled with year and product.
func ParseLegend(r io.Reader, source, table string, year int, product string) (*Legend, error) {
	text, err := csvgrid.ReadText(r, nil)
	if err != nil {
		return nil, err
	}
	// Otherwise it fails as "not a legend", with a header of NUL bytes.
	if filekind.IsUTF16([]byte(text[:min(len(text), 4)])) {
		return nil, filekind.ErrUTF16
	}
	text = strings.TrimLeft(text, " \t\r\n\ufeff")
	if text == "" {
		return nil, errors.New("empty file")
	}
	lg := &Legend{}
	if text[0] == '{' {
		l, names, err := parseVariables(strings.NewReader(text), table, year, product)
		if err != nil {
			return nil, err
		}
		for i, id := range slices.Sorted(maps.Keys(names)) {
			lg.RowsRead++
			if !names[id] {
				lg.skip(source, i+1, ReasonOtherTable, fmt.Sprintf("%s is no variable of table %s", id, table))
				continue
			}
			lg.RowsLoaded++
		}
		lg.Labels = []*Labels{l}
		return lg, nil
	}
	rows, _, lenient, err := csvgrid.ReadAll(text)
	if err != nil {
		return nil, err
	}
	if lenient != nil {
		lg.Audit = append(lg.Audit, assay.AuditEntry{Source: source, Action: assay.Flagged, Reason: csvgrid.ReasonLenientQuotes,
			Detail: csvgrid.LenientDetail(lenient)})
	}
	header := rows[0]
	lg.RowsRead = len(rows)
	lg.skip(source, 1, "header", "column names")
	switch {
	case len(header) >= 3 && header[0] == "VARIABLE" && header[2] == "LABEL":
		err = lg.legendCSV(source, rows, table, year, product)
	case header[0] == "acs_year":
		lg.byYear = true
		err = lg.variableMap(source, rows)
	default:
		return nil, fmt.Errorf("row 1: not a legend (header %q)", strings.Join(header, ","))
	}
	if err != nil {
		return nil, err
	}
	return lg, nil
}

func (lg *Legend) skip(source string, row int, reason, detail string) {
	lg.RowsSkipped++
	lg.Audit = append(lg.Audit, assay.AuditEntry{Source: source, Row: row, Action: assay.Skipped, Reason: reason, Detail: detail})
}

// legendCSV reads a saved API legend: one row per variable (E, M, EA and
// MA forms alike), label paths in LABEL.
func (lg *Legend) legendCSV(source string, rows [][]string, table string, year int, product string) error {
	l := NewLabels(table, year, product)
	header := rows[0]
	for i, rec := range rows[1:] {
		row := i + 2
		switch {
		case len(rec) < 3:
			lg.skip(source, row, ReasonShortRow, fmt.Sprintf("%d fields, want at least 3", len(rec)))
		case rec[0] == header[0] && rec[2] == header[2]:
			lg.skip(source, row, "header", "the header again")
		case !addIfTable(l, rec[0], rec[2], table):
			lg.skip(source, row, ReasonOtherTable, fmt.Sprintf("%s is no variable of table %s", rec[0], table))
		default:
			lg.RowsLoaded++
		}
	}
	if l.Len() == 0 {
		return fmt.Errorf("no variables of table %q", table)
	}
	lg.Labels = []*Labels{l}
	return nil
}

// addIfTable labels the variable of id with label when it is one of table
// ("" takes any), reporting whether it is.
func addIfTable(l *Labels, id, label, table string) bool {
	// E, M, EA and MA rows repeat one label under different prefixes, so
	// whichever comes first labels the base.
	base, _ := splitVariable(id)
	if base == "" || (table != "" && !strings.HasPrefix(base, table+"_")) {
		return false
	}
	l.Add(base, label)
	return true
}

// ParseVariablesJSON reads the API's variables.json or groups/<table>.json:
// {"variables": {"B05006_001E": {"label": "Estimate!!Total", ...}, ...}}.
func ParseVariablesJSON(r io.Reader, table string, year int, product string) (*Labels, error) {
	l, _, err := parseVariables(r, table, year, product)
	return l, err
}

// parseVariables also returns every variable name the document lists (E,
// M, EA and MA forms), which the client needs to know what it may request,
// each with whether it labelled a variable of table.
func parseVariables(r io.Reader, table string, year int, product string) (*Labels, map[string]bool, error) {
	var doc struct {
		Variables map[string]struct {
			Label string `json:"label"`
		} `json:"variables"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("variables JSON: %w", err)
	}
	l := NewLabels(table, year, product)
	names := map[string]bool{}
	// Map order is random; the API's own order is by id, which is table order.
	for _, id := range slices.Sorted(maps.Keys(doc.Variables)) {
		names[id] = addIfTable(l, id, doc.Variables[id].Label, table)
	}
	if l.Len() == 0 {
		return nil, nil, fmt.Errorf("variables JSON has no variables of table %q", table)
	}
	return l, names, nil
}

// MapKey names one year and product of a multi-year variable map.
type MapKey struct {
	Year    int
	Product string // "acs1", "acs3", "acs5"
}

// ReadVariableMap reads b05006_variable_map_by_year.csv (Census Reporter's
// table metadata reshaped): one label index per ACS year and product, with
// label paths built from each line's parent links, so that they read like
// the API's ("Total!!Americas!!Latin America!!Central America!!Mexico").
func ReadVariableMap(r io.Reader) (map[MapKey]*Labels, error) {
	lg, err := ParseLegend(r, "", "", 0, "")
	if err != nil {
		return nil, fmt.Errorf("variable map: %w", err)
	}
	if !lg.byYear {
		return nil, errors.New("variable map: row 1: not a variable map (no acs_year column first)")
	}
	out := make(map[MapKey]*Labels, len(lg.Labels))
	for _, l := range lg.Labels {
		out[MapKey{l.Year, l.Product}] = l
	}
	return out, nil
}

// variableMap reads the rows of a variable map, header first.
func (lg *Legend) variableMap(source string, rows [][]string) error {
	header := rows[0]
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	need := []string{"acs_year", "acs_product", "table_id", "column_id", "api_variable_estimate", "column_title", "parent_column_id"}
	for _, n := range need {
		if _, ok := col[n]; !ok {
			return fmt.Errorf("variable map: no column %q", n)
		}
	}
	byKey := map[MapKey][]mapLine{}
	for i, rec := range rows[1:] {
		row := i + 2
		if len(rec) != len(header) {
			lg.skip(source, row, ReasonShortRow, fmt.Sprintf("%d fields, want %d", len(rec), len(header)))
			continue
		}
		year, err := strconv.Atoi(rec[col["acs_year"]])
		if err != nil {
			lg.skip(source, row, ReasonUnreadableYear, fmt.Sprintf("acs_year %q is no year", rec[col["acs_year"]]))
			continue
		}
		product, ok := NormalizeProduct(rec[col["acs_product"]])
		if !ok {
			lg.skip(source, row, ReasonUnknownProduct, fmt.Sprintf("acs_product %q is none of acs1, acs3, acs5", rec[col["acs_product"]]))
			continue
		}
		k := MapKey{Year: year, Product: product}
		byKey[k] = append(byKey[k], mapLine{rec[col["column_id"]], rec[col["column_title"]],
			rec[col["parent_column_id"]], rec[col["api_variable_estimate"]], row})
	}
	keys := slices.SortedFunc(maps.Keys(byKey), func(a, b MapKey) int {
		return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.Product, b.Product))
	})
	for _, k := range keys {
		lines := byKey[k]
		title := map[string]mapLine{}
		for _, ln := range lines {
			title[ln.id] = ln
		}
		var l *Labels
		for _, ln := range lines {
			path, err := parentPath(title, ln.id)
			if err != nil {
				lg.skip(source, ln.row, ReasonBrokenParent, fmt.Sprintf("%s %d: %v", k.Product, k.Year, err))
				continue
			}
			if l == nil {
				base, _ := splitVariable(ln.variable)
				table, _, _ := strings.Cut(base, "_")
				l = NewLabels(table, k.Year, k.Product)
			}
			l.Add(ln.variable, path)
			lg.RowsLoaded++
		}
		if l != nil {
			lg.Labels = append(lg.Labels, l)
		}
	}
	if len(lg.Labels) == 0 {
		return errors.New("variable map: no line could be read")
	}
	return nil
}

// mapLine is one line of one year's table in the variable map.
type mapLine struct {
	id, title, parent, variable string
	row                         int
}

// parentPath follows parent links up to the table's first line.
func parentPath(lines map[string]mapLine, id string) (string, error) {
	var parts []string
	for seen := 0; id != ""; seen++ {
		ln, ok := lines[id]
		if !ok {
			return "", fmt.Errorf("column %s: parent not in the table", id)
		}
		if seen > len(lines) {
			return "", fmt.Errorf("column %s: parent links loop", id)
		}
		parts = append(parts, ln.title)
		id = ln.parent
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "!!"), nil
}

// NormalizeProduct accepts "acs1", "1yr", "acs/acs1" and the like and
// returns "acs1", "acs3" or "acs5".
func NormalizeProduct(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "acs/")
	s, _, _ = strings.Cut(s, "/")
	switch s {
	case "acs1", "1yr", "1", "1-year":
		return "acs1", true
	case "acs3", "3yr", "3", "3-year":
		return "acs3", true
	case "acs5", "5yr", "5", "5-year":
		return "acs5", true
	}
	return "", false
}
