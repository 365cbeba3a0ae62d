package report

import (
	_ "embed"
	"encoding/base64"
	"html/template"
	"io"
	"strings"

	"github.com/assaylab/assay"
)

var (
	//go:embed page.html
	pageHTML string
	//go:embed page.css
	pageCSS string
)

// verdictClasses name each verdict's badge style in page.css.
var verdictClasses = map[assay.Verdict]string{
	assay.Supported:       "v-supported",
	assay.PartlySupported: "v-partly-supported",
	assay.Contradicted:    "v-contradicted",
	assay.ArithmeticError: "v-arithmetic-error",
	assay.NotCheckable:    "v-not-checkable",
}

// writeHTML writes index.html: the sections with every figure's SVG inline
// and its CSV as a data: link, so that the one file stands alone.
func (r *Report) writeHTML(w io.Writer, figs map[string]Rendered) error {
	numbers := map[string]int{}
	for i, f := range r.Figures {
		numbers[f.ID] = i + 1
	}
	t, err := template.New("page").Funcs(template.FuncMap{
		// The stylesheet is ours, embedded at build time.
		"css":  func() template.CSS { return template.CSS(pageCSS) },
		"rich": rich,
		"verdict": func(v assay.Verdict) string {
			return verdictClasses[v]
		},
		"number": func(id string) int { return numbers[id] },
		// The chart package writes the SVG, escaping every text and
		// attribute it holds: it is safe to set in the page as it is.
		"svg": func(id string) template.HTML { return template.HTML(figs[id].SVG) },
		"csv": func(id string) template.URL {
			return template.URL("data:text/csv;charset=utf-8;base64," + base64.StdEncoding.EncodeToString(figs[id].CSV))
		},
	}).Parse(pageHTML)
	if err != nil {
		return err
	}
	return t.Execute(w, r)
}

// rich escapes text for the page and sets `backquoted` spans as code, as
// the ledger's notes quote commands.
func rich(s string) template.HTML {
	var b strings.Builder
	for i, part := range strings.Split(s, "`") {
		esc := template.HTMLEscapeString(part)
		if i%2 == 1 {
			esc = "<code>" + esc + "</code>"
		}
		b.WriteString(esc)
	}
	return template.HTML(b.String())
}
