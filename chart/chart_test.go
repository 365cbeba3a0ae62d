package chart

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/xml"
	"flag"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var (
	update  = flag.Bool("update", false, "rewrite the golden SVG and CSV files")
	gallery = flag.String("gallery", "", "also write the gallery of fixture figures to this directory, to look at")
)

func render(t testing.TB, f *Figure) (svgText, csvText []byte) {
	t.Helper()
	var s, c bytes.Buffer
	if err := f.WriteSVG(&s); err != nil {
		t.Fatalf("%s: %v", f.ID, err)
	}
	if err := f.WriteCSV(&c); err != nil {
		t.Fatalf("%s: %v", f.ID, err)
	}
	return s.Bytes(), c.Bytes()
}

// TestGolden compares each fixture's SVG and CSV with testdata; -update
// rewrites them. A figure renders to the same bytes every time.
func TestGolden(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(f.ID, func(t *testing.T) {
			s, c := render(t, f)
			if again, _ := render(t, f); !bytes.Equal(s, again) {
				t.Fatal("two renderings of one figure differ")
			}
			for _, g := range []struct {
				ext  string
				data []byte
			}{{".svg", s}, {".csv", c}} {
				path := filepath.Join("testdata", f.ID+g.ext)
				if *update {
					if err := os.WriteFile(path, g.data, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if !bytes.Equal(g.data, want) {
					t.Errorf("%s differs from the golden file (run with -update after checking the change)", path)
				}
			}
		})
	}
}

// node is an SVG element as encoding/xml reads it.
type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []node     `xml:",any"`
	Text     string     `xml:",chardata"`
}

func (n *node) attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func (n *node) walk(fn func(n *node)) {
	fn(n)
	for i := range n.Children {
		n.Children[i].walk(fn)
	}
}

func parseSVG(t *testing.T, data []byte) *node {
	t.Helper()
	var root node
	if err := xml.Unmarshal(data, &root); err != nil {
		t.Fatalf("not well-formed XML: %v", err)
	}
	return &root
}

// TestSVGRules checks what the page and its Content-Security-Policy need:
// no style attribute or element, no script or outside reference, role and
// accessible name, a viewBox that scales to the container, text at 11 px or
// more, and on every data mark a data-key and a <title>.
func TestSVGRules(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(f.ID, func(t *testing.T) {
			s, _ := render(t, f)
			root := parseSVG(t, s)
			if root.XMLName.Local != "svg" {
				t.Fatalf("root is <%s>", root.XMLName.Local)
			}
			for name, want := range map[string]string{"role": "img", "width": "100%", "font-family": "inherit", "aria-labelledby": f.ID + "-title " + f.ID + "-desc"} {
				if got, _ := root.attr(name); got != want {
					t.Errorf("svg %s=%q, want %q", name, got, want)
				}
			}
			if _, ok := root.attr("height"); ok {
				t.Error("svg has a height: it would not scale with its container's width")
			}
			vb, _ := root.attr("viewBox")
			if !regexp.MustCompile(`^0 0 \d+(\.\d+)? \d+(\.\d+)?$`).MatchString(vb) {
				t.Errorf("viewBox %q", vb)
			}
			if len(root.Children) < 2 || root.Children[0].XMLName.Local != "title" || root.Children[1].XMLName.Local != "desc" ||
				root.Children[0].Text != f.Title || root.Children[1].Text != f.Alt {
				t.Error("svg does not open with <title> (the title) and <desc> (the alt text)")
			}
			marks := 0
			root.walk(func(n *node) {
				switch n.XMLName.Local {
				case "style", "script", "foreignObject", "image", "a":
					t.Errorf("<%s> element", n.XMLName.Local)
				}
				for _, a := range n.Attrs {
					switch {
					case a.Name.Local == "style":
						t.Errorf("<%s> has a style attribute", n.XMLName.Local)
					case strings.HasPrefix(a.Name.Local, "on"):
						t.Errorf("<%s> has an event handler %s", n.XMLName.Local, a.Name.Local)
					case a.Name.Local == "href" || strings.Contains(a.Value, "url(") && !strings.HasPrefix(a.Value, "url(#"+f.ID+"-"):
						t.Errorf("<%s %s=%q> refers outside the figure", n.XMLName.Local, a.Name.Local, a.Value)
					case a.Name.Local == "font-family" && n != root:
						t.Errorf("<%s> sets its own font family %q", n.XMLName.Local, a.Value)
					case a.Name.Local == "font-size":
						if size, err := strconv.ParseFloat(a.Value, 64); err != nil || size < 11 {
							t.Errorf("<%s> font-size %q, want 11 px or more", n.XMLName.Local, a.Value)
						}
					}
				}
				class, _ := n.attr("class")
				if !slices.Contains(strings.Fields(class), "mark") {
					return
				}
				marks++
				if key, _ := n.attr("data-key"); key == "" {
					t.Errorf("<%s class=%q> has no data-key", n.XMLName.Local, class)
				}
				if len(n.Children) == 0 || n.Children[0].XMLName.Local != "title" || n.Children[0].Text == "" {
					t.Errorf("<%s class=%q> has no <title> first", n.XMLName.Local, class)
				}
			})
			if marks == 0 {
				t.Error("no data marks")
			}
		})
	}
}

