package blanchard2019

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/textfmt"
	"github.com/assaylab/assay/stats"
	"github.com/assaylab/assay/study"
)

// inputs names the files behind the metro analyses.
func (rep *Reproduction) inputs(years ...int) []string {
	ds := rep.ds
	var out []string
	add := func(s string) {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, r := range ds.Crime {
		if slices.Contains(years, r.Year) {
			add(fmt.Sprintf("FBI Table 6 %d: %s", r.Year, r.Source))
		}
	}
	if rep.HasNTCA {
		for _, c := range ds.OriginCounts {
			if c.Group == rep.Group && c.Product == string(rep.Source) && slices.Contains(years, c.Year) {
				add(fmt.Sprintf("ACS %s B05006+B01003 %d: %s", c.Product, c.Year, c.Source))
			}
		}
	} else {
		for _, src := range ds.Sources {
			if src.Kind == assay.SourceCountyNativity {
				add(fmt.Sprintf("ACS 5-year county nativity %s: %s", study.Period5(src.Year), src.Path))
			}
		}
	}
	slices.Sort(out)
	return out
}

func fmtCorr(f assay.Finding) string {
	return fmt.Sprintf("r = %s (95%% CI %s to %s; %s = %s; n = %d)", textfmt.F2(f.Estimate), textfmt.F2(f.CILow), textfmt.F2(f.CIHigh), study.PValueName(f), textfmt.P(study.PValue(f)), f.N)
}

// rangeOf describes the spread of one outcome's r across the rules.
func (rep *Reproduction) rangeOf(pick func(RuleResult) *RuleEstimate) (lo, hi float64, sig, n int) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, rr := range rep.Rules {
		e := pick(rr)
		if e == nil || !e.Pearson.Estimate.Valid {
			continue
		}
		n++
		lo, hi = math.Min(lo, e.Pearson.Estimate.V), math.Max(hi, e.Pearson.Estimate.V)
		if p := study.PValue(e.Pearson); p.Valid && p.V < study.Alpha {
			sig++
		}
	}
	return lo, hi, sig, n
}

func violentOf(rr RuleResult) *RuleEstimate { return rr.Violent }

// needB05006 names the data that would settle a claim the bundled data
// cannot.
var needB05006 = fmt.Sprintf("settled by metro ACS B05006 counts (El Salvador, Guatemala, Honduras) for %d and %d, not bundled (assay fetch census --table B05006)",
	paperYears.Base, paperYears.End)

// standIn is the caveat every stand-in result carries.
func (rep *Reproduction) standIn() string {
	return "stand-in measure: the all-foreign-born share, not the NTCA-born share the claim is about; " + needB05006
}

// selectionNotes are the caveats of every correlation claim.
func (rep *Reproduction) selectionNotes() []string {
	notes := []string{
		fmt.Sprintf("the paper publishes no metro list: the %d rules are readings of \"the %d metro areas with the highest NTCA concentration\"", len(rep.Rules), paperN),
		fmt.Sprintf("with %d metros a correlation is detected with %.0f%% power at the %.0f%% level only when |r| >= %.2f: \"no correlation\" can only mean none detectable",
			paperN, 100*study.TargetPower, 100*study.Alpha, rep.PaperMDC),
	}
	if rep.HasNTCA && len(rep.Unpaired) > 0 {
		notes = append(notes, fmt.Sprintf("ACS 2012 codes metros by the December 2009 delineation, ACS 2017 by the February 2013 one: %d metros with a 2017 count have no 2012 count under the same code and cannot be ranked (%s)",
			len(rep.Unpaired), textfmt.Few(rep.Unpaired, 5)))
	}
	return notes
}

func (rep *Reproduction) wp06() (assay.ClaimResult, error) {
	var cr assay.ClaimResult
	cr.Inputs = rep.inputs(paperYears.Base, paperYears.End)
	for _, rr := range rep.Rules {
		if rr.Violent != nil {
			cr.Findings = append(cr.Findings, rr.Violent.Pearson, rr.Violent.Slope)
		}
	}
	first := rep.Rules[0].Violent
	lo, hi, sig, n := rep.rangeOf(violentOf)
	notes := append(rep.selectionNotes(), study.RapeNote(assay.Violent, paperYears.Base, paperYears.End))
	if first == nil || n == 0 {
		cr.Verdict, cr.Computed = assay.NotCheckable, "too few metros with both violent-crime rates"
		cr.Note = strings.Join(notes, "; ")
		return cr, nil
	}
	cr.Value, cr.Low, cr.High = first.Pearson.Estimate, first.Pearson.CILow, first.Pearson.CIHigh
	summary := fmt.Sprintf("%s under the first rule; across %d rules r runs from %.2f to %.2f, %d of them significant at 5%%", fmtCorr(first.Pearson), n, lo, hi, sig)
	if !rep.HasNTCA {
		cr.Verdict = assay.NotCheckable
		cr.Computed = "stand-in only: " + summary
		cr.Note = strings.Join(append([]string{rep.standIn()}, notes...), "; ")
		return cr, nil
	}
	cr.Computed = summary
	cr.Verdict = byRules(n-sig, n)
	cr.Note = strings.Join(notes, "; ")
	return cr, nil
}

