package cbsa

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/assaylab/assay"
)

// aliasCSV lists FBI names that no rule matches, each with the code it
// stands for in one delineation vintage and why. It is data, reviewed by
// hand: see the comment at its top.
//
//go:embed aliases.csv
var aliasCSV string

type alias struct {
	vintage string
	kind    assay.AreaKind
	name    string // as the FBI prints it, cleaned of footnotes and suffix
	code    string // "" when the area has no counterpart in the vintage
	reason  string
	line    int
}

var aliasTable = mustParseAliases(aliasCSV)

// mustParseAliases panics on a malformed table: the table is compiled in,
// and TestAliasTable fails first.
func mustParseAliases(text string) []alias {
	rows, err := parseAliases(text)
	if err != nil {
		panic(err)
	}
	return rows
}

func parseAliases(text string) ([]alias, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comment = '#'
	r.FieldsPerRecord = 5
	header, err := r.Read()
	if err != nil || strings.Join(header, ",") != "vintage,kind,fbi_name,code,reason" {
		return nil, fmt.Errorf("aliases.csv: want the header vintage,kind,fbi_name,code,reason (%v)", err)
	}
	var out []alias
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("aliases.csv: %w", err)
		}
		line, _ := r.FieldPos(0)
		a := alias{vintage: rec[0], kind: assay.AreaKind(rec[1]), name: rec[2], code: rec[3], reason: rec[4], line: line}
		switch {
		case !vintageFmt.MatchString(a.vintage):
			return nil, fmt.Errorf("aliases.csv line %d field vintage: %q is not YYYY-MM", line, a.vintage)
		case a.kind != assay.KindMSA && a.kind != assay.KindMD:
			return nil, fmt.Errorf("aliases.csv line %d field kind: %q is neither msa nor md", line, a.kind)
		case a.code != "" && !isCode(a.code, 5):
			return nil, fmt.Errorf("aliases.csv line %d field code: %q is neither empty nor a 5-digit code", line, a.code)
		case a.name == "" || a.reason == "":
			return nil, fmt.Errorf("aliases.csv line %d: empty fbi_name or reason", line)
		}
		k := a.vintage + "|" + string(a.kind) + "|" + parseName(a.name).key()
		if prev, dup := seen[k]; dup {
			return nil, fmt.Errorf("aliases.csv line %d: %q repeats line %d", line, a.name, prev)
		}
		seen[k] = line
		out = append(out, a)
	}
}

// aliasesFor indexes the aliases of one vintage by kind and name key.
func aliasesFor(vintage string) map[assay.AreaKind]map[string]alias {
	idx := map[assay.AreaKind]map[string]alias{assay.KindMSA: {}, assay.KindMD: {}}
	for _, a := range aliasTable {
		if a.vintage == vintage {
			idx[a.kind][parseName(a.name).key()] = a
		}
	}
	return idx
}