// Text classes that are not drawn from the tables: prose the figure's
// author writes, and the axes' and legends' own ticks.
var prose = []string{"title", "subtitle", "note", "source", "panel-title", "axis-label", "tick", "legend-title", "legend-tick", "legend-key"}

var numberToken = regexp.MustCompile(`[−+-]?\d[\d,]*(\.\d+)?`)

// TestNumbersInCSV checks that every number the SVG prints from data (in
// labels, captions, values and mark titles) is in the figure's CSV,
// rounded as printed.
func TestNumbersInCSV(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(f.ID, func(t *testing.T) {
			s, c := render(t, f)
			recs, err := csv.NewReader(bytes.NewReader(c)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var values []float64
			// Units live in the header ("per 100,000").
			texts := recs[0]
			for _, rec := range recs[1:] {
				for _, cell := range rec {
					if v, err := strconv.ParseFloat(cell, 64); err == nil {
						values = append(values, v)
					} else {
						texts = append(texts, cell)
					}
				}
			}
			// A number may stand in a text cell: a name, a code, a unit.
			var inTexts []string
			for _, s := range texts {
				inTexts = append(inTexts, numberToken.FindAllString(s, -1)...)
			}
			inText := func(tok string) bool { return slices.Contains(inTexts, tok) }
			checked := 0
			parseSVG(t, s).walk(func(n *node) {
				class, _ := n.attr("class")
				if n.XMLName.Local != "text" && n.XMLName.Local != "title" || slices.Contains(prose, class) || n.XMLName.Local == "title" && n.Text == f.Title {
					return
				}
				for _, tok := range numberToken.FindAllString(n.Text, -1) {
					checked++
					if inText(tok) || inText(strings.TrimLeft(tok, "−+-")) {
						continue
					}
					clean := strings.NewReplacer("−", "-", ",", "", "+", "").Replace(tok)
					v, err := strconv.ParseFloat(clean, 64)
					if err != nil {
						t.Fatalf("%q: %v", tok, err)
					}
					decimals := 0
					if _, frac, ok := strings.Cut(clean, "."); ok {
						decimals = len(frac)
					}
					if !slices.ContainsFunc(values, func(x float64) bool {
						return strconv.FormatFloat(x, 'f', decimals, 64) == strconv.FormatFloat(v, 'f', decimals, 64)
					}) {
						t.Errorf("<%s class=%q> prints %s (in %q), which the CSV does not hold", n.XMLName.Local, class, tok, n.Text)
					}
				}
			})
			if checked == 0 {
				t.Error("no numbers checked")
			}
		})
	}
}

// TestGallery writes every fixture into one HTML page, the way the report
// will inline them, to a temporary directory or to -gallery.
func TestGallery(t *testing.T) {
	dir := t.TempDir()
	if *gallery != "" {
		dir = *gallery
	}
	// The page's own stylesheet is allowed by its hash, as a dashboard's
	// would be; inline style attributes stay forbidden, so a figure that
	// needed one would be visibly broken here.
	const css = `body{font-family:Roboto,"Segoe UI",system-ui,sans-serif;color:#222;max-width:760px;margin:16px auto}figure{margin:0 0 28px}`
	sum := sha256.Sum256([]byte(css))
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><meta charset="utf-8"><title>assay chart fixtures (SYNTHETIC)</title>` +
		`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-` + base64.StdEncoding.EncodeToString(sum[:]) + `'">` +
		`<style>` + css + `</style></head><body>`)
	for _, f := range fixtures(t) {
		s, _ := render(t, f)
		b.WriteString(`<figure id="` + html.EscapeString(f.ID) + `">`)
		b.Write(s)
		b.WriteString("</figure>\n")
	}
	b.WriteString("</body></html>\n")
	path := filepath.Join(dir, "gallery.html")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("gallery: %s", path)
}

// BenchmarkRender renders every fixture, then each on its own: the report
// draws all its figures on every build.
func BenchmarkRender(b *testing.B) {
	figs := fixtures(b)
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			for _, f := range figs {
				if err := f.WriteSVG(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	for _, f := range figs {
		b.Run(f.ID, func(b *testing.B) {
			for b.Loop() {
				if err := f.WriteSVG(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
