package dashboard

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/assaylab/assay/internal/textfmt"
)

// ParamError is a request parameter that does not validate. The server
// answers it with 400 and this as JSON: the parameter, the value given and
// the values allowed, so a client can correct itself.
type ParamError struct {
	Param   string `json:"parameter"`
	Value   string `json:"value"`
	Allowed string `json:"allowed"`
	Problem string `json:"problem"`
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("parameter %s: %s (allowed: %s)", e.Param, e.Problem, e.Allowed)
}

// param documents one parameter of an endpoint: the API index lists it,
// and a request naming a parameter its endpoint does not list is refused.
type param struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Default string `json:"default,omitempty"`
	Allowed string `json:"allowed"`
	Doc     string `json:"doc"`
}

// query reads one request's parameters. The first that does not validate
// is kept in err and the reads after it return their defaults, so a parser
// reads every parameter in turn and checks err once.
type query struct {
	vals url.Values
	err  *ParamError
}

// maxQuery bounds a query string: every view's parameters fit in far less.
const maxQuery = 2048

// readQuery parses a raw query string, refusing one too long, malformed,
// naming a parameter the endpoint does not take, or giving one twice.
func readQuery(raw string, params []param) (*query, error) {
	names := make([]string, len(params))
	for i, p := range params {
		names[i] = p.Name
	}
	allowed := strings.Join(names, ", ")
	if allowed == "" {
		allowed = "none"
	}
	if len(raw) > maxQuery {
		return nil, &ParamError{Param: "query", Value: raw[:32] + "…", Allowed: fmt.Sprintf("at most %d bytes of parameters (%s)", maxQuery, allowed),
			Problem: fmt.Sprintf("%d bytes", len(raw))}
	}
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return nil, &ParamError{Param: "query", Value: raw, Allowed: "name=value pairs joined by &, percent-encoded", Problem: err.Error()}
	}
	for _, name := range slices.Sorted(maps.Keys(vals)) {
		switch {
		case name == "":
			return nil, &ParamError{Param: "query", Value: raw, Allowed: "name=value pairs joined by &, percent-encoded", Problem: "a value without a parameter name"}
		case !slices.Contains(names, name):
			return nil, &ParamError{Param: name, Value: vals.Get(name), Allowed: "parameters " + allowed, Problem: "this endpoint takes no such parameter"}
		case len(vals[name]) > 1:
			return nil, &ParamError{Param: name, Value: strings.Join(vals[name], ","), Allowed: "one value", Problem: fmt.Sprintf("given %d times", len(vals[name]))}
		}
	}
	return &query{vals: vals}, nil
}

// fail records a parameter's error unless an earlier one failed.
func (q *query) fail(name, value, allowed, format string, a ...any) {
	if q.err == nil {
		q.err = &ParamError{Param: name, Value: value, Allowed: allowed, Problem: fmt.Sprintf(format, a...)}
	}
}

// raw returns a parameter's value, and whether it was given (an empty
// value, as a form with a blank field sends, counts as not given).
func (q *query) raw(name string) (string, bool) {
	v := q.vals.Get(name)
	return v, v != "" && q.err == nil
}

// int reads a whole number between lo and hi.
func (q *query) int(name string, def, lo, hi int) int {
	s, ok := q.raw(name)
	if !ok {
		return def
	}
	allowed := fmt.Sprintf("a whole number from %d to %d", lo, hi)
	v, err := strconv.Atoi(s)
	switch {
	case err != nil:
		q.fail(name, s, allowed, "not a whole number")
	case v < lo || v > hi:
		q.fail(name, s, allowed, "out of range")
	default:
		return v
	}
	return def
}

// oneOf reads a whole number from a list (the years the data has).
func (q *query) oneOf(name string, def int, allowed []int) int {
	s, ok := q.raw(name)
	if !ok {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil || !slices.Contains(allowed, v) {
		q.fail(name, s, joinInts(allowed), "not one of the allowed values")
		return def
	}
	return v
}

// number reads a decimal number between lo and hi.
func (q *query) number(name string, def, lo, hi float64) float64 {
	s, ok := q.raw(name)
	if !ok {
		return def
	}
	allowed := fmt.Sprintf("a number from %g to %g", lo, hi)
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil:
		q.fail(name, s, allowed, "not a number")
	case !(v >= lo && v <= hi):
		q.fail(name, s, allowed, "out of range")
	default:
		return v
	}
	return def
}

// word reads one value of a list of words.
func (q *query) word(name, def string, allowed []string) string {
	s, ok := q.raw(name)
	if !ok {
		return def
	}
	if !slices.Contains(allowed, s) {
		q.fail(name, s, strings.Join(allowed, ", "), "not one of the allowed values")
		return def
	}
	return s
}

// term reads one value of a study vocabulary.
func term[T ~string](q *query, name string, def T, allowed []T) T {
	return T(q.word(name, string(def), textfmt.Strings(allowed)))
}

// list reads comma-separated values of a set, at most max of them, none
// twice; it returns them sorted, so that one view has one canonical form.
func (q *query) list(name string, set func(string) bool, what string, max int) []string {
	s, ok := q.raw(name)
	if !ok {
		return nil
	}
	allowed := fmt.Sprintf("up to %d %s, separated by commas", max, what)
	parts := strings.Split(s, ",")
	if len(parts) > max {
		q.fail(name, s, allowed, "%d values", len(parts))
		return nil
	}
	for i, p := range parts {
		switch {
		case !set(p):
			q.fail(name, p, allowed, "%q is not one", p)
			return nil
		case slices.Contains(parts[:i], p):
			q.fail(name, p, allowed, "%q is given twice", p)
			return nil
		}
	}
	slices.Sort(parts)
	return parts
}
