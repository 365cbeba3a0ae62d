package report

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/assaylab/assay/internal/browsertest"
)

// figureState is what the page shows of one figure.
type figureState struct {
	ID     string  `json:"id"`
	Marks  int     `json:"marks"`  // elements with a data-key
	Drawn  int     `json:"drawn"`  // of those, with an area on the page
	Width  float64 `json:"width"`  // of the figure element, CSS px
	Height float64 `json:"height"` // of the figure element, CSS px
	// Outside are the texts that run past the edges of the figure's SVG.
	Outside []string `json:"outside"`
	// MinFont is the smallest text's size on the page, CSS px.
	MinFont float64 `json:"minFont"`
}

// figuresJS measures every figure of the page.
const figuresJS = `Array.from(document.querySelectorAll("figure")).map(f => {
	const marks = Array.from(f.querySelectorAll("svg [data-key]"));
	const r = f.getBoundingClientRect();
	return {
		id: f.id.replace(/^figure-/, ""),
		marks: marks.length,
		drawn: marks.filter(m => { const b = m.getBoundingClientRect(); return b.width > 0 || b.height > 0; }).length,
		width: r.width, height: r.height,
		outside: Array.from(f.querySelectorAll("svg text")).filter(t => {
			const b = t.getBoundingClientRect(), s = t.ownerSVGElement.getBoundingClientRect();
			return b.left < s.left - 1 || b.right > s.right + 1 || b.top < s.top - 1 || b.bottom > s.bottom + 1;
		}).map(t => t.textContent),
		minFont: Math.min(...Array.from(f.querySelectorAll("svg text")).map(t =>
			parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getBoundingClientRect().width / t.ownerSVGElement.viewBox.baseVal.width)),
	};
})`

// TestBrowser opens index.html in Chromium, as a reader would: no console
// error or exception, no request but the page itself, every figure drawn
// with marks, a full-page screenshot that is not blank, and in print every
// figure fits on one A4 and one Letter page. The screenshots (the page,
// and each figure as a PNG) go to -screenshots DIR, else the test's
// temporary folder.
func TestBrowser(t *testing.T) {
	ctx := browsertest.Start(t, 90*time.Second)
	r, dir := writeReport(t)
	shots := browsertest.Dir(t)
	page := (&url.URL{Scheme: "file", Path: filepath.Join(dir, HTMLFile)}).String()
	watch := browsertest.Listen(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	figs, err := chromedp.Run(ctx, chromedp.Evaluate[[]figureState](figuresJS))
	if err != nil {
		t.Fatal(err)
	}
	// JPEG: a PNG of a page this long takes the browser many seconds to encode.
	full, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Save(t, filepath.Join(shots, "report.jpg"), full)
	browsertest.NotBlank(t, "the full page", full)

	byID := map[string]figureState{}
	for _, f := range figs {
		byID[f.ID] = f
	}
	if len(figs) != len(r.Figures) {
		t.Errorf("the page shows %d figures, the report has %d", len(figs), len(r.Figures))
	}
	for _, f := range r.Figures {
		got, ok := byID[f.ID]
		switch {
		case !ok:
			t.Errorf("figure %s is not on the page", f.ID)
			continue
		case got.Marks == 0 || got.Drawn < got.Marks:
			t.Errorf("figure %s: %d of its %d marks drawn", f.ID, got.Drawn, got.Marks)
		}
		// 11 px, less what rounding the scale to the page's pixels takes.
		if got.MinFont < 10.9 {
			t.Errorf("figure %s: text as small as %.1f px on a %d px wide page", f.ID, got.MinFont, browsertest.Width)
		}
		for _, s := range got.Outside {
			t.Errorf("figure %s: text runs past its edge: %q", f.ID, s)
		}
		shot, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.ID("figure-"+f.ID)))
		if err != nil {
			t.Fatalf("figure %s: %v", f.ID, err)
		}
		browsertest.Save(t, filepath.Join(shots, f.ID+".png"), shot)
		browsertest.NotBlank(t, "figure "+f.ID, shot)
	}

	for _, paper := range []struct {
		name          string
		width, height float64 // mm
	}{{"A4", 210, 297}, {"Letter", 215.9, 279.4}} {
		// The printable area inside page.css's @page margin of 14 mm.
		w, h := mmToPx(paper.width-28), mmToPx(paper.height-28)
		if err := chromedp.Do(ctx, emulatePrint(int64(w))); err != nil {
			t.Fatal(err)
		}
		printed, err := chromedp.Run(ctx, chromedp.Evaluate[[]figureState](figuresJS))
		if err != nil {
			t.Fatal(err)
		}
		tallest := figureState{}
		for _, f := range printed {
			if f.Height > h || f.Width > w+1 {
				t.Errorf("%s: figure %s prints %.0f × %.0f px, the page holds %.0f × %.0f", paper.name, f.ID, f.Width, f.Height, w, h)
			}
			if f.Height > tallest.Height {
				tallest = f
			}
		}
		t.Logf("%s: the tallest figure, %s, prints %.0f px high; the page holds %.0f", paper.name, tallest.ID, tallest.Height, h)
	}

	for _, p := range watch.Problems() {
		t.Errorf("browser: %s", p)
	}
	for _, u := range watch.Requests() {
		if u != page && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page requested %s", u)
		}
	}
	t.Logf("screenshots in %s", shots)
}

// mmToPx converts millimetres to CSS pixels (96 to the inch).
func mmToPx(mm float64) float64 { return mm / 25.4 * 96 }

// emulatePrint lays the page out as for print, the printable width wide.
func emulatePrint(width int64) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.EmulateViewport(width, 1000)(ctx, t)
	}
}
