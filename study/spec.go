// Package study runs declarative studies of immigration and crime across
// U.S. metro areas: a TOML file (Spec) names the years, the immigrant
// measure, the crime outcome, how metros are chosen, the estimators and a
// robustness grid, and Run turns it into findings (assay.Finding) that the
// command line, the report and the dashboard all render. Reproduce runs the
// design of the January 2019 Justice in Mexico working paper and gives a
// verdict on its metro claims (WP06-WP10).
package study

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/assaylab/assay/census"
)

// Spec is one study as its TOML file states it. Parse fills the defaults
// and validates; docs/study.md documents every key.
type Spec struct {
	Name        string `toml:"name" json:"name"`
	Title       string `toml:"title" json:"title"`
	Description string `toml:"description" json:"description,omitempty"`
	// Vintage is the OMB delineation the metros are coded in; empty means
	// the one the data was ingested against.
	Vintage    string     `toml:"vintage" json:"vintage,omitempty"`
	Years      Years      `toml:"years" json:"years"`
	Immigrant  Immigrant  `toml:"immigrant" json:"immigrant"`
	Outcome    Outcome    `toml:"outcome" json:"outcome"`
	Selection  Selection  `toml:"selection" json:"selection"`
	Coverage   Coverage   `toml:"coverage" json:"coverage"`
	Estimation Estimation `toml:"estimation" json:"estimation"`
	Panel      *Panel     `toml:"panel" json:"panel,omitempty"`
	Grid       Grid       `toml:"grid" json:"grid"`

	// Dir is the directory of the study file, against which groups_file
	// and census_dir are read; empty for built-in studies.
	Dir string `toml:"-" json:"-"`
}

// Years are the two years a cross-sectional study compares.
type Years struct {
	Base int `toml:"base" json:"base"`
	End  int `toml:"end" json:"end"`
}

func (y Years) String() string { return fmt.Sprintf("%d-%d", y.Base, y.End) }

// Immigrant says which measure of the immigrant population is used.
type Immigrant struct {
	// Source is "acs1" or "acs5" (metro B05006 counts a user fetched) or
	// "bundled" (the all-foreign-born share of each metro, summed from
	// ACS 5-year county data and embedded in assay).
	Source string `toml:"source" json:"source"`
	// Group is an origin group key: ntca, mexico, central_america,
	// foreign_born, or one defined in GroupsFile.
	Group string `toml:"group" json:"group"`
	// Measure is share, log_share, pp_change or pct_change.
	Measure string `toml:"measure" json:"measure"`
	// GroupsFile defines further groups (census groups.toml's shape);
	// their counts are computed from the fetched files in CensusDir.
	GroupsFile string `toml:"groups_file" json:"groups_file,omitempty"`
	CensusDir  string `toml:"census_dir" json:"census_dir,omitempty"`
}

// Outcome is the crime measure.
type Outcome struct {
	Offense string `toml:"offense" json:"offense"` // violent, murder, robbery, aggravated_assault, property
	Change  string `toml:"change" json:"change"`   // rate_change, pct_change, log_ratio
}

// Selection is the rule that picks the metros.
type Selection struct {
	// Rule is all, top_count (the N metros with the largest immigrant
	// count) or top_share (the N with the largest share).
	Rule string `toml:"rule" json:"rule"`
	N    int    `toml:"n" json:"n,omitempty"`
	// Pool is where the top N are ranked: "census" (every metro with the
	// immigrant measure; those the FBI did not publish in both years then
	// drop out, leaving fewer than N) or "fbi" (only metros the FBI
	// published in both years, so N remain).
	Pool string `toml:"pool" json:"pool,omitempty"`
	// RankYear is base or end: the year whose count or share ranks.
	RankYear string `toml:"rank_year" json:"rank_year,omitempty"`
	// MinPopulation leaves out metros smaller than this (Census total
	// population in the rank year) before ranking.
	MinPopulation float64 `toml:"min_population" json:"min_population,omitempty"`
}

// Coverage filters the FBI records.
type Coverage struct {
	// Min is the smallest share of the population in reporting agencies
	// a metro needs in both years; 0 keeps every block the FBI published
	// (its own rule).
	Min float64 `toml:"min" json:"min"`
	// Match is any, or exact to keep only FBI names that matched a CBSA
	// title exactly or after normalization (no alias, no first-city match).
	Match string `toml:"match" json:"match"`
}

