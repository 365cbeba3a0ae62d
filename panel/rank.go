package panel

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/assaylab/assay"
)

// Ranking orders one year's FBI metropolitan areas by the rate of one
// offence, highest first. Areas whose rate the FBI left blank cannot be
// ranked; they are listed apart rather than dropped.
type Ranking struct {
	Year     int
	Offense  assay.Offense
	Kind     assay.AreaKind
	Ranked   []*assay.CrimeRecord
	Unranked []*assay.CrimeRecord // rate suppressed
}

// Rank ranks the areas of one kind (MSAs, or metropolitan divisions) of a
// year. Ties keep a stable order by name.
func Rank(records []assay.CrimeRecord, year int, o assay.Offense, kind assay.AreaKind) Ranking {
	r := Ranking{Year: year, Offense: o, Kind: kind}
	for i := range records {
		c := &records[i]
		if c.Year != year || c.Kind != kind {
			continue
		}
		if c.Rate[o].Valid {
			r.Ranked = append(r.Ranked, c)
		} else {
			r.Unranked = append(r.Unranked, c)
		}
	}
	slices.SortStableFunc(r.Ranked, func(a, b *assay.CrimeRecord) int {
		return cmp.Or(cmp.Compare(b.Rate[o].V, a.Rate[o].V), cmp.Compare(a.Name, b.Name))
	})
	slices.SortStableFunc(r.Unranked, func(a, b *assay.CrimeRecord) int { return cmp.Compare(a.Name, b.Name) })
	return r
}

// RankedRecord is a record with its place in a ranking. Its JSON is the
// record's with "rank" first: a line of `assay metros --json`, an element
// of the dashboard's /api/metros.
type RankedRecord struct {
	Rank   int
	Record *assay.CrimeRecord
}

func (r RankedRecord) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(r.Record)
	if err != nil {
		return nil, err
	}
	return fmt.Appendf(nil, "{\"rank\":%d,%s", r.Rank, bytes.TrimPrefix(b, []byte("{"))), nil
}

// Top returns the first n ranked records with their ranks; n <= 0 means
// all of them.
func (r Ranking) Top(n int) []RankedRecord {
	if n <= 0 || n > len(r.Ranked) {
		n = len(r.Ranked)
	}
	out := make([]RankedRecord, n)
	for i, c := range r.Ranked[:n] {
		out[i] = RankedRecord{Rank: i + 1, Record: c}
	}
	return out
}
