package stats

import "fmt"

// Factor is a categorical variable (a unit, a year, a state) coded as
// integers 0..Levels-1, for fixed effects and clusters.
type Factor struct {
	Name   string
	Codes  []int
	Levels int
}

// NewFactor codes values in order of first appearance.
func NewFactor[T comparable](name string, values []T) Factor {
	seen := make(map[T]int)
	codes := make([]int, len(values))
	for i, v := range values {
		c, ok := seen[v]
		if !ok {
			c = len(seen)
			seen[v] = c
		}
		codes[i] = c
	}
	return Factor{Name: name, Codes: codes, Levels: len(seen)}
}

// subset keeps the rows listed in idx and recodes the levels that remain.
func (f Factor) subset(idx []int) Factor {
	v := make([]int, len(idx))
	for i, r := range idx {
		v[i] = f.Codes[r]
	}
	return NewFactor(f.Name, v)
}

// nestedIn reports whether every level of f falls inside a single level of g,
// as a metro fixed effect is nested in a metro (or state) cluster.
func (f Factor) nestedIn(g Factor) bool {
	owner := make([]int, f.Levels)
	for i := range owner {
		owner[i] = -1
	}
	for i, c := range f.Codes {
		switch owner[c] {
		case -1:
			owner[c] = g.Codes[i]
		case g.Codes[i]:
		default:
			return false
		}
	}
	return true
}

// intersect is the factor whose levels are the observed pairs of f and g,
// the cluster of the V_12 term in two-way clustering.
func intersect(f, g Factor) Factor {
	pairs := make([][2]int, len(f.Codes))
	for i := range pairs {
		pairs[i] = [2]int{f.Codes[i], g.Codes[i]}
	}
	return NewFactor(f.Name+"#"+g.Name, pairs)
}

func (f Factor) check(n int) error {
	if len(f.Codes) != n {
		return fmt.Errorf("factor %s has %d values, want %d", f.Name, len(f.Codes), n)
	}
	for i, c := range f.Codes {
		if c < 0 || c >= f.Levels {
			return fmt.Errorf("factor %s row %d: code %d outside 0..%d", f.Name, i, c, f.Levels-1)
		}
	}
	return nil
}
