package census

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
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
	br := bufio.NewReader(r)
	first, err := firstByte(br)
	if err != nil {
		return nil, err
	}
	if first == '{' {
		return ParseVariablesJSON(br, table, year, product)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("row 1: %w", err)
	}
	trimBOM(header)
	switch {
	case len(header) >= 3 && header[0] == "VARIABLE" && header[2] == "LABEL":
		return readLegendCSV(cr, header, table, year, product)
	case len(header) > 0 && header[0] == "acs_year":
		maps, err := readVariableMap(cr, header)
		if err != nil {
			return nil, err
		}
		if year == 0 || product == "" {
			return nil, errors.New("the variable map covers many years: give the year and product")
		}
		l, ok := maps[MapKey{Year: year, Product: product}]
		if !ok {
			return nil, fmt.Errorf("the variable map has no %s %d", product, year)
		}
		return l, nil
	}
	return nil, fmt.Errorf("row 1: not a legend (header %q)", strings.Join(header, ","))
}

// readLegendCSV reads a saved API legend: one row per variable (E, M, EA and
// MA forms alike), label paths in LABEL.
func readLegendCSV(cr *csv.Reader, header []string, table string, year int, product string) (*Labels, error) {
	l := NewLabels(table, year, product)
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", row, err)
		}
		if len(rec) < 3 {
			return nil, fmt.Errorf("row %d: %d fields, want at least 3", row, len(rec))
		}
		if rec[0] == header[0] && rec[2] == header[2] {
			continue // some saved legends repeat the header
		}
		addIfTable(l, rec[0], rec[2], table)
	}
	if l.Len() == 0 {
		return nil, fmt.Errorf("no variables of table %q", table)
	}
	return l, nil
}

func addIfTable(l *Labels, id, label, table string) {
	// E, M, EA and MA rows repeat one label under different prefixes, so
	// whichever comes first labels the base.
	base, _ := splitVariable(id)
	if base == "" || (table != "" && !strings.HasPrefix(base, table+"_")) {
		return
	}
	l.Add(base, label)
}

// ParseVariablesJSON reads the API's variables.json or groups/<table>.json:
// {"variables": {"B05006_001E": {"label": "Estimate!!Total", ...}, ...}}.
func ParseVariablesJSON(r io.Reader, table string, year int, product string) (*Labels, error) {
	l, _, err := parseVariables(r, table, year, product)
	return l, err
}

// parseVariables also returns every variable name the document lists (E,
// M, EA and MA forms), which the client needs to know what it may request.
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
		addIfTable(l, id, doc.Variables[id].Label, table)
		names[id] = true
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
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("variable map row 1: %w", err)
	}
	trimBOM(header)
	return readVariableMap(cr, header)
}

func readVariableMap(cr *csv.Reader, header []string) (map[MapKey]*Labels, error) {
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	need := []string{"acs_year", "acs_product", "table_id", "column_id", "api_variable_estimate", "column_title", "parent_column_id"}
	for _, n := range need {
		if _, ok := col[n]; !ok {
			return nil, fmt.Errorf("variable map: no column %q", n)
		}
	}
	byKey := map[MapKey][]mapLine{}
	var keys []MapKey
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("variable map row %d: %w", row, err)
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("variable map row %d: %d fields, want %d", row, len(rec), len(header))
		}
		year, err := strconv.Atoi(rec[col["acs_year"]])
		if err != nil {
			return nil, fmt.Errorf("variable map row %d: acs_year: %w", row, err)
		}
		product, ok := NormalizeProduct(rec[col["acs_product"]])
		if !ok {
			return nil, fmt.Errorf("variable map row %d: unknown product %q", row, rec[col["acs_product"]])
		}
		k := MapKey{Year: year, Product: product}
		if _, seen := byKey[k]; !seen {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], mapLine{rec[col["column_id"]], rec[col["column_title"]],
			rec[col["parent_column_id"]], rec[col["api_variable_estimate"]]})
	}
	out := make(map[MapKey]*Labels, len(keys))
	for _, k := range keys {
		lines := byKey[k]
		title := map[string]mapLine{}
		for _, ln := range lines {
			title[ln.id] = ln
		}
		base, _ := splitVariable(lines[0].variable)
		table, _, _ := strings.Cut(base, "_")
		l := NewLabels(table, k.Year, k.Product)
		for _, ln := range lines {
			path, err := parentPath(title, ln.id)
			if err != nil {
				return nil, fmt.Errorf("variable map %s %d: %w", k.Product, k.Year, err)
			}
			l.Add(ln.variable, path)
		}
		out[k] = l
	}
	return out, nil
}

// mapLine is one line of one year's table in the variable map.
type mapLine struct{ id, title, parent, variable string }

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

func firstByte(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.Peek(1)
		if err != nil {
			if err == io.EOF {
				return 0, errors.New("empty file")
			}
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			br.ReadByte()
			continue
		case 0xEF: // UTF-8 byte order mark
			if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
				br.Discard(3)
				continue
			}
		}
		return b[0], nil
	}
}

func trimBOM(rec []string) {
	if len(rec) > 0 {
		rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
	}
}
