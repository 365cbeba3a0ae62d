package report

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/chart"
	"github.com/assaylab/assay/claims"
	"github.com/assaylab/assay/internal/textfmt"
	"github.com/assaylab/assay/internal/version"
	"github.com/assaylab/assay/papers"
	"github.com/assaylab/assay/study"
)

// reportTitle heads every report.
const reportTitle = "Central American immigration and violent crime: what official U.S. data say about the claims"

// layout builds the figures from the findings and sets them in sections.
func (f *findings) layout(in Input) (*Report, error) {
	figs, err := f.figures()
	if err != nil {
		return nil, err
	}
	allR, err := pearsonOf(f.all)
	if err != nil {
		return nil, err
	}
	r := &Report{Title: reportTitle, Source: SourcePhrase(in.DB), Manifest: f.manifest(in), Synthetic: f.synthetic(), Ledger: f.ledger, Study: f.all}
	r.Headline = f.headline(allR)
	head := Section{ID: "headline", Title: "The answer in brief", Blocks: []Block{para(r.Headline)}}
	if r.Synthetic {
		head.Blocks = append([]Block{para(study.SyntheticBanner)}, head.Blocks...)
	}
	r.Sections = []Section{
		head,
		f.ledgerSection(),
		f.reproductionSection(figs),
		f.beyondSection(figs, allR),
		f.dataSection(r.Source),
		f.uncheckedSection(),
		f.reproduceSection(in),
	}
	for _, s := range r.Sections {
		r.Figures = append(r.Figures, s.figures()...)
	}
	for _, fig := range r.Figures {
		Credit(fig)
	}
	return r, nil
}

// Credit ends a figure's source line with the assay version that drew it,
// as every figure of the report and the dashboard is credited.
func Credit(fig *chart.Figure) { fig.Source += "; chart: assay " + version.String() }

// figures lists a section's figures, its subsections' after its own.
func (s Section) figures() []*chart.Figure {
	var out []*chart.Figure
	for _, b := range s.Blocks {
		if b.Figure != nil {
			out = append(out, b.Figure)
		}
	}
	for _, sub := range s.Subsections {
		out = append(out, sub.figures()...)
	}
	return out
}

