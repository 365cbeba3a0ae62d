package assay

import (
	"bytes"
	"encoding/json"
)

// MarshalJSON writes a record flat, one key per column, in a fixed order:
// the form `assay inspect table6 --json` prints and other tools read. Rates
// are <offence>_rate, counts <offence>_count (the estimated total where the
// FBI estimated one, else the total reported), with the two published counts
// as <offence>_reported and <offence>_estimated. Suppressed values are null.
func (r CrimeRecord) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	put := func(key string, v any) error {
		if !first {
			b.WriteByte(',')
		}
		first = false
		k, _ := json.Marshal(key)
		b.Write(k)
		b.WriteByte(':')
		val, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b.Write(val)
		return nil
	}
	nullable := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	fields := []struct {
		key string
		v   any
	}{
		{"year", r.Year}, {"kind", r.Kind}, {"name", r.Name}, {"published_name", r.PublishedName},
		{"cbsa", nullable(r.CBSA)}, {"cbsa_title", nullable(r.CBSATitle)}, {"cbsa_match", nullable(r.Match)},
		{"parent", nullable(r.Parent)}, {"states", r.States}, {"population", r.Population}, {"coverage", r.Coverage},
		{"rape_definition", r.RapeDefinition},
	}
	for _, f := range fields {
		if err := put(f.key, f.v); err != nil {
			return nil, err
		}
	}
	for _, o := range Offenses() {
		for _, f := range []struct {
			suffix string
			v      Num
		}{{"_rate", r.Rate[o]}, {"_count", r.Count(o)}, {"_reported", r.Reported[o]}, {"_estimated", r.Estimated[o]}} {
			if err := put(o.Key()+f.suffix, f.v); err != nil {
				return nil, err
			}
		}
	}
	for _, f := range []struct {
		key string
		v   any
	}{{"footnotes", r.Footnotes}, {"counties", r.Counties}, {"source", r.Source}, {"row", r.Row}} {
		if err := put(f.key, f.v); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
