// Package study is assay's engine for declarative studies of immigration
// and crime across U.S. metro areas: a TOML file (Spec) names the years,
// the immigrant measure, the crime outcome, how metros are chosen, the
// estimators and a robustness grid, and Run turns it into findings
// (assay.Finding) that the command line, the report and the dashboard all
// render. It reads the metro-year panel ingest built (Dataset.Panel) and
// knows no published paper: a paper's reproduction is a package of its own
// (papers/...) built on the exported pieces here (Data, Choice, Sample,
// Fitter).
package study

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/stats"
)

// Spec is one study as its TOML file states it. Parse fills the defaults
// and validates; docs/study.md documents every key.
type Spec struct {
	Name        string `toml:"name" json:"name"`
	Title       string `toml:"title" json:"title"`
	Description string `toml:"description" json:"description,omitempty"`
	// Vintage is the OMB delineation the metros are coded in; empty means
	// the one the data was ingested against.
	Vintage string `toml:"vintage" json:"vintage,omitempty"`
	// Exclude lists metros (CBSA codes) left out of every specification
	// after the selection rule picks: a reader's "without Laredo". A top-n
	// rule does not pick another metro in an excluded one's place.
	Exclude    []string   `toml:"exclude" json:"exclude,omitempty"`
	Years      Years      `toml:"years" json:"years"`
	Immigrant  Immigrant  `toml:"immigrant" json:"immigrant"`
	Outcome    Outcome    `toml:"outcome" json:"outcome"`
	Selection  Selection  `toml:"selection" json:"selection"`
	Coverage   Coverage   `toml:"coverage" json:"coverage"`
	Estimation Estimation `toml:"estimation" json:"estimation"`
	Panel      *Panel     `toml:"panel" json:"panel,omitempty"`
	Grid       Grid       `toml:"grid" json:"grid"`
}

// Years are the two years a cross-sectional study compares.
type Years struct {
	Base int `toml:"base" json:"base"`
	End  int `toml:"end" json:"end"`
}

func (y Years) String() string { return fmt.Sprintf("%d-%d", y.Base, y.End) }

// Immigrant says which measure of the immigrant population is used.
type Immigrant struct {
	Source Source `toml:"source" json:"source"`
	// Group is an origin group key of the data's fetched counts (ntca,
	// mexico, central_america, foreign_born, the single Northern Triangle
	// countries, or one from assay ingest --groups); foreign_born with
	// the bundled source.
	Group   string  `toml:"group" json:"group"`
	Measure Measure `toml:"measure" json:"measure"`
}

// Outcome is the crime measure.
type Outcome struct {
	Offense assay.Offense `toml:"offense" json:"offense"`
	Change  Change        `toml:"change" json:"change"`
}

// Selection is the rule that picks the metros.
type Selection struct {
	Rule     Rule     `toml:"rule" json:"rule"`
	N        int      `toml:"n" json:"n,omitempty"`
	Pool     Pool     `toml:"pool" json:"pool,omitempty"`
	RankYear RankYear `toml:"rank_year" json:"rank_year,omitempty"`
	// MinPopulation leaves out metros smaller than this (Census total
	// population in the rank year) before ranking.
	MinPopulation float64 `toml:"min_population" json:"min_population,omitempty"`
}

// Coverage filters the FBI records.
type Coverage struct {
	// Min is the smallest share of the population in reporting agencies
	// a metro needs in both years; 0 keeps every block the FBI published
	// (its own rule).
	Min   float64   `toml:"min" json:"min"`
	Match NameMatch `toml:"match" json:"match"`
}

// Estimation lists the estimators and their inference settings.
type Estimation struct {
	Estimators []Estimator `toml:"estimators" json:"estimators"`
	// Weights weights pearson and ols (ols weighted is WLS). Rank
	// correlations have no weighted form.
	Weights      Weights `toml:"weights" json:"weights"`
	Level        float64 `toml:"level" json:"level"`
	Permutations int     `toml:"permutations" json:"permutations"`
	Bootstrap    int     `toml:"bootstrap" json:"bootstrap"`
	Seed         uint64  `toml:"seed" json:"seed"`
	// PowerN is the number of metros power is reported for beside the
	// study's own.
	PowerN int `toml:"power_n" json:"power_n"`
}

