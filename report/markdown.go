package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// writeMarkdown writes report.md: the page's content in Markdown, each
// figure as its SVG file under figures/ and its data under data/.
func (r *Report) writeMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	m := r.Manifest
	fmt.Fprintf(bw, "# %s\n\n", r.Title)
	fmt.Fprintf(bw, "*Written by assay %s on %s from %s; seed %d.*\n\n", m.Version, m.Created.Format("2 January 2006, 15:04 MST"), r.Source, m.Seed)
	if r.Synthetic {
		fmt.Fprintf(bw, "**SYNTHETIC: built from generated test data. Nothing here is a finding.**\n\n")
	}
	n := 0
	var section func(s Section, level int)
	section = func(s Section, level int) {
		fmt.Fprintf(bw, "%s %s\n\n", strings.Repeat("#", level), s.Title)
		for _, b := range s.Blocks {
			switch {
			case b.Para != "":
				fmt.Fprintf(bw, "%s\n\n", b.Para)
			case b.Items != nil:
				for _, it := range b.Items {
					fmt.Fprintf(bw, "- %s\n", it)
				}
				fmt.Fprintln(bw)
			case b.Code != nil:
				fmt.Fprintf(bw, "```sh\n%s\n```\n\n", strings.Join(b.Code, "\n"))
			case b.Table != nil:
				markdownTable(bw, b.Table)
			case b.Figure != nil:
				n++
				f := b.Figure
				fmt.Fprintf(bw, "![%s](%s/%s.svg)\n\n*Figure %d.* %s Data: [%s/%s.csv](%s/%s.csv).\n\n",
					cell(f.Alt), FigureDir, f.ID, n, f.Title, DataDir, f.ID, DataDir, f.ID)
			}
		}
		for _, sub := range s.Subsections {
			section(sub, level+1)
		}
	}
	for _, s := range r.Sections {
		section(s, 2)
	}
	return bw.Flush()
}

func markdownTable(w io.Writer, t *Table) {
	if t.Caption != "" {
		fmt.Fprintf(w, "%s\n\n", t.Caption)
	}
	header := t.Header
	if header == nil && len(t.Rows) > 0 {
		// Markdown tables need a header row: a blank one.
		header = make([]string, len(t.Rows[0]))
	}
	for _, h := range header {
		fmt.Fprintf(w, "| %s ", cell(h))
	}
	fmt.Fprintf(w, "|\n|%s\n", strings.Repeat(" --- |", len(header)))
	for r, row := range t.Rows {
		var out []string
		for i, c := range row {
			s := markdownCell(c)
			if t.RowHeader && i == 0 {
				s = "**" + s + "**"
			}
			out = append(out, s)
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(out, " | "))
		if t.Details != nil {
			// Markdown has no cell spanning a row: the detail takes the
			// second column of a row of its own.
			d := make([]string, len(row))
			d[min(1, len(d)-1)] = markdownCell(t.Details[r])
			fmt.Fprintf(w, "| %s |\n", strings.Join(d, " | "))
		}
	}
	fmt.Fprintln(w)
}

func markdownCell(c Cell) string {
	s := cell(c.Text)
	if c.Verdict != "" {
		s = "**" + s + "**"
	}
	if c.Anchor != "" {
		s = fmt.Sprintf(`<a id="%s"></a>%s`, c.Anchor, s)
	}
	for _, l := range c.Links {
		s += fmt.Sprintf(" [%s](#%s)", cell(l.Label), l.Anchor)
	}
	return strings.TrimSpace(s)
}

// cell keeps text on one line of a table or an image's alt text.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "[", `\[`, "]", `\]`).Replace(s)
}
