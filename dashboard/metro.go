package dashboard

import (
	"slices"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/study"
)

// profile is everything the data holds about one metro: the metro
// explorer's page and /api/metro/{cbsa}.
type profile struct {
	CBSA    string `json:"cbsa"`
	Title   string `json:"title"`
	Vintage string `json:"vintage"` // the delineation its codes are of
	// Delineation is the metro as OMB defines it in that vintage; nil
	// when the dataset has no delineation of it.
	Delineation *assay.CBSA  `json:"delineation"`
	Years       []metroYear  `json:"years"`
	Audit       []auditNote  `json:"audit"`
	Matches     []matchWords `json:"matches"`
}

// metroYear is one year of the panel for the metro.
type metroYear struct {
	Year int `json:"year"`
	// FBI is the Table 6 block of the year, null when the FBI did not
	// publish the metro.
	FBI *assay.CrimeRecord `json:"fbi"`
	// ForeignBorn is the bundled all-foreign-born share (the ACS 5-year
	// period ending in Year), null when none was measured.
	ForeignBorn *assay.Estimate `json:"foreign_born_share"`
	// Origins are fetched origin-group shares.
	Origins []originShare `json:"origins,omitempty"`
}

type originShare struct {
	Product string         `json:"product"`
	Group   string         `json:"group"`
	Share   assay.Estimate `json:"share"`
}

// auditNote is an audit entry about one of the metro's Table 6 blocks.
type auditNote struct {
	Year int `json:"year"`
	assay.AuditEntry
}

// matchWords says how the FBI's name found the metro's code, each way it
// did, and in which years.
type matchWords struct {
	Name   string `json:"fbi_name"`
	Method string `json:"method"`
	Words  string `json:"how"`
	Years  []int  `json:"years"`
}

// block names a Table 6 block by its file and name row.
type block struct {
	source string
	row    int
}

// blockAudit indexes the audit's flagged entries by the Table 6 block they
// fall in: a block runs from its name row to the next block's in the same
// file. Skipped rows (titles, legends) belong to no block.
func blockAudit(ds *assay.Dataset) map[block][]assay.AuditEntry {
	starts := map[string][]int{} // a file's block rows, ascending
	for _, c := range ds.Crime {
		starts[c.Source] = append(starts[c.Source], c.Row)
	}
	for _, rows := range starts {
		slices.Sort(rows)
	}
	out := map[block][]assay.AuditEntry{}
	for _, a := range ds.Audit {
		rows, ok := starts[a.Source]
		if !ok || a.Action != assay.Flagged {
			continue
		}
		i, found := slices.BinarySearch(rows, a.Row)
		if !found {
			i--
		}
		if i < 0 {
			continue
		}
		b := block{a.Source, rows[i]}
		out[b] = append(out[b], a)
	}
	return out
}

// profile gathers one metro of the panel.
func (s *Server) profile(code string) *profile {
	title, _ := s.metroTitle(code)
	p := &profile{CBSA: code, Title: title, Vintage: s.data.Vintage(), Years: []metroYear{}, Audit: []auditNote{}, Matches: []matchWords{}}
	for i := range s.opt.Data.Delineations {
		d := &s.opt.Data.Delineations[i]
		if d.Vintage == p.Vintage {
			p.Delineation, _ = d.Lookup(code)
		}
	}
	for _, o := range s.data.Series(code) {
		y := metroYear{Year: o.Year, FBI: o.Crime}
		if m, ok := study.MeasureAt(&o, study.Bundled, study.ForeignBorn); ok {
			y.ForeignBorn = &m.Share
		}
		for _, c := range o.Origins {
			y.Origins = append(y.Origins, originShare{c.Product, c.Group, c.Share})
		}
		p.Years = append(p.Years, y)
		if o.Crime == nil {
			continue
		}
		for _, a := range s.audit[block{o.Crime.Source, o.Crime.Row}] {
			p.Audit = append(p.Audit, auditNote{o.Year, a})
		}
		k := slices.IndexFunc(p.Matches, func(m matchWords) bool { return m.Name == o.Crime.Name && m.Method == o.Crime.Match })
		if k < 0 {
			p.Matches = append(p.Matches, matchWords{Name: o.Crime.Name, Method: o.Crime.Match, Words: assay.DescribeMatch(o.Crime.Match)})
			k = len(p.Matches) - 1
		}
		p.Matches[k].Years = append(p.Matches[k].Years, o.Year)
	}
	return p
}

// search finds metros by CBSA code or by words of their title, by title;
// an exact code or title is the only match.
func (s *Server) search(q string) []metroName {
	q = strings.TrimSpace(q)
	var out []metroName
	for _, m := range s.metros {
		if m.CBSA == q || strings.EqualFold(m.Title, q) {
			return []metroName{m}
		}
	}
	words := strings.Fields(strings.ToLower(q))
	if len(words) == 0 {
		return nil
	}
	for _, m := range s.byTitle {
		title := strings.ToLower(m.Title)
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(title, w) }) {
			out = append(out, m)
		}
	}
	return out
}