// Panel is the optional metro-year panel of a study.
type Panel struct {
	From int `toml:"from" json:"from"`
	To   int `toml:"to" json:"to"`
	// Offense is nil until defaults set it (murder: unlike violent crime
	// it counts one definition in every year).
	Offense *assay.Offense `toml:"offense" json:"offense"`
	// Form is the outcome of the linear estimators (Poisson always models
	// counts with log population as exposure).
	Form PanelForm `toml:"form" json:"form"`
	// Measure is share (in percent) or log_share.
	Measure Measure `toml:"measure" json:"measure"`
	// Interpolation: observed uses only the years with a measured
	// immigrant share; linear also reads the other years off straight
	// lines between them (docs/study.md says what that does to inference).
	Interpolation Interpolation    `toml:"interpolation" json:"interpolation"`
	Estimators    []PanelEstimator `toml:"estimators" json:"estimators"`
}

// Grid lists alternatives per dimension: the multiverse is every
// combination. An empty list keeps the study's own choice.
type Grid struct {
	Years      []Years         `toml:"years" json:"years,omitempty"`
	Source     []Source        `toml:"source" json:"source,omitempty"`
	Group      []string        `toml:"group" json:"group,omitempty"`
	Measure    []Measure       `toml:"measure" json:"measure,omitempty"`
	Offense    []assay.Offense `toml:"offense" json:"offense,omitempty"`
	Change     []Change        `toml:"change" json:"change,omitempty"`
	Selection  []Selection     `toml:"selection" json:"selection,omitempty"`
	Coverage   []Coverage      `toml:"coverage" json:"coverage,omitempty"`
	Weights    []Weights       `toml:"weights" json:"weights,omitempty"`
	Estimators []Estimator     `toml:"estimators" json:"estimators,omitempty"`
	// Permutations per specification (the multiverse runs many); 0 means
	// analytic p-values only.
	Permutations int `toml:"permutations" json:"permutations"`
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_]*$`)

// Parse reads a study from TOML, strictly: a key the Spec does not know,
// a value outside a vocabulary or of the wrong type is an error naming it
// and its line. name labels errors (a file name).
func Parse(r io.Reader, name string) (*Spec, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("study %s: %w", name, err)
	}
	var s Spec
	dec := toml.NewDecoder(bytes.NewReader(src)).DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, decodeError(name, err)
	}
	s.defaults()
	if err := s.Validate(); err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			if line, ok := lineOf(keyLines(src), fe.Key); ok {
				return nil, fmt.Errorf("study %s line %d: %w", name, line, err)
			}
		}
		return nil, fmt.Errorf("study %s: %w", name, err)
	}
	return &s, nil
}

// FieldError is a spec value that does not validate, with its key
// ("immigrant.measure", "grid.selection").
type FieldError struct {
	Key, Msg string
}

func (e *FieldError) Error() string {
	if strings.HasPrefix(e.Msg, ":") {
		return e.Key + e.Msg
	}
	return e.Key + " " + e.Msg
}

// lineOf finds the line of a key, or of the nearest enclosing one that has
// a line: "grid.selection[0].n" is on the line of grid.selection.
func lineOf(lines map[string]int, key string) (int, bool) {
	for key != "" {
		if l, ok := lines[key]; ok {
			return l, true
		}
		if i := strings.LastIndexAny(key, ".["); i >= 0 {
			key = key[:i]
		} else {
			key = ""
		}
	}
	return 0, false
}

func fieldf(key, format string, a ...any) error {
	return &FieldError{Key: key, Msg: fmt.Sprintf(format, a...)}
}

// keyLines maps each key of a TOML document ("years", "immigrant.measure")
// to the line its value (or table header) starts on, so a value that
// decodes but does not validate can be named by its line.
func keyLines(src []byte) map[string]int {
	out := map[string]int{}
	var p unstable.Parser
	p.Reset(src)
	table := ""
	join := func(it unstable.Iterator) string {
		var parts []string
		for it.Next() {
			parts = append(parts, string(it.Node().Data))
		}
		return strings.Join(parts, ".")
	}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = join(e.Key())
			k := e.Key()
			k.Next()
			if _, ok := out[table]; !ok {
				out[table] = p.Shape(k.Node().Raw).Start.Line
			}
		case unstable.KeyValue:
			key := join(e.Key())
			if table != "" {
				key = table + "." + key
			}
			k := e.Key()
			k.Next()
			out[key] = p.Shape(k.Node().Raw).Start.Line
		}
	}
	return out
}

// decodeError names the key and line of what went wrong, in words a
// person writing the file can act on.
func decodeError(name string, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		msgs := make([]string, len(strict.Errors))
		for i, e := range strict.Errors {
			row, _ := e.Position()
			msgs[i] = fmt.Sprintf("line %d: unknown key %s", row, strings.Join(e.Key(), "."))
		}
		return fmt.Errorf("study %s: %s", name, strings.Join(msgs, "; "))
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		msg := de.Error()
		if m := wrongType.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("want %s, got a TOML %s", typeWords(m[2]), m[1])
		}
		msg = strings.TrimPrefix(msg, "toml: ")
		if key := strings.Join(de.Key(), "."); key != "" {
			msg = key + ": " + msg
		}
		return fmt.Errorf("study %s line %d column %d: %s", name, row, col, msg)
	}
	return fmt.Errorf("study %s: %w", name, err)
}

// wrongType matches go-toml's message for a value of the wrong type.
var wrongType = regexp.MustCompile(`cannot decode TOML (\w+) into (?:struct field \S+ of type|a Go value of type) (\S+)`)

// typeWords names a Go type of the Spec as a TOML writer knows it.
func typeWords(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case goType == "int" || goType == "uint64":
		return "a whole number"
	case goType == "float64":
		return "a number"
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "study.") && !strings.Contains(goType, "Years") && !strings.Contains(goType, "Selection") && !strings.Contains(goType, "Coverage"):
		return "a quoted word"
	}
	return "a table"
}

// Load reads a study file. Its only input is the file: the data a study
// reads comes from the warehouse or the embedded snapshot.
func Load(file string) (*Spec, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return Parse(bytes.NewReader(b), file)
}

//go:embed builtin/*.toml
var builtinFS embed.FS

// BuiltinPrefix marks a built-in study on the command line (builtin:NAME).
const BuiltinPrefix = "builtin:"

// Builtins lists the engine's built-in studies by name (papers add their
// own: package papers lists them all).
func Builtins() []string {
	ents, _ := builtinFS.ReadDir("builtin")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".toml"))
	}
	return out
}

// BuiltinSource returns a built-in study's TOML, to read or to copy.
func BuiltinSource(name string) ([]byte, error) {
	b, err := builtinFS.ReadFile(path.Join("builtin", name+".toml"))
	if err != nil {
		return nil, fmt.Errorf("no built-in study %q (have %s)", name, strings.Join(Builtins(), ", "))
	}
	return b, nil
}

// Builtin parses a built-in study.
func Builtin(name string) (*Spec, error) {
	b, err := BuiltinSource(name)
	if err != nil {
		return nil, err
	}
	return Parse(bytes.NewReader(b), BuiltinPrefix+name)
}

// defaults fills what the file left out.
func (s *Spec) defaults() {
	set := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	if s.Immigrant.Source == "" {
		s.Immigrant.Source = Bundled
	}
	if s.Immigrant.Source == Bundled {
		set(&s.Immigrant.Group, ForeignBorn)
	}
	set(&s.Immigrant.Group, "ntca")
	if s.Immigrant.Measure == "" {
		s.Immigrant.Measure = PPChange
	}
	if s.Outcome.Change == "" {
		s.Outcome.Change = RateChange
	}
	s.Selection.defaults()
	for i := range s.Grid.Selection {
		s.Grid.Selection[i].defaults()
	}
	s.Coverage.defaults()
	for i := range s.Grid.Coverage {
		s.Grid.Coverage[i].defaults()
	}
	e := &s.Estimation
	if len(e.Estimators) == 0 {
		e.Estimators = []Estimator{Pearson}
	}
	if e.Weights == "" {
		e.Weights = Unweighted
	}
	if e.Level == 0 {
		e.Level = 0.95
	}
	if e.Seed == 0 {
		e.Seed = 1
	}
	if e.PowerN == 0 {
		e.PowerN = PaperN
	}
	if p := s.Panel; p != nil {
		if p.Offense == nil {
			murder := assay.Murder
			p.Offense = &murder
		}
		if p.Form == "" {
			p.Form = RateForm
		}
		if p.Measure == "" {
			p.Measure = Share
		}
		if p.Interpolation == "" {
			p.Interpolation = Observed
		}
		if len(p.Estimators) == 0 {
			p.Estimators = PanelEstimators
		}
	}
}

// PaperN is the number of metros power is reported for by default beside a
// study's own: the 27 of the 2019 working paper, the analysis this engine
// was first built to check.
const PaperN = 27

func (s *Selection) defaults() {
	if s.Rule == "" {
		s.Rule = All
	}
	if s.Rule != All {
		if s.Pool == "" {
			s.Pool = CensusPool
		}
		if s.RankYear == "" {
			s.RankYear = BaseYear
		}
	}
}

func (c *Coverage) defaults() {
	if c.Match == "" {
		c.Match = AnyMatch
	}
}

// Validate checks every choice, the grid's alternatives included, without
// reading anything. Its errors are *FieldError naming the key.
func (s *Spec) Validate() error {
	switch {
	case s.Name == "":
		return fieldf("name", "is required")
	case !nameRE.MatchString(s.Name):
		return fieldf("name", "%q: use lower-case letters, digits and underscores", s.Name)
	case s.Title == "":
		return fieldf("title", "is required")
	}
	var panel error
	if s.Panel != nil {
		panel = s.Panel.validate()
	}
	return firstError(
		validateExclude(s.Exclude),
		s.Years.validate("years"),
		checkTerm("immigrant.source", s.Immigrant.Source, Sources),
		validateImmigrant("immigrant", s.Immigrant.Source, s.Immigrant.Group),
		checkTerm("immigrant.measure", s.Immigrant.Measure, Measures),
		validateOffense("outcome.offense", s.Outcome.Offense),
		checkTerm("outcome.change", s.Outcome.Change, Changes),
		s.Selection.validate("selection"),
		s.Coverage.validate("coverage"),
		s.Estimation.validate(),
		panel,
		s.validateGrid(),
	)
}

// The years a study may name: ACS began in 2005; the bound above only
// catches typos, the data says which years it has (Run checks).
const (
	firstYear = 2005
	lastYear  = 2100
)

func (y Years) validate(key string) error {
	switch {
	case y.Base == 0 || y.End == 0:
		return fieldf(key, ": base and end are required")
	case y.Base < firstYear || y.End > lastYear:
		return fieldf(key, "%s: outside %d-%d (ACS began in %d)", y, firstYear, lastYear, firstYear)
	case y.Base >= y.End:
		return fieldf(key, "%s: base must come before end", y)
	}
	return nil
}

var groupRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// cbsaRE is the form of a CBSA code.
var cbsaRE = regexp.MustCompile(`^[0-9]{5}$`)

func validateExclude(codes []string) error {
	for i, c := range codes {
		switch {
		case !cbsaRE.MatchString(c):
			return fieldf(fmt.Sprintf("exclude[%d]", i), "%q: a CBSA code is five digits", c)
		case slices.Contains(codes[:i], c):
			return fieldf(fmt.Sprintf("exclude[%d]", i), "%q is listed twice", c)
		}
	}
	return nil
}

func validateImmigrant(key string, source Source, group string) error {
	if source == Bundled && group != ForeignBorn {
		return fieldf(key+".group", "%q with source bundled: the bundled measure is the all-foreign-born share (group %s); NTCA and other origin groups need fetched B05006 (source acs1 or acs5)", group, ForeignBorn)
	}
	if !groupRE.MatchString(group) {
		return fieldf(key+".group", "%q: an origin group key is lower-case letters, digits and underscores", group)
	}
	return nil
}

func validateOffense(key string, o assay.Offense) error {
	if !slices.Contains(Offenses, o) {
		return fieldf(key, "%q: a study takes one of %s", o.Key(), offenseWords())
	}
	return nil
}

func (sel Selection) validate(key string) error {
	if err := checkTerm(key+".rule", sel.Rule, Rules); err != nil {
		return err
	}
	if sel.MinPopulation < 0 {
		return fieldf(key+".min_population", "%g: must not be negative", sel.MinPopulation)
	}
	if sel.Rule == All {
		if sel.N != 0 || sel.Pool != "" || sel.RankYear != "" {
			return fieldf(key, ": rule all takes no n, pool or rank_year")
		}
		return nil
	}
	if sel.N < MinMetros {
		return fieldf(key+".n", "%d: rule %s needs n of at least %d", sel.N, sel.Rule, MinMetros)
	}
	if err := checkTerm(key+".pool", sel.Pool, Pools); err != nil {
		return err
	}
	return checkTerm(key+".rank_year", sel.RankYear, RankYears)
}

// MinMetros is the fewest metros a correlation is computed on (Kendall's
// interval needs n > 4).
const MinMetros = 5

func (c Coverage) validate(key string) error {
	if !(c.Min >= 0 && c.Min <= 1) {
		return fieldf(key+".min", "%g: want a share between 0 and 1", c.Min)
	}
	return checkTerm(key+".match", c.Match, NameMatches)
}

func (e Estimation) validate() error {
	if err := firstError(checkTerms("estimation.estimators", e.Estimators, Estimators), checkTerm("estimation.weights", e.Weights, WeightsAll)); err != nil {
		return err
	}
	switch {
	case !(e.Level > 0 && e.Level < 1):
		return fieldf("estimation.level", "%g: want a confidence level between 0 and 1", e.Level)
	case e.Permutations < 0 || e.Permutations > stats.MaxPermutations:
		return fieldf("estimation.permutations", "%d: want 0 (none) to %d", e.Permutations, stats.MaxPermutations)
	case e.Bootstrap != 0 && (e.Bootstrap < stats.MinBootstrap(e.Level) || e.Bootstrap > stats.MaxBootstrap):
		return fieldf("estimation.bootstrap", "%d: want 0 (none) or %d to %d resamples at level %g", e.Bootstrap, stats.MinBootstrap(e.Level), stats.MaxBootstrap, e.Level)
	case e.PowerN < 4:
		return fieldf("estimation.power_n", "%d: power needs at least 4 metros", e.PowerN)
	}
	return nil
}

func (p *Panel) validate() error {
	if p.From == 0 || p.To == 0 {
		return fieldf("panel", ": from and to are required")
	}
	if p.From >= p.To {
		return fieldf("panel.from", "%d: must come before to %d", p.From, p.To)
	}
	return firstError(
		checkTerm("panel.form", p.Form, PanelForms),
		checkTerm("panel.measure", p.Measure, PanelMeasures),
		checkTerm("panel.interpolation", p.Interpolation, Interpolations),
		validateOffense("panel.offense", *p.Offense),
		checkTerms("panel.estimators", p.Estimators, PanelEstimators),
	)
}

func (s *Spec) validateGrid() error {
	g := s.Grid
	for i, y := range g.Years {
		if err := y.validate(fmt.Sprintf("grid.years[%d]", i)); err != nil {
			return err
		}
	}
	if err := checkTerms("grid.source", g.Source, Sources); err != nil {
		return err
	}
	for _, src := range orDefault(g.Source, s.Immigrant.Source) {
		for _, grp := range orDefault(g.Group, s.Immigrant.Group) {
			if err := validateImmigrant("grid", src, grp); err != nil {
				return err
			}
		}
	}
	if err := firstError(
		checkTerms("grid.measure", g.Measure, Measures), checkTerms("grid.change", g.Change, Changes),
		checkTerms("grid.weights", g.Weights, WeightsAll), checkTerms("grid.estimators", g.Estimators, Estimators),
	); err != nil {
		return err
	}
	for _, o := range g.Offense {
		if err := validateOffense("grid.offense", o); err != nil {
			return err
		}
	}
	for i, sel := range g.Selection {
		if err := sel.validate(fmt.Sprintf("grid.selection[%d]", i)); err != nil {
			return err
		}
	}
	for i, c := range g.Coverage {
		if err := c.validate(fmt.Sprintf("grid.coverage[%d]", i)); err != nil {
			return err
		}
	}
	if g.Permutations < 0 || g.Permutations > stats.MaxPermutations {
		return fieldf("grid.permutations", "%d: want 0 (none) to %d", g.Permutations, stats.MaxPermutations)
	}
	return nil
}

// checkTerms checks a list of vocabulary values, failing on the first
// not allowed.
func checkTerms[T ~string](key string, vs, allowed []T) error {
	for _, v := range vs {
		if err := checkTerm(key, v, allowed); err != nil {
			return err
		}
	}
	return nil
}

// firstError is the first failed check in the order given, so a spec with
// several mistakes always reports the same one.
func firstError(checks ...error) error {
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	return nil
}

func orDefault[T any](alts []T, base T) []T {
	if len(alts) == 0 {
		return []T{base}
	}
	return alts
}
