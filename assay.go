// Package assay holds the domain types every part of assay shares: metro
// areas, crime records, census estimates, the audit trail, studies and
// findings. It imports nothing of ours, so readers, stores and estimators can
// all depend on it without depending on each other.
package assay

import (
	"encoding/json"
	"math"
	"strconv"
)

// Num is a number that may be absent. The zero value is null. What null means
// (suppressed by the publisher, not applicable, not yet known) is stated by
// the field that holds it; a null is never silently a zero.
type Num struct {
	V     float64
	Valid bool
}

// Some returns a present number.
func Some(v float64) Num { return Num{V: v, Valid: true} }

// Null is the absent number.
var Null = Num{}

// Or returns the value, or def when it is null.
func (n Num) Or(def float64) float64 {
	if !n.Valid {
		return def
	}
	return n.V
}

// Cell is the number as a table cell (a database value, a tabular cell):
// nil when null, else the float64.
func (n Num) Cell() any {
	if !n.Valid {
		return nil
	}
	return n.V
}

func (n Num) String() string {
	if !n.Valid {
		return "NA"
	}
	return strconv.FormatFloat(n.V, 'f', -1, 64)
}

// MarshalJSON writes null or the shortest decimal that round-trips.
// NaN and infinities cannot be JSON numbers, so they are written as null too.
func (n Num) MarshalJSON() ([]byte, error) {
	if !n.Valid || math.IsNaN(n.V) || math.IsInf(n.V, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, n.V, 'g', -1, 64), nil
}

// UnmarshalJSON accepts null or a number.
func (n *Num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Null
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*n = Some(v)
	return nil
}