// byRules is the verdict when agree of the n selection rules bear a claim
// out: supported under all, contradicted under none, partly otherwise.
func byRules(agree, n int) assay.Verdict {
	switch agree {
	case n:
		return assay.Supported
	case 0:
		return assay.Contradicted
	}
	return assay.PartlySupported
}

func (rep *Reproduction) wp07() (assay.ClaimResult, error) {
	var cr assay.ClaimResult
	cr.Inputs = rep.inputs(paperYears.Base, paperYears.End)
	weaker, n := 0, 0
	var parts []string
	for _, rr := range rep.Rules {
		if rr.Violent == nil || rr.Murder == nil {
			continue
		}
		cr.Findings = append(cr.Findings, rr.Murder.Pearson, rr.Murder.Slope)
		n++
		v, m := rr.Violent.Pearson.Estimate.V, rr.Murder.Pearson.Estimate.V
		if math.Abs(m) < math.Abs(v) {
			weaker++
		}
		parts = append(parts, fmt.Sprintf("%s: murder r = %.2f vs violent r = %.2f", rr.Rule.Key, m, v))
	}
	notes := rep.selectionNotes()
	if n == 0 {
		cr.Verdict, cr.Computed = assay.NotCheckable, "too few metros with both outcomes"
		cr.Note = strings.Join(notes, "; ")
		return cr, nil
	}
	summary := fmt.Sprintf("|r| for murder is smaller than for violent crime under %d of %d rules (%s)", weaker, n, strings.Join(parts, "; "))
	if d := rep.MurderMinusViolent; d != nil {
		cr.Value, cr.Low, cr.High = assay.Some(d.Estimate), assay.Some(d.Low), assay.Some(d.High)
		summary += fmt.Sprintf("; under the first rule |r murder| - |r violent| = %.2f, 95%% bootstrap interval %.2f to %.2f (%d metros with both)", d.Estimate, d.Low, d.High, d.N)
		if d.Low < 0 && d.High > 0 {
			notes = append(notes, "the difference between the two correlations is within sampling error: \"weaker still\" is not a finding these data can establish either way")
		}
	}
	if !rep.HasNTCA {
		cr.Verdict, cr.Computed = assay.NotCheckable, "stand-in only: "+summary
		cr.Note = strings.Join(append([]string{rep.standIn()}, notes...), "; ")
		return cr, nil
	}
	cr.Computed = summary
	cr.Verdict = byRules(weaker, n)
	cr.Note = strings.Join(notes, "; ")
	return cr, nil
}