// Estimation lists the estimators and their inference settings.
type Estimation struct {
	// Estimators: pearson, spearman, kendall, ols (HC3), wls (HC3,
	// weighted by population).
	Estimators []string `toml:"estimators" json:"estimators"`
	// Weights is none or population; it weights pearson and ols (ols
	// weighted is WLS). Rank correlations have no weighted form.
	Weights      string  `toml:"weights" json:"weights"`
	Level        float64 `toml:"level" json:"level"`
	Permutations int     `toml:"permutations" json:"permutations"`
	Bootstrap    int     `toml:"bootstrap" json:"bootstrap"`
	Seed         uint64  `toml:"seed" json:"seed"`
	// PowerN is the number of metros power is reported for beside the
	// study's own (27, the paper's).
	PowerN int `toml:"power_n" json:"power_n"`
}

// Panel is the optional metro-year panel of a study.
type Panel struct {
	From    int    `toml:"from" json:"from"`
	To      int    `toml:"to" json:"to"`
	Offense string `toml:"offense" json:"offense"`
	// Form is the outcome of the linear estimators: rate or log_rate
	// (Poisson always models counts with log population as exposure).
	Form string `toml:"form" json:"form"`
	// Measure is share (in percent) or log_share.
	Measure string `toml:"measure" json:"measure"`
	// Interpolation is observed (only the years with a measured immigrant
	// share) or linear (straight lines between the measured years, the
	// nearest line extended beyond them; docs/study.md says what that
	// does to inference).
	Interpolation string   `toml:"interpolation" json:"interpolation"`
	Estimators    []string `toml:"estimators" json:"estimators"`
}

// Grid lists alternatives per dimension: the multiverse is every
// combination. An empty list keeps the study's own choice.
type Grid struct {
	Years      []Years     `toml:"years" json:"years,omitempty"`
	Source     []string    `toml:"source" json:"source,omitempty"`
	Group      []string    `toml:"group" json:"group,omitempty"`
	Measure    []string    `toml:"measure" json:"measure,omitempty"`
	Offense    []string    `toml:"offense" json:"offense,omitempty"`
	Change     []string    `toml:"change" json:"change,omitempty"`
	Selection  []Selection `toml:"selection" json:"selection,omitempty"`
	Coverage   []Coverage  `toml:"coverage" json:"coverage,omitempty"`
	Weights    []string    `toml:"weights" json:"weights,omitempty"`
	Estimators []string    `toml:"estimators" json:"estimators,omitempty"`
	// Permutations per specification (the multiverse runs many); 0 means
	// analytic p-values only.
	Permutations int `toml:"permutations" json:"permutations"`
}

// The values each dimension accepts.
var (
	sources      = []string{"acs1", "acs5", "bundled"}
	measures     = []string{"share", "log_share", "pp_change", "pct_change"}
	offenses     = []string{"violent", "murder", "robbery", "aggravated_assault", "property"}
	changes      = []string{"rate_change", "pct_change", "log_ratio"}
	rules        = []string{"all", "top_count", "top_share"}
	pools        = []string{"census", "fbi"}
	rankYears    = []string{"base", "end"}
	matches      = []string{"any", "exact"}
	estimators   = []string{"pearson", "spearman", "kendall", "ols", "wls"}
	weightings   = []string{"none", "population"}
	panelEsts    = []string{"fe", "fd", "poisson"}
	panelForms   = []string{"rate", "log_rate"}
	panelMeas    = []string{"share", "log_share"}
	interpolates = []string{"observed", "linear"}
)

// Bundled is the Source of the all-foreign-born share embedded in assay.
const Bundled = "bundled"

