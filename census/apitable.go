package census

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// apiTable is one API response held as its raw JSON cells, so that joining
// chunks changes nothing in a value (nulls stay null).
type apiTable struct {
	vars []string // requested columns, in order
	geos []string // geography columns the API appended
	rows []apiRow
	keys map[string]int // geography key -> row index
}

type apiRow struct {
	vals []json.RawMessage
	geo  []json.RawMessage
	key  string
}

// parseAPITable reads a response to a request for the variables get.
func parseAPITable(body []byte, get []string) (*apiTable, error) {
	var raw [][]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("invalid or truncated API JSON: %w", err)
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("no header row")
	}
	header := make([]string, len(raw[0]))
	for i, h := range raw[0] {
		if err := json.Unmarshal(h, &header[i]); err != nil {
			return nil, fmt.Errorf("header column %d: %w", i+1, err)
		}
	}
	if len(header) < len(get) || strings.Join(header[:len(get)], ",") != strings.Join(get, ",") {
		return nil, fmt.Errorf("header %v does not start with the variables requested", header)
	}
	t := &apiTable{vars: get, geos: header[len(get):], keys: map[string]int{}}
	if len(t.geos) == 0 {
		return nil, fmt.Errorf("no geography columns after the variables")
	}
	for i, r := range raw[1:] {
		if len(r) != len(header) {
			return nil, fmt.Errorf("row %d: %d cells, header has %d", i+2, len(r), len(header))
		}
		row := apiRow{vals: r[:len(get)], geo: r[len(get):]}
		parts := make([]string, len(row.geo))
		for j, g := range row.geo {
			if err := json.Unmarshal(g, &parts[j]); err != nil {
				return nil, fmt.Errorf("row %d: geography %s: %w", i+2, t.geos[j], err)
			}
		}
		row.key = strings.Join(parts, "|")
		if _, dup := t.keys[row.key]; dup {
			return nil, fmt.Errorf("row %d: geography %s appears twice", i+2, row.key)
		}
		t.keys[row.key] = len(t.rows)
		t.rows = append(t.rows, row)
	}
	return t, nil
}

// join appends another chunk's variables to each row, matching rows on the
// geography columns: the API does not promise the same row order twice.
func (t *apiTable) join(o *apiTable) error {
	if strings.Join(t.geos, ",") != strings.Join(o.geos, ",") {
		return fmt.Errorf("geography columns %v, first chunk has %v", o.geos, t.geos)
	}
	if len(o.rows) != len(t.rows) {
		return fmt.Errorf("%d geographies, first chunk has %d", len(o.rows), len(t.rows))
	}
	for i := range t.rows {
		j, ok := o.keys[t.rows[i].key]
		if !ok {
			return fmt.Errorf("geography %s of the first chunk is missing", t.rows[i].key)
		}
		t.rows[i].vals = append(t.rows[i].vals, o.rows[j].vals...)
	}
	t.vars = append(t.vars, o.vars...)
	return nil
}

// encode writes the table as the API does: a JSON array of arrays, header
// first, one row a line.
func (t *apiTable) encode() ([]byte, error) {
	var b bytes.Buffer
	header, err := json.Marshal(append(append([]string{}, t.vars...), t.geos...))
	if err != nil {
		return nil, err
	}
	b.WriteString("[")
	b.Write(header)
	for _, r := range t.rows {
		b.WriteString(",\n[")
		for i, c := range append(append([]json.RawMessage{}, r.vals...), r.geo...) {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(c)
		}
		b.WriteString("]")
	}
	b.WriteString("]\n")
	return b.Bytes(), nil
}