func (rep *Reproduction) wp08() (assay.ClaimResult, error) {
	var cr assay.ClaimResult
	cr.Inputs = rep.inputs(paperYears.Base, paperYears.End)
	context := fmt.Sprintf("of all %d metros the FBI published with a murder rate in both years, murder fell in %d (%.0f%%)", rep.AllMetros.N, rep.AllMetros.Fell, percentOf(rep.AllMetros.Fell, rep.AllMetros.N))
	if nat := rep.National; nat != nil {
		context += fmt.Sprintf("; the national murder rate went from %.1f to %.1f per 100,000 (%+.0f%%, %s)", nat.FromRate, nat.ToRate, nat.Percent, nat.Source)
		cr.Inputs = append(cr.Inputs, "national series: "+nat.Source)
	}
	h := rep.Rules[0].Homicide
	if rep.Rules[0].Murder == nil || h.N == 0 {
		cr.Verdict, cr.Computed, cr.Note = assay.NotCheckable, "too few metros with both murder rates; "+context, needB05006
		return cr, nil
	}
	cr.Value = assay.Some(float64(h.FellAndRose) / float64(h.N))
	var parts []string
	for _, rr := range rep.Rules {
		if rr.Murder == nil {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %d/%d", rr.Rule.Key, rr.Homicide.FellAndRose, rr.Homicide.N))
		if rr.Homicide.N > 0 {
			f, err := proportionFinding(rep, rr.Rule.Key, "fell_and_rose",
				"share of the metros where the murder rate fell while the immigrant share rose (beyond its margin of error where published)",
				rr.Homicide.FellAndRose, rr.Homicide.N)
			if err != nil {
				return cr, err
			}
			cr.Findings = append(cr.Findings, f)
		}
	}
	rose := fmt.Sprintf("the share rose in %d", h.ShareRose)
	if h.MOEKnown {
		rose += fmt.Sprintf(" (by more than its 90%% margin of error in %d)", h.ShareRoseBeyondMOE)
	}
	summary := fmt.Sprintf("first rule: murder fell in %d of %d metros, %s, both in %d (%.0f%%); by rule: %s. Context: %s",
		h.Fell, h.N, rose, h.FellAndRose, percentOf(h.FellAndRose, h.N), strings.Join(parts, ", "), context)
	note := "\"vast majority\" is read as at least two thirds; \"rose significantly\" as a rise beyond the 90% margin of error of the difference"
	if !rep.HasNTCA {
		cr.Verdict, cr.Computed = assay.NotCheckable, "stand-in only: "+summary
		cr.Note = rep.standIn() + "; " + note
		return cr, nil
	}
	cr.Computed = summary
	switch {
	case float64(h.FellAndRose) >= vastMajority*float64(h.N):
		cr.Verdict = assay.Supported
	case 2*h.FellAndRose > h.N || 2*h.Fell > h.N:
		cr.Verdict = assay.PartlySupported
	default:
		cr.Verdict = assay.Contradicted
	}
	cr.Note = note
	return cr, nil
}

// vastMajority is how "the vast majority" of WP08 is read: two thirds.
const vastMajority = 2.0 / 3

// proportionFinding is k of n metros as a finding, with the Wilson score
// interval at 95%.
func proportionFinding(rep *Reproduction, rule, term, label string, k, n int) (assay.Finding, error) {
	lo, hi, err := stats.Wilson(k, n, proportionLevel)
	if err != nil {
		return assay.Finding{}, fmt.Errorf("%s %s: %w", rule, term, err)
	}
	return assay.Finding{Study: Name, Label: label, Estimator: "proportion_wilson", Term: term, N: n,
		Spec:     map[string]string{"rule": rule, "years": rep.Years.String(), "source": string(rep.Source), "group": rep.Group},
		Estimate: assay.Some(float64(k) / float64(n)), CILow: assay.Some(lo), CIHigh: assay.Some(hi),
		Notes: []string{fmt.Sprintf("%d of %d metros", k, n)}}, nil
}

// proportionLevel is the confidence level of the proportions' intervals.
const proportionLevel = 0.95

func percentOf(k, n int) float64 {
	if n == 0 {
		return math.NaN()
	}
	return 100 * float64(k) / float64(n)
}

func (rep *Reproduction) wp09() (assay.ClaimResult, error) {
	var cr assay.ClaimResult
	c := rep.Columbus
	var years []int
	for _, p := range c.Published {
		years = append(years, p.Year)
	}
	cr.Inputs = rep.inputs(years...)
	for _, a := range rep.ds.Agencies {
		if c.CityPaperYears != nil && a.ORI == columbusORI && a.Year == c.CityPaperYears.From {
			cr.Inputs = append(cr.Inputs, "The Marshall Project's UCR agency panel (City of Columbus police, "+columbusORI+"): "+a.Source)
		}
	}
	var facts []string
	facts = append(facts, fmt.Sprintf("the FBI published the %s MSA in %s", columbusArea, textfmt.Years(years)))
	if c.PaperYears == nil {
		missingYears := []int{paperYears.Base, paperYears.End}
		missingYears = slices.DeleteFunc(missingYears, func(y int) bool { return slices.Contains(years, y) })
		facts = append(facts, fmt.Sprintf("not in %s: its %s homicide change cannot come from Table 6", textfmt.Years(missingYears), paperYears))
	} else {
		facts = append(facts, fmt.Sprintf("its murder rate went from %.1f to %.1f (%+.0f%%)", c.PaperYears.FromRate, c.PaperYears.ToRate, c.PaperYears.Percent))
		cr.Value = assay.Some(c.PaperYears.Percent)
	}
	for _, ch := range []struct {
		what string
		c    *Change
	}{{"MSA", c.Nearest}, {"MSA", c.AfterGap}, {"Table 6 City of Columbus row", c.CityChange}} {
		if ch.c != nil && (c.PaperYears == nil || ch.c.From != paperYears.Base) {
			facts = append(facts, fmt.Sprintf("%s murder rate %d %.1f -> %d %.1f (%+.0f%%)", ch.what, ch.c.From, ch.c.FromRate, ch.c.To, ch.c.ToRate, ch.c.Percent))
		}
	}
	facts = append(facts, cityFacts(c)...)
	if rep.National != nil {
		facts = append(facts, fmt.Sprintf("national %+.0f%%", rep.National.Percent))
	}
	if c.ForeignBornBase.Valid && c.ForeignBornEnd.Valid {
		facts = append(facts, fmt.Sprintf("its all-foreign-born share went from %.1f%% to %.1f%% (not the NTCA share)", 100*c.ForeignBornBase.V, 100*c.ForeignBornEnd.V))
	}
	for _, ch := range []struct {
		term string
		c    *Change
	}{{"msa_paper_years", c.PaperYears}, {"msa_nearest_years", c.Nearest}, {"msa_after_gap", c.AfterGap}, {"city_nearest_years", c.CityChange},
		{"city_paper_years", c.CityPaperYears}} {
		if ch.c != nil {
			f := assay.Finding{Study: Name, Estimator: "percent_change", Term: ch.term, N: 1,
				Label: fmt.Sprintf("%s murder rate, percent change %d-%d (%s)", columbusArea, ch.c.From, ch.c.To, strings.ReplaceAll(ch.term, "_", " ")),
				Spec:  map[string]string{"cbsa": columbusCBSA, "years": fmt.Sprintf("%d-%d", ch.c.From, ch.c.To)}, Estimate: assay.Some(ch.c.Percent)}
			if ch.c.Source != "" {
				f.Spec["ori"] = columbusORI
				f.Notes = []string{"the City of Columbus police, not the metro; " + ch.c.Source}
			}
			cr.Findings = append(cr.Findings, f)
		}
	}
	if !rep.HasNTCA {
		cr.Verdict = assay.NotCheckable
		cr.Computed = strings.Join(facts, "; ")
		cr.Note = "whether Columbus's NTCA share fell, and whether it was the only one, is " + needB05006
		return cr, nil
	}
	if c.NTCABase.Value.Valid && c.NTCAEnd.Value.Valid {
		ch := study.ShareChange(study.Row{BaseShare: c.NTCABase, EndShare: c.NTCAEnd})
		facts = append(facts, fmt.Sprintf("its NTCA-born share went from %.2f%% to %.2f%% (change %+.2f points, 90%% MOE %s)",
			100*c.NTCABase.Value.V, 100*c.NTCAEnd.Value.V, 100*ch.Value.V, moePoints(ch.MOE)))
	}
	only, fellElsewhere := 0, 0
	var parts []string
	for _, rr := range rep.Rules {
		var names []string
		hasColumbus := false
		for _, r := range rr.ShareFell {
			names = append(names, r.Title)
			hasColumbus = hasColumbus || r.CBSA == columbusCBSA
		}
		switch {
		case hasColumbus && len(names) == 1:
			only++
		case len(names) > 0:
			fellElsewhere++
		}
		parts = append(parts, fmt.Sprintf("%s: %s", rr.Rule.Key, textfmt.Few(names, 5)))
	}
	facts = append(facts, "metros whose NTCA share fell, by rule: "+strings.Join(parts, "; "))
	cr.Computed = strings.Join(facts, "; ")
	rise := c.Nearest
	if c.PaperYears != nil {
		rise = c.PaperYears
	}
	aboutTwenty := rise != nil && rise.Percent >= aboutTwentyLow && rise.Percent <= aboutTwentyHigh
	switch {
	case only > 0 && aboutTwenty:
		cr.Verdict = assay.Supported
	case only == 0 && fellElsewhere == len(rep.Rules):
		cr.Verdict = assay.Contradicted
	default:
		cr.Verdict = assay.PartlySupported
	}
	cr.Note = strings.Join(columbusNotes(c), "; ")
	return cr, nil
}

// cityFacts states what the agency panel adds about the City of Columbus:
// its 2012→2017 change across the two publications, and how far the two
// agree in the years both give.
func cityFacts(c Columbus) []string {
	ch := c.CityPaperYears
	if ch == nil {
		return nil
	}
	var murders [2]assay.Num
	for _, p := range c.Agency {
		if p.Year == ch.From {
			murders[0] = p.Count
		}
	}
	for _, p := range c.City {
		if p.Year == ch.To {
			murders[1] = p.Count
		}
	}
	facts := []string{fmt.Sprintf("City of Columbus (the police agency, not the metro) murder rate %d %.1f (%s murders, The Marshall Project's agency panel) -> %d %.1f (%s, Table 6's City of Columbus row) (%+.0f%%; the paper's ~20%% is about the metro)",
		ch.From, ch.FromRate, murders[0], ch.To, ch.ToRate, murders[1], ch.Percent)}
	var years []int
	var same, differ []string
	for _, o := range c.CityOverlap {
		years = append(years, o.Year)
		if o.Agency.Count == o.Table6.Count {
			same = append(same, fmt.Sprint(o.Year))
		} else {
			differ = append(differ, fmt.Sprintf("%d (%s vs %s)", o.Year, o.Agency.Count, o.Table6.Count))
		}
	}
	if len(years) > 0 {
		facts = append(facts, fmt.Sprintf("the two publications both give %s: the same murders in %s; different in %s (panel vs Table 6)",
			textfmt.Years(years), textfmt.OrNone(same), textfmt.OrNone(differ)))
	}
	return facts
}

func moePoints(m assay.Num) string {
	if !m.Valid {
		return "not published"
	}
	return fmt.Sprintf("%.2f points", 100*m.V)
}

func (rep *Reproduction) wp10() (assay.ClaimResult, error) {
	var cr assay.ClaimResult
	mv := rep.MostViolent
	cr.Inputs = rep.inputs(mv.Year)
	var top []string
	for _, v := range mv.Top {
		s := fmt.Sprintf("%d. %s %.0f", v.Rank, v.Name, v.Rate.V)
		if v.ForeignBornRank > 0 {
			s += fmt.Sprintf(" (foreign-born %.1f%%, #%d of %d)", 100*v.ForeignBornShare.V, v.ForeignBornRank, mv.ForeignBornMetros)
		}
		top = append(top, s)
	}
	unranked := fmt.Sprintf("%d MSAs published without a %d violent rate cannot be ranked: %s", len(mv.Unranked), mv.Year, strings.Join(mv.Unranked, "; "))
	facts := fmt.Sprintf("the %d highest %d violent-crime rates among %d ranked MSAs: %s", len(mv.Top), mv.Year, mv.Ranked, strings.Join(top, "; "))
	if !rep.HasNTCA {
		cr.Verdict = assay.NotCheckable
		cr.Computed = facts
		cr.Note = fmt.Sprintf("%s. Which metros are the %d high-NTCA ones is %s", unranked, paperN, needB05006)
		return cr, nil
	}
	none, some := 0, 0
	var parts []string
	for _, rr := range rep.Rules {
		if rr.Selected > 0 {
			f, err := proportionFinding(rep, rr.Rule.Key, "in_top10",
				fmt.Sprintf("share of the selected metros among the %d highest %d violent-crime rates", topViolent, mv.Year), len(rr.InTop10), rr.Selected)
			if err != nil {
				return cr, err
			}
			cr.Findings = append(cr.Findings, f)
		}
		if len(rr.InTop10) == 0 {
			none++
		} else {
			some++
		}
		s := fmt.Sprintf("%s: %s in the top %d", rr.Rule.Key, textfmt.OrNone(rr.InTop10), topViolent)
		if len(rr.Unranked) > 0 {
			s += fmt.Sprintf(" (%s unranked)", strings.Join(rr.Unranked, ", "))
		}
		parts = append(parts, s)
	}
	cr.Value = assay.Some(float64(len(rep.Rules[0].InTop10)))
	cr.Computed = facts + "; " + strings.Join(parts, "; ")
	cr.Verdict = byRules(none, none+some)
	cr.Note = unranked
	return cr, nil
}

// "About 20 percent" (WP09) is read as a rise between these percentages.
const (
	aboutTwentyLow  = 10
	aboutTwentyHigh = 30
)

// columbusNotes say why the data and the paper may differ on Columbus:
// each sentence states what the data shows, whichever way it goes.
func columbusNotes(c Columbus) []string {
	var notes []string
	if c.PaperYears == nil {
		notes = append(notes, fmt.Sprintf("the FBI's Table 6 has no %s block for %d or %d, so no %s MSA homicide change exists to compare with the paper's ~20%%; rules ranking only FBI-published metros cannot include Columbus at all",
			columbusArea, paperYears.Base, paperYears.End, paperYears))
	} else {
		notes = append(notes, fmt.Sprintf("the MSA's %s murder rate changed %+.0f%% in Table 6, against the paper's ~20%%", paperYears, c.PaperYears.Percent))
	}
	if ch := c.CityPaperYears; ch != nil {
		notes = append(notes, fmt.Sprintf("the City of Columbus's %d-%d change (The Marshall Project's agency panel for %d, Table 6 for %d) is the city's, not the metro's, and does not enter the verdict",
			ch.From, ch.To, ch.From, ch.To))
	}
	return append(notes, fmt.Sprintf("\"about 20 percent\" is read as %d-%d%%", aboutTwentyLow, aboutTwentyHigh))
}