// ForeignBorn is the only group the bundled source measures.
const ForeignBorn = "foreign_born"

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_]*$`)

// Parse reads a study from TOML, strictly: a key the Spec does not know is
// an error naming it and its line. name labels errors (a file name).
func Parse(r io.Reader, name string) (*Spec, error) { return parse(r, name, "") }

// parse reads a study whose relative paths are relative to dir.
func parse(r io.Reader, name, dir string) (*Spec, error) {
	s := Spec{Dir: dir}
	dec := toml.NewDecoder(r).DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, decodeError(name, err)
	}
	s.defaults()
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("study %s: %w", name, err)
	}
	return &s, nil
}

// decodeError names the key and line of what went wrong.
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
		return fmt.Errorf("study %s line %d column %d: %v", name, row, col, err)
	}
	return fmt.Errorf("study %s: %w", name, err)
}

// Load reads a study file.
func Load(file string) (*Spec, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return parse(bytes.NewReader(b), file, filepath.Dir(file))
}

//go:embed builtin/*.toml
var builtinFS embed.FS

// BuiltinPrefix marks a built-in study on the command line (builtin:NAME).
const BuiltinPrefix = "builtin:"

// Builtins lists the built-in studies by name.
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
	setStr := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	setStr(&s.Immigrant.Source, Bundled)
	if s.Immigrant.Source == Bundled {
		setStr(&s.Immigrant.Group, ForeignBorn)
	}
	setStr(&s.Immigrant.Group, "ntca")
	setStr(&s.Immigrant.Measure, "pp_change")
	setStr(&s.Outcome.Offense, "violent")
	setStr(&s.Outcome.Change, "rate_change")
	s.Selection.defaults()
	for i := range s.Grid.Selection {
		s.Grid.Selection[i].defaults()
	}
	setStr(&s.Coverage.Match, "any")
	for i := range s.Grid.Coverage {
		setStr(&s.Grid.Coverage[i].Match, "any")
	}
	e := &s.Estimation
	if len(e.Estimators) == 0 {
		e.Estimators = []string{"pearson"}
	}
	setStr(&e.Weights, "none")
	if e.Level == 0 {
		e.Level = 0.95
	}
	if e.Seed == 0 {
		e.Seed = 1
	}
	if e.PowerN == 0 {
		e.PowerN = 27
	}
	if p := s.Panel; p != nil {
		setStr(&p.Offense, "murder")
		setStr(&p.Form, "rate")
		setStr(&p.Measure, "share")
		setStr(&p.Interpolation, "observed")
		if len(p.Estimators) == 0 {
			p.Estimators = []string{"fe", "fd", "poisson"}
		}
	}
}

func (s *Selection) defaults() {
	if s.Rule == "" {
		s.Rule = "all"
	}
	if s.Rule != "all" {
		if s.Pool == "" {
			s.Pool = "census"
		}
		if s.RankYear == "" {
			s.RankYear = "base"
		}
	}
}

func oneOf(field, v string, allowed []string) error {
	if slices.Contains(allowed, v) {
		return nil
	}
	return fmt.Errorf("%s %q: want one of %s", field, v, strings.Join(allowed, ", "))
}

// Validate checks every choice, the grid's alternatives included.
func (s *Spec) Validate() error {
	switch {
	case s.Name == "":
		return errors.New("name is required")
	case !nameRE.MatchString(s.Name):
		return fmt.Errorf("name %q: use lower-case letters, digits and underscores", s.Name)
	case s.Title == "":
		return errors.New("title is required")
	}
	if err := s.Years.validate("years"); err != nil {
		return err
	}
	if err := s.validateImmigrant(s.Immigrant.Source, s.Immigrant.Group); err != nil {
		return err
	}
	if err := oneOf("immigrant.measure", s.Immigrant.Measure, measures); err != nil {
		return err
	}
	if err := oneOf("outcome.offense", s.Outcome.Offense, offenses); err != nil {
		return err
	}
	if err := oneOf("outcome.change", s.Outcome.Change, changes); err != nil {
		return err
	}
	if err := s.Selection.validate("selection"); err != nil {
		return err
	}
	if err := s.Coverage.validate("coverage"); err != nil {
		return err
	}
	if err := s.Estimation.validate(); err != nil {
		return err
	}
	if s.Panel != nil {
		if err := s.Panel.validate(); err != nil {
			return err
		}
	}
	return s.validateGrid()
}

func (y Years) validate(field string) error {
	switch {
	case y.Base == 0 || y.End == 0:
		return fmt.Errorf("%s: base and end are required", field)
	case y.Base < 2005 || y.End > 2100:
		return fmt.Errorf("%s %s: outside 2005-2100 (ACS began in 2005)", field, y)
	case y.Base >= y.End:
		return fmt.Errorf("%s %s: base must come before end", field, y)
	}
	return nil
}

func (s *Spec) validateImmigrant(source, group string) error {
	im := s.Immigrant
	if err := oneOf("immigrant.source", source, sources); err != nil {
		return err
	}
	if source == Bundled {
		if group != ForeignBorn {
			return fmt.Errorf("immigrant.group %q with source bundled: the bundled measure is the all-foreign-born share (group foreign_born); NTCA and other origin groups need fetched B05006 (source acs1 or acs5)", group)
		}
		if im.GroupsFile != "" {
			return errors.New("immigrant.groups_file needs source acs1 or acs5: the bundled measure has no origin groups")
		}
		return nil
	}
	groups, err := census.DefaultGroups()
	if err != nil {
		return err
	}
	if im.GroupsFile != "" {
		if im.CensusDir == "" {
			return errors.New("immigrant.groups_file needs immigrant.census_dir: the folder of fetched B05006 files its groups are counted from")
		}
		own, err := census.ReadGroupsFile(s.resolve(im.GroupsFile))
		if err != nil {
			return fmt.Errorf("immigrant.groups_file: %w", err)
		}
		groups = append(groups, own...)
	} else if im.CensusDir != "" {
		return errors.New("immigrant.census_dir is read only with immigrant.groups_file (default groups come from assay ingest --census)")
	}
	if _, ok := census.FindGroup(groups, group); !ok {
		keys := make([]string, len(groups))
		for i, g := range groups {
			keys[i] = g.Key
		}
		return fmt.Errorf("immigrant.group %q: want one of %s", group, strings.Join(keys, ", "))
	}
	return nil
}

// resolve reads a path in the study file relative to the file.
func (s *Spec) resolve(p string) string {
	if filepath.IsAbs(p) || s.Dir == "" {
		return p
	}
	return filepath.Join(s.Dir, p)
}

func (sel Selection) validate(field string) error {
	if err := oneOf(field+".rule", sel.Rule, rules); err != nil {
		return err
	}
	if sel.MinPopulation < 0 {
		return fmt.Errorf("%s.min_population %g: must not be negative", field, sel.MinPopulation)
	}
	if sel.Rule == "all" {
		if sel.N != 0 || sel.Pool != "" || sel.RankYear != "" {
			return fmt.Errorf("%s: rule all takes no n, pool or rank_year", field)
		}
		return nil
	}
	if sel.N < minMetros {
		return fmt.Errorf("%s.n %d: rule %s needs n of at least %d", field, sel.N, sel.Rule, minMetros)
	}
	if err := oneOf(field+".pool", sel.Pool, pools); err != nil {
		return err
	}
	return oneOf(field+".rank_year", sel.RankYear, rankYears)
}

// minMetros is the fewest metros a correlation is computed on (Kendall's
// interval needs n > 4).
const minMetros = 5

func (c Coverage) validate(field string) error {
	if !(c.Min >= 0 && c.Min <= 1) {
		return fmt.Errorf("%s.min %g: want a share between 0 and 1", field, c.Min)
	}
	return oneOf(field+".match", c.Match, matches)
}

func (e Estimation) validate() error {
	for _, est := range e.Estimators {
		if err := oneOf("estimation.estimators", est, estimators); err != nil {
			return err
		}
	}
	if err := oneOf("estimation.weights", e.Weights, weightings); err != nil {
		return err
	}
	switch {
	case !(e.Level > 0 && e.Level < 1):
		return fmt.Errorf("estimation.level %g: want a confidence level between 0 and 1", e.Level)
	case e.Permutations < 0 || e.Bootstrap < 0:
		return errors.New("estimation.permutations and estimation.bootstrap must not be negative")
	case e.PowerN < 4:
		return fmt.Errorf("estimation.power_n %d: power needs at least 4 metros", e.PowerN)
	}
	return nil
}

func (p *Panel) validate() error {
	if p.From == 0 || p.To == 0 {
		return errors.New("panel: from and to are required")
	}
	if p.From >= p.To {
		return fmt.Errorf("panel: from %d must come before to %d", p.From, p.To)
	}
	for _, c := range []struct {
		field, v string
		allowed  []string
	}{{"panel.offense", p.Offense, offenses}, {"panel.form", p.Form, panelForms},
		{"panel.measure", p.Measure, panelMeas}, {"panel.interpolation", p.Interpolation, interpolates}} {
		if err := oneOf(c.field, c.v, c.allowed); err != nil {
			return err
		}
	}
	for _, e := range p.Estimators {
		if err := oneOf("panel.estimators", e, panelEsts); err != nil {
			return err
		}
	}
	return nil
}

func (s *Spec) validateGrid() error {
	g := s.Grid
	for i, y := range g.Years {
		if err := y.validate(fmt.Sprintf("grid.years[%d]", i)); err != nil {
			return err
		}
	}
	for _, src := range orDefault(g.Source, s.Immigrant.Source) {
		for _, grp := range orDefault(g.Group, s.Immigrant.Group) {
			if err := s.validateImmigrant(src, grp); err != nil {
				return fmt.Errorf("grid: %w", err)
			}
		}
	}
	for _, c := range []struct {
		field   string
		vs      []string
		allowed []string
	}{{"grid.measure", g.Measure, measures}, {"grid.offense", g.Offense, offenses}, {"grid.change", g.Change, changes},
		{"grid.weights", g.Weights, weightings}, {"grid.estimators", g.Estimators, estimators}} {
		for _, v := range c.vs {
			if err := oneOf(c.field, v, c.allowed); err != nil {
				return err
			}
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
	if g.Permutations < 0 {
		return errors.New("grid.permutations must not be negative")
	}
	return nil
}

func orDefault[T any](alts []T, base T) []T {
	if len(alts) == 0 {
		return []T{base}
	}
	return alts
}