// figures draws every figure of the report, by ID.
func (f *findings) figures() (map[string]*chart.Figure, error) {
	out := map[string]*chart.Figure{}
	add := func(fig *chart.Figure, err error) error {
		if err != nil {
			return err
		}
		out[fig.ID] = fig
		return nil
	}
	var picked []study.Row
	if len(f.rep.Rules) > 0 {
		picked = f.rep.Rules[0].Picked()
	}
	var pickedCodes []string
	for _, r := range picked {
		pickedCodes = append(pickedCodes, r.CBSA)
	}
	pr := f.panel.Panel
	for _, err := range []error{
		add(PaperScatter(f.rep, assay.Violent)),
		add(PaperScatter(f.rep, assay.Murder)),
		add(NationalCrime(f.ds.NationalSeries, f.ds.NationalNativity)),
		add(OriginSeries(f.ds.NationalNativity)),
		add(MetroRates(&f.ds.Panel, picked, assay.Violent, pr.From, pr.To)),
		add(MetroRates(&f.ds.Panel, picked, assay.Murder, pr.From, pr.To)),
		add(Columbus(f.rep.Columbus, f.rep.Years, table6Years(f.ds))),
		add(MostViolent(f.rep.MostViolent, f.rep.HasNTCA)),
		add(AllMetrosScatter(f.all)),
		add(Maps(f.ds, f.all, pickedCodes)),
		add(Power(f.all.Power)),
	} {
		if err != nil {
			return nil, err
		}
	}
	// A study of one specification has no multiverse to draw; its
	// section says nothing of one either.
	if f.all.Multiverse != nil {
		if err := add(SpecCurve(f.all)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// table6Years lists the years the data has FBI Table 6 for.
func table6Years(ds *assay.Dataset) []int {
	var ys []int
	for _, r := range ds.Crime {
		ys = append(ys, r.Year)
	}
	slices.Sort(ys)
	return slices.Compact(ys)
}

// verdictWords are the headline's words for each verdict's count.
var verdictWords = map[assay.Verdict]string{
	assay.Supported:       "%d supported",
	assay.PartlySupported: "%d partly supported",
	assay.Contradicted:    "%d contradicted",
	assay.ArithmeticError: "%d with an arithmetic error",
	assay.NotCheckable:    "%d not checkable with the bundled data",
}

// headline is the report's answer in one paragraph of plain words.
func (f *findings) headline(all assay.Finding) string {
	var parts []string
	for _, c := range claims.Tally(f.ledger.Results) {
		parts = append(parts, fmt.Sprintf(verdictWords[c.Verdict], c.N))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Of the %d numeric claims in the %d source texts, official data find %s. ", len(f.ledger.Results), len(papers.All), joinAnd(parts))
	var rs []float64
	picked := 0
	for _, rr := range f.rep.Rules {
		if rr.Violent != nil {
			rs = append(rs, rr.Violent.Pearson.Estimate.V)
			picked = cmp.Or(picked, rr.Selected)
		}
	}
	if len(rs) > 0 {
		span := fmt.Sprintf("r = %s to %s across %d readings of its %d-metro selection", textfmt.F2(assay.Some(slices.Min(rs))), textfmt.F2(assay.Some(slices.Max(rs))), len(rs), picked)
		if f.rep.HasNTCA {
			fmt.Fprintf(&b, "The paper's own test, the change in the NTCA-born share against the change in the violent-crime rate over %s, gives %s. ", yearSpan(f.rep.Years), span)
		} else {
			fmt.Fprintf(&b, "The paper's own test needs metro counts of people born in El Salvador, Guatemala and Honduras, which are not bundled; "+
				"with the share of all foreign-born residents as a stand-in, the change in the violent-crime rate over %s gives %s. ", yearSpan(f.rep.Years), span)
		}
	}
	x, y, _ := studyQuantities(all)
	fmt.Fprintf(&b, "Across %s, the %s and the %s give %s: %s. ", sampleWords(f.all), x.Name, y.Name, corrText(all, f.all.Spec.Estimation.Level), direction(all))
	if p := f.all.Power; p != nil {
		fmt.Fprintf(&b, "%d metros can detect only correlations of %s or more; %d metros detect %s.", p.PaperN, textfmt.F2(assay.Some(p.PaperMDC)), p.N, textfmt.F2(assay.Some(p.MDC)))
	}
	return strings.TrimSpace(b.String())
}

// sourceTexts names the published analyses whose claims the ledger checks.
func sourceTexts() []string {
	var out []string
	for _, p := range papers.All {
		out = append(out, p.Title)
	}
	return out
}

// joinAnd joins words as a sentence lists them: "a, b and c".
func joinAnd(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// sourceAnchors maps each input file to the anchor of its row in the data
// section, so the ledger's inputs link to it.
func (f *findings) sourceAnchors() map[string]string {
	out := map[string]string{}
	for i, s := range f.ds.Sources {
		out[s.Path] = fmt.Sprintf("src-%d", i+1)
	}
	return out
}

// inputCell shows a claim's inputs: links to the files they name (anchors
// are sourceAnchors'), and the words of those that name none (the claim's
// own figures).
func (f *findings) inputCell(inputs []string, anchors map[string]string) Cell {
	var c Cell
	var plain []string
	for _, in := range inputs {
		found := false
		for _, s := range f.ds.Sources {
			if strings.Contains(in, s.Path) {
				found = true
				if !slices.ContainsFunc(c.Links, func(l Link) bool { return l.Anchor == anchors[s.Path] }) {
					c.Links = append(c.Links, Link{Anchor: anchors[s.Path], Label: path.Base(s.Path)})
				}
			}
		}
		if !found {
			plain = append(plain, in)
		}
	}
	c.Text = strings.Join(plain, "; ")
	return c
}

// ClaimText is what a claim says, from the claims list; a result whose
// claim is not listed there says it by its stated value.
func ClaimText(r assay.ClaimResult) string {
	if c, err := claims.Lookup(r.ID); err == nil {
		return c.Text
	}
	return r.Stated
}

func (f *findings) ledgerSection() Section {
	t := &Table{
		Caption: "Every claim's verdict. The computed values carry their 90% ACS intervals or 95% confidence intervals; under each claim, why, what would settle it, and its inputs, linked to “Data and methods”.",
		Header:  []string{"claim", "what it says", "verdict", "stated", "what the data give"},
	}
	anchors := f.sourceAnchors()
	for _, r := range f.ledger.Results {
		t.Rows = append(t.Rows, row(text(r.ID), text(ClaimText(r)), badge(r.Verdict), text(r.Stated), text(r.Computed)))
		detail := f.inputCell(r.Inputs, anchors)
		note := r.Note
		if note != "" && !strings.HasSuffix(note, ".") {
			note += "."
		}
		if detail.Text != "" || len(detail.Links) > 0 {
			note += " Inputs: " + detail.Text
		}
		detail.Text = strings.TrimSpace(note)
		t.Details = append(t.Details, detail)
	}
	return Section{ID: "ledger", Title: "The claims, one by one", Blocks: []Block{
		para("The claims come from these texts; `assay claims` prints the same ledger:"),
		items(sourceTexts()...),
		table(t),
	}}
}

// claimSection is one of the paper's metro claims: what the paper says,
// the verdict, what the data give and why they may differ, then the
// figures that show it.
func (f *findings) claimSection(id string, figs ...*chart.Figure) Section {
	r, _ := f.ledger.Result(id)
	title := id
	if c, err := claims.Lookup(id); err == nil {
		title += ": " + c.Text
	}
	t := &Table{RowHeader: true, Rows: [][]Cell{
		row(text("The paper says"), text(r.Stated)),
		row(text("Verdict"), badge(r.Verdict)),
		row(text("We find"), text(r.Computed)),
		row(text("Why they may differ"), text(r.Note)),
	}}
	s := Section{ID: strings.ToLower(id), Title: title, Blocks: []Block{table(t)}}
	for _, fig := range figs {
		s.Blocks = append(s.Blocks, figure(fig))
	}
	return s
}

func (f *findings) reproductionSection(figs map[string]*chart.Figure) Section {
	rep := f.rep
	var rules []string
	for _, rr := range rep.Rules {
		rules = append(rules, rr.Rule.Key+": "+rr.Rule.Description)
	}
	blocks := []Block{
		para(fmt.Sprintf("The paper compared, for %d metro areas, the %s change in the concentration of residents born in El Salvador, Guatemala and Honduras with the change in violent-crime and homicide rates. assay runs the same design; the immigrant measure here is the %s. The paper publishes no list of its metros, so its selection rule is read %d ways:",
			study.PaperN, yearSpan(rep.Years), rep.Measure, len(rep.Rules))),
		items(rules...),
	}
	if rep.Missing != "" {
		blocks = append(blocks, para(rep.Missing))
	}
	t := &Table{Caption: fmt.Sprintf("Pearson's r with its %s interval and permutation p-value, and the least-squares slope, under each rule.", textfmt.Pct(reproductionLevel, 0)),
		Header: []string{"rule", "outcome", "n", "r", textfmt.Pct(reproductionLevel, 0) + " CI", "permutation p", "slope (rate per point)"}}
	for _, rr := range rep.Rules {
		for _, o := range []assay.Offense{assay.Violent, assay.Murder} {
			e := estimateOf(&rr, o)
			if e == nil {
				t.Rows = append(t.Rows, row(text(rr.Rule.Key), text(offenceName(o)), text("no estimate: "+strings.Join(rr.Errors, "; "))))
				continue
			}
			p := e.Pearson
			t.Rows = append(t.Rows, row(text(rr.Rule.Key), text(offenceName(o)), number(fmt.Sprint(p.N)), number(textfmt.F2(p.Estimate)),
				number(textfmt.F2(p.CILow)+" to "+textfmt.F2(p.CIHigh)), number(textfmt.P(p.PermP)), number(textfmt.G3(e.Slope.Estimate))))
		}
	}
	blocks = append(blocks, table(t), figure(figs[IDPaperScatter+"violent"]), figure(figs[IDPaperScatter+"murder"]))
	return Section{ID: "reproduction", Title: "The paper's metro analysis, reproduced", Blocks: blocks, Subsections: []Section{
		f.claimSection("WP05", figs[IDNationalCrime], figs[IDOrigin]),
		f.claimSection("WP06", figs[IDMetroRates+"violent"]),
		f.claimSection("WP07"),
		f.claimSection("WP08", figs[IDMetroRates+"murder"]),
		f.claimSection("WP09", figs[IDColumbus]),
		f.claimSection("WP10", figs[IDMostViolent]),
	}}
}

func (f *findings) beyondSection(figs map[string]*chart.Figure, r assay.Finding) Section {
	all := f.all
	x, y, _ := studyQuantities(r)
	in := all.Influence
	var moves []string
	for _, m := range in.ByShift {
		moves = append(moves, fmt.Sprintf("%s (r without it %s)", m.Title, textfmt.F2(assay.Some(m.RWithout))))
	}
	every := Section{ID: "all-metros", Title: fmt.Sprintf("%d metros, not %d", len(all.Sample.Rows), study.PaperN), Blocks: []Block{
		para(fmt.Sprintf("The study %s (%s) takes %s; %d more are left out (the FBI did not publish them in both years or left the rate blank). Between the %s and the %s it finds %s: %s.",
			f.allRef, all.Spec.Title, sampleWords(all), len(all.Sample.Dropped), x.Name, y.Name, corrText(r, all.Spec.Estimation.Level), direction(r))),
		para(fmt.Sprintf("No single metro drives it: leaving out one metro moves r between %s and %s; the largest moves are %s.",
			textfmt.F2(assay.Some(in.LOOMin)), textfmt.F2(assay.Some(in.LOOMax)), strings.Join(moves, ", "))),
		figure(figs[IDAllMetrosScatter]),
		figure(figs[IDMaps]),
	}}
	var subs []Section
	subs = append(subs, every)
	if m := all.Multiverse; m != nil {
		s := m.Summary
		subs = append(subs, Section{ID: "multiverse", Title: "Every defensible specification", Blocks: []Block{
			para(fmt.Sprintf("The same question, asked %d ways: every combination of the study's choices of measure, outcome, selection, coverage, weights and estimator (%d could not be estimated). %d (%s) of them give p < %s; the correlations' median is %s, from %s to %s.",
				s.Specs, s.Skipped, s.Significant, textfmt.Pct(s.ShareSignificant.V, 0), textfmt.Number(s.Alpha), textfmt.F2(s.Correlation.Median), textfmt.F2(s.Correlation.Min), textfmt.F2(s.Correlation.Max))),
			figure(figs[IDSpecCurve]),
		}})
	}
	if p := all.Power; p != nil {
		subs = append(subs, Section{ID: "power", Title: fmt.Sprintf("What %d metros can detect", p.PaperN), Blocks: []Block{
			para(fmt.Sprintf("With %d metros, a two-sided test at the %s level detects a correlation %s of the time only when |r| is at least %s: “no correlation” can only mean none detectable. With %d metros the threshold is %s.",
				p.PaperN, textfmt.Pct(p.Alpha, 0), textfmt.Pct(p.Target, 0), textfmt.F2(assay.Some(p.PaperMDC)), p.N, textfmt.F2(assay.Some(p.MDC)))),
			figure(figs[IDPower]),
		}})
	}
	if pr := f.panel.Panel; pr != nil {
		t := &Table{Caption: fmt.Sprintf("%s on the %s, %d–%d: %d metros, %d metro-years; standard errors clustered by metro.",
			capital(offenceName(pr.Offense))+" rate", study.GroupWord(f.panel.Spec.Immigrant.Source, f.panel.Spec.Immigrant.Group)+" share", pr.From, pr.To, pr.Metros, pr.Observations),
			Header: []string{"estimator", "n", "metros", "estimate", "interval", "SE", "p"}}
		for _, fd := range pr.Findings {
			t.Rows = append(t.Rows, row(text(fd.Estimator), number(fmt.Sprint(fd.N)), number(fmt.Sprint(fd.Clusters)), number(textfmt.G3(fd.Estimate)),
				number(textfmt.G3(fd.CILow)+" to "+textfmt.G3(fd.CIHigh)), number(textfmt.G3(fd.SE)), number(textfmt.P(fd.P))))
		}
		subs = append(subs, Section{ID: "panel", Title: fmt.Sprintf("A metro-year panel, %d–%d", pr.From, pr.To), Blocks: []Block{
			para(fmt.Sprintf("The study %s (%s) follows every metro year by year with metro and year effects.", f.panelRef, f.panel.Spec.Title)),
			table(t),
			items(append(slices.Clone(pr.Notes), f.panel.Notes...)...),
		}})
	}
	return Section{ID: "beyond", Title: "Beyond the paper", Subsections: subs}
}

// dataSection lists the inputs and the audit; source names the data, as
// SourcePhrase does.
func (f *findings) dataSection(source string) Section {
	ds := f.ds
	anchors := f.sourceAnchors()
	src := &Table{Caption: "Every raw input the data were derived from, with its SHA-256 and how its rows were accounted for.",
		Header: []string{"file", "kind", "publisher", "year", "rows read", "loaded", "skipped"}}
	for _, s := range ds.Sources {
		year := ""
		if s.Year > 0 {
			year = fmt.Sprint(s.Year)
		}
		file := text(s.Path)
		file.Anchor = anchors[s.Path]
		src.Rows = append(src.Rows, row(file, text(s.Kind), text(s.Publisher), number(year), number(textfmt.Count(float64(s.RowsRead))),
			number(textfmt.Count(float64(s.RowsLoaded))), number(textfmt.Count(float64(s.RowsSkipped)))))
		src.Details = append(src.Details, text("SHA-256 `"+s.SHA256+"`"))
	}
	sum := assay.Summarize(ds)
	audit := &Table{Caption: "The audit by reason: every row not simply loaded has a line with one of these reasons.", Header: []string{"action", "reason", "lines"}}
	count := map[string]int{}
	for _, r := range sum.Reasons {
		audit.Rows = append(audit.Rows, row(text(string(r.Action)), text(r.Reason), number(textfmt.Count(float64(r.N)))))
		count[r.Reason] += r.N
	}
	years := &Table{Caption: "FBI Table 6 by year: the areas published and how many matched a metro code of the delineation.", Header: []string{"year", "MSAs", "matched", "M.D.s", "matched", "file"}}
	for _, y := range sum.Years {
		years.Rows = append(years.Rows, row(number(fmt.Sprint(y.Year)), number(fmt.Sprint(y.MSAs)), number(fmt.Sprint(y.MSAMatched)), number(fmt.Sprint(y.MDs)), number(fmt.Sprint(y.MDMatched)), text(y.Source)))
	}
	return Section{ID: "data", Title: "Data and methods", Subsections: []Section{
		{ID: "sources", Title: "Sources", Blocks: []Block{
			para(fmt.Sprintf("Data: %s; metro codes of the OMB delineation of %s. %d files: %s rows read = %s loaded + %s skipped.",
				source, ds.Vintage, sum.Files, textfmt.Count(float64(sum.RowsRead)), textfmt.Count(float64(sum.RowsLoaded)), textfmt.Count(float64(sum.RowsSkipped)))),
			table(src),
		}},
		{ID: "audit", Title: "The audit", Blocks: []Block{table(audit), table(years)}},
		{ID: "moe", Title: "Margins of error", Blocks: []Block{para(
			"ACS estimates carry the Census Bureau's published 90% margins of error. A sum of estimates takes the square root of the sum of squared margins; a share takes the Bureau's formula for a proportion; a difference between years takes the sum rule. Intervals called 90% are ACS margins; intervals called 95% are confidence intervals of an estimator. The figures draw margins as bands.")}},
		{ID: "fbi", Title: "FBI coverage and suppression", Blocks: []Block{para(fmt.Sprintf(
			"Table 6 prints a metro only when enough of its agencies report; a metro it leaves out in a year is a gap in every series, never a zero. A blank cell is a suppressed value, kept as missing (%d audit lines, reason suppressed). Where coverage is below 100%% the FBI prints an estimated total, which assay uses; FBI names are matched to metro codes exactly where they can be (audit reasons match_* record the rest, %d lines).",
			count["suppressed"], matchLines(count)))}},
		{ID: "rape", Title: "The FBI's rape definitions", Blocks: []Block{para(fmt.Sprintf(
			"From %d the FBI counts rape under a revised, broader definition (reports under both definitions are aggregated through %d, the revised one alone from %d). Violent crime includes rape, so violent-crime rates are not strictly comparable across %d; murder is. Figures mark the break; the ledger's notes say where it matters.",
			assay.FirstMixedRapeYear, assay.FirstRevisedRapeYear-1, assay.FirstRevisedRapeYear, assay.FirstMixedRapeYear))}},
		{ID: "maps", Title: "Maps", Blocks: []Block{para(
			"County outlines come from us-atlas (Mike Bostock, ISC licence), made from the Census Bureau's cartographic boundary files; a metro's shape is its counties'. The snapshot's NOTICE file carries the licence.")}},
	}}
}

// matchLines counts the audit lines of names matched other than exactly.
func matchLines(count map[string]int) int {
	n := 0
	for reason, k := range count {
		if strings.HasPrefix(reason, "match_") {
			n += k
		}
	}
	return n
}

// SourcePhrase names the data in a sentence, as the report and the
// dashboard's pages say where their findings come from.
func SourcePhrase(db string) string {
	if db == "" {
		return "the snapshot embedded in assay"
	}
	return "the warehouse " + db
}

func (f *findings) uncheckedSection() Section {
	t := &Table{Caption: "The claims the bundled data cannot settle: what is missing and, under each, what would settle it.", Header: []string{"claim", "what it says", "what is missing"}}
	for _, r := range f.ledger.Results {
		if r.Verdict != assay.NotCheckable {
			continue
		}
		t.Rows = append(t.Rows, row(text(r.ID), text(ClaimText(r)), text(r.Computed)))
		t.Details = append(t.Details, text("What would settle it: "+r.Note))
	}
	blocks := []Block{table(t)}
	if f.rep.Missing != "" {
		hint := study.FetchHint(f.rep.Source, f.rep.Years, "assay report --out report")
		run, why, _ := strings.Cut(hint, " (")
		blocks = append(blocks,
			para("The paper's metro claims need metro counts of people born in the three countries. "+f.rep.Missing),
			para("These commands fetch them ("+strings.TrimSuffix(why, ")")+") and write this report again on them:"),
			code(strings.Split(run, " && ")...))
	}
	return Section{ID: "unchecked", Title: "What could not be checked, and what would settle it", Blocks: blocks}
}

func (f *findings) reproduceSection(in Input) Section {
	db := ""
	if in.DB != "" {
		db = " --db " + shellQuote(in.DB)
	}
	seed := fmt.Sprintf(" --seed %d", in.Seed)
	perm := fmt.Sprintf(" --perm %d", in.Perm)
	studyFlag := ""
	if f.allRef != study.BuiltinPrefix+DefaultStudy {
		studyFlag = " --study " + shellQuote(f.allRef)
	}
	return Section{ID: "reproduce", Title: "How to reproduce", Blocks: []Block{
		para(fmt.Sprintf("This report was written by assay %s. Build assay from its source (Go and a C compiler), then run the first command to write this report again, or the others for each part as text or, with --json, as data. manifest.json beside this file lists every input's SHA-256, the study specifications and the seed.", version.String())),
		code(
			"go build -o assay ./cmd/assay",
			"./assay report --out report"+db+studyFlag+seed+perm,
			"./assay claims"+db+seed+perm,
			"./assay reproduce blanchard2019"+db+seed+perm,
			"./assay study "+shellQuote(f.allRef)+db+seed,
			"./assay study "+f.panelRef+db+seed,
		),
	}}
}

// shellQuote quotes a word for a POSIX shell where it needs it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`*?[]{}()<>|&;#~!") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
