package duckdb

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	ddb "github.com/duckdb/duckdb-go/v2"
)

// cell converts a value from the driver to a tabular.Result cell. Numbers
// stay numbers (exact decimals and huge integers as json.Number), dates and
// times become text as DuckDB prints them, and nested values (lists,
// structs, maps) become JSON. typ is DuckDB's name for the column's type.
func cell(v any, typ string) any {
	switch v := v.(type) {
	case nil, string, bool, int64, uint64, float64:
		return v
	case int8:
		return int64(v)
	case int16:
		return int64(v)
	case int32:
		return int64(v)
	case uint8:
		return int64(v)
	case uint16:
		return int64(v)
	case uint32:
		return int64(v)
	case float32:
		// Through the float32's own shortest decimal, so 0.1 stays 0.1.
		f, _ := strconv.ParseFloat(strconv.FormatFloat(float64(v), 'g', -1, 32), 64)
		return f
	case time.Time:
		return formatTime(v, typ)
	case []byte:
		if typ == "UUID" && len(v) == 16 {
			return formatUUID(v)
		}
		return formatBlob(v)
	}
	if s, ok := scalarText(v); ok {
		return s
	}
	if n, ok := number(v); ok {
		return n
	}
	b, err := json.Marshal(nested(v, typ))
	if err != nil {
		return fmt.Sprint(v)
	}
	return json.RawMessage(b)
}

func number(v any) (json.Number, bool) {
	switch v := v.(type) {
	case *big.Int:
		return json.Number(v.String()), true
	case ddb.Decimal:
		return json.Number(v.String()), true
	}
	return "", false
}

// scalarText renders the scalar types JSON has no form for.
func scalarText(v any) (string, bool) {
	switch v := v.(type) {
	case ddb.Interval:
		return formatInterval(v), true
	case ddb.UUID:
		return v.String(), true
	}
	return "", false
}

// nested prepares a list, struct or map, and the values inside it, for
// encoding/json. typ is the value's DuckDB type; only a list's is used, to
// print its elements' dates and times as cell does (elsewhere a time is
// printed as a TIMESTAMP).
func nested(v any, typ string) any {
	switch v := v.(type) {
	case []any:
		elem := ""
		if i := strings.LastIndexByte(typ, '['); i > 0 && strings.HasSuffix(typ, "]") {
			elem = typ[:i]
		}
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = nested(x, elem)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = nested(x, "")
		}
		return out
	case ddb.OrderedMap:
		var out ddb.OrderedMap
		vals := v.Values()
		for i, k := range v.Keys() {
			out.Set(k, nested(vals[i], ""))
		}
		return out
	case ddb.Union:
		return nested(v.Value, "")
	case []byte:
		return formatBlob(v)
	case time.Time:
		return formatTime(v, typ)
	}
	if s, ok := scalarText(v); ok {
		return s
	}
	if n, ok := number(v); ok {
		return n
	}
	return v
}

func formatTime(t time.Time, typ string) string {
	switch typ {
	case "DATE":
		return t.Format("2006-01-02")
	case "TIME":
		return t.Format("15:04:05.999999")
	case "TIMETZ":
		return t.Format("15:04:05.999999-07:00")
	case "TIMESTAMPTZ":
		return t.Format("2006-01-02 15:04:05.999999-07:00")
	case "TIMESTAMP_NS":
		return t.Format("2006-01-02 15:04:05.999999999")
	}
	return t.Format("2006-01-02 15:04:05.999999")
}

func formatUUID(b []byte) string {
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// formatBlob writes bytes as DuckDB does: printable ASCII as is, the rest as \xNN.
func formatBlob(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		if c >= 0x20 && c < 0x7f && c != '\\' {
			s.WriteByte(c)
		} else {
			fmt.Fprintf(&s, `\x%02X`, c)
		}
	}
	return s.String()
}

// formatInterval writes an interval as DuckDB does, e.g. "1 year 2 months 3 days 04:05:06".
func formatInterval(iv ddb.Interval) string {
	var parts []string
	unit := func(n int64, name string) {
		if n == 0 {
			return
		}
		if n != 1 && n != -1 {
			name += "s"
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, name))
	}
	unit(int64(iv.Months/12), "year")
	unit(int64(iv.Months%12), "month")
	unit(int64(iv.Days), "day")
	if iv.Micros != 0 || len(parts) == 0 {
		d := time.Duration(iv.Micros) * time.Microsecond
		sign := ""
		if d < 0 {
			sign, d = "-", -d
		}
		h, m := int64(d/time.Hour), int64(d%time.Hour/time.Minute)
		s := d % time.Minute
		frac := ""
		if us := s % time.Second / time.Microsecond; us != 0 {
			frac = strings.TrimRight(fmt.Sprintf(".%06d", us), "0")
		}
		parts = append(parts, fmt.Sprintf("%s%02d:%02d:%02d%s", sign, h, m, int64(s/time.Second), frac))
	}
	return strings.Join(parts, " ")
}
