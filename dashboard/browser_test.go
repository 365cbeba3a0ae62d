package dashboard

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/assaylab/assay/internal/browsertest"
	"github.com/assaylab/assay/study"
)

// figureState is what a page shows of one figure: its marks (elements with
// a data-key) and how many of them have an area on the page.
type figureState struct {
	ID    string `json:"id"`
	Marks int    `json:"marks"`
	Drawn int    `json:"drawn"`
}

const figuresJS = `Array.from(document.querySelectorAll("figure.chart")).map(f => {
	const marks = Array.from(f.querySelectorAll("svg [data-key]"));
	return {id: f.dataset.figure, marks: marks.length,
		drawn: marks.filter(m => { const b = m.getBoundingClientRect(); return b.width > 0 || b.height > 0; }).length};
})`

// TestBrowser uses the dashboard in Chromium as a reader would: every page
// loads with its script and its figures drawn, with no console error, CSP
// violation or request off the server; the map names a metro on hover and
// opens it on click; the scatter explorer recomputes when a control
// changes and shows the r /api/scatter gives for its address, moves r when
// a metro is clicked away, and a shared address opens the same view.
// Screenshots go to -screenshots DIR, $ASSAY_SCREENSHOTS, or a temporary
// folder.
func TestBrowser(t *testing.T) {
	f := served(t)
	ctx := browsertest.Start(t, 3*time.Minute)
	watch := browsertest.Listen(t, ctx)
	shots := browsertest.Dir(t)
	// The findings first: a page waiting for them would only be slow.
	if _, err := f.srv.findings(ctx); err != nil {
		t.Fatal(err)
	}
	checkWatch := func(what string) {
		t.Helper()
		for _, p := range watch.Problems() {
			t.Errorf("%s: browser: %s", what, p)
		}
		for _, u := range watch.Requests() {
			if !strings.HasPrefix(u, f.base+"/") {
				t.Errorf("%s: requested %s, off the server", what, u)
			}
		}
	}
	shot := func(name string) {
		t.Helper()
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		browsertest.Save(t, filepath.Join(shots, name+".png"), b)
		browsertest.NotBlank(t, name, b)
	}

	for _, p := range []struct{ name, path, h1 string }{
		{"overview", "/", "Central American immigration"},
		{"claim", "/claims/WP06", "WP06"},
		{"map", "/map", "Metro by metro"},
		{"metros", "/metro", "Metro explorer"},
		{"metro", "/metro?cbsa=18140", "Columbus, OH"},
		{"scatter", "/scatter?select=top_count&n=27&pool=fbi", "Scatter explorer"},
		{"multiverse", "/multiverse", "The multiverse"},
		{"data", "/data", "The data"},
		{"bad-parameter", "/scatter?measure=ratio", "400"},
	} {
		// The browser logs the error page's own status as an error.
		expected := fmt.Sprintf("network error: Failed to load resource: the server responded with a status of 400 (Bad Request) (%s%s)", f.base, p.path)
		t.Run(p.name, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(f.base+p.path), chromedp.WaitReady(chromedp.CSS("footer.site"))); err != nil {
				t.Fatal(err)
			}
			state, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
				H1     string        `json:"h1"`
				Script bool          `json:"script"`
				Sheet  bool          `json:"sheet"`
				Figs   []figureState `json:"figs"`
			}](`({h1: document.querySelector("h1").textContent, script: document.documentElement.classList.contains("js"),
				sheet: getComputedStyle(document.body).fontFamily.includes("Helvetica"), figs: `+figuresJS+`})`))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(state.H1, p.h1) || !state.Script || !state.Sheet {
				t.Errorf("h1 %q (want %q), script ran %v, stylesheet applied %v", state.H1, p.h1, state.Script, state.Sheet)
			}
			for _, fs := range state.Figs {
				if fs.Marks == 0 || fs.Drawn < fs.Marks {
					t.Errorf("figure %s: %d of %d marks drawn", fs.ID, fs.Drawn, fs.Marks)
				}
			}
			shot(p.name)
			if p.name == "bad-parameter" {
				if got := watch.Problems(); len(got) != 1 || got[0] != expected {
					t.Errorf("the error page: the browser reports %q, want only its 400", got)
				}
			}
			checkWatch(p.name)
		})
	}

	t.Run("map hover and click", func(t *testing.T) {
		const code = "18140"
		if err := chromedp.Do(ctx, chromedp.Navigate(f.base+"/map"), chromedp.WaitReady(chromedp.CSS("footer.site"))); err != nil {
			t.Fatal(err)
		}
		x, y := center(t, ctx, `#figure-maps svg path.mark[data-key="`+code+`"]`)
		if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y)); err != nil {
			t.Fatal(err)
		}
		tip, err := chromedp.Run(ctx, chromedp.Poll[string](`!document.getElementById("tooltip").hidden && document.getElementById("tooltip").textContent`,
			chromedp.WithPollingTimeout(5*time.Second)))
		// The metro's values on both maps.
		if err != nil || !strings.HasPrefix(tip, "Columbus, OH\n") || !strings.Contains(tip, "change in the all-foreign-born share: ") || !strings.Contains(tip, "change in the violent-crime rate: ") {
			t.Errorf("hovering Columbus, OH shows %q (%v)", tip, err)
		}
		shot("map-hover")
		if err := chromedp.Do(ctx, chromedp.MouseClickXY(x, y)); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS("#figure-metro-series"))); err != nil {
			t.Fatal(err)
		}
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil || loc != f.base+"/metro?cbsa="+code {
			t.Errorf("clicking Columbus, OH opened %q (%v)", loc, err)
		}
		checkWatch("map")
	})

	t.Run("scatter explorer", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(f.base+"/scatter?select=top_count&n=27&pool=fbi"), chromedp.WaitReady(chromedp.CSS("#stat-r"))); err != nil {
			t.Fatal(err)
		}
		before := shownR(t, ctx)
		// A control changes: the outcome becomes murder (SetValue fires
		// input and change, as a reader's choice does), and the view is
		// recomputed in place.
		if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#f-outcome"), "murder")); err != nil {
			t.Fatal(err)
		}
		murder := waitView(t, ctx, "outcome=murder")
		r1 := shownR(t, ctx)
		if r1.value == before.value {
			t.Errorf("r stayed %v when the outcome changed", r1.value)
		}
		apiR := f.scatterR(t, murder)
		if r1.value != apiR || r1.text != fmt.Sprintf("%.3f", apiR) {
			t.Errorf("the page shows r %q (%v) at %s; /api/scatter gives %v", r1.text, r1.value, murder, apiR)
		}
		shot("scatter-murder")
		// A metro is clicked away: r moves, and the address says which.
		x, y := center(t, ctx, `#view figure.chart svg circle[data-key]`)
		code, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#view figure.chart svg circle[data-key]").dataset.key`))
		if err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.MouseClickXY(x, y)); err != nil {
			t.Fatal(err)
		}
		dropped := waitView(t, ctx, "drop="+code)
		r2 := shownR(t, ctx)
		if r2.value == r1.value {
			t.Errorf("r stayed %v when metro %s was dropped", r2.value, code)
		}
		if apiR := f.scatterR(t, dropped); r2.value != apiR {
			t.Errorf("after the drop the page shows r %v; /api/scatter gives %v for %s", r2.value, apiR, dropped)
		}
		shot("scatter-dropped")
		checkWatch("scatter")

		// The shared address, in a new tab: the same view.
		tab, cancel := chromedp.NewContext(ctx)
		defer cancel()
		if err := chromedp.Do(tab, chromedp.Navigate(f.base+dropped), chromedp.WaitReady(chromedp.CSS("#stat-r"))); err != nil {
			t.Fatal(err)
		}
		shared := shownR(t, tab)
		form, err := chromedp.Run(tab, chromedp.Evaluate[map[string]string](`Object.fromEntries(new FormData(document.getElementById("scatter-form")))`))
		if err != nil {
			t.Fatal(err)
		}
		if shared != r2 || form["outcome"] != "murder" || form["drop"] != code || form["select"] != "top_count" {
			t.Errorf("the shared address %s shows r %+v and controls %v; the view had r %+v, murder, drop %s", dropped, shared, form, r2, code)
		}
		b, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		browsertest.Save(t, filepath.Join(shots, "scatter-shared.png"), b)
		// Back goes to the view before the drop.
		if err := chromedp.Do(ctx, chromedp.NavigateBack()); err != nil {
			t.Fatal(err)
		}
		waitView(t, ctx, murder)
		if back := shownR(t, ctx); back != r1 {
			t.Errorf("back shows r %+v, the view before the drop had %+v", back, r1)
		}
		checkWatch("scatter shared")
	})

	t.Run("multiverse filter", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(f.base+"/multiverse"), chromedp.WaitReady(chromedp.CSS("#stat-specs"))); err != nil {
			t.Fatal(err)
		}
		// The filter navigates: wait for the new page to load, or a node
		// queried while it loads can be gone when it is read ("No node
		// with given id found").
		if res, err := chromedp.RunResponse(ctx, chromedp.SetValue(chromedp.CSS("#m-offense"), "murder")); err != nil || res == nil || res.Status != 200 {
			t.Fatalf("the filter's page: %v (%v)", res, err)
		}
		if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS(`#m-offense option[value="murder"][selected]`))); err != nil {
			t.Fatal(err)
		}
		if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || loc != f.base+"/multiverse?offense=murder&estimator=pearson" {
			t.Fatalf("the filter led to %s (%v)", loc, err)
		}
		n, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#stat-specs")))
		if err != nil {
			t.Fatal(err)
		}
		var m study.Multiverse
		f.get(t, "/api/multiverse?offense=murder").decode(t, 200, &m)
		if n != strconv.Itoa(m.Summary.Specs) {
			t.Errorf("the page counts %s specifications of murder, the API %d", n, m.Summary.Specs)
		}
		shot("multiverse-murder")
		checkWatch("multiverse")
	})
}

// shown is r as the explorer shows it: the text and the full value.
type shown struct {
	text  string
	value float64
}

func shownR(t *testing.T, ctx context.Context) shown {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[document.getElementById("stat-r").textContent, document.getElementById("stat-r").dataset.value]`))
	if err != nil {
		t.Fatal(err)
	}
	v, err := strconv.ParseFloat(s[1], 64)
	if err != nil {
		t.Fatalf("r's value %q: %v", s[1], err)
	}
	return shown{s[0], v}
}

// waitView waits until the explorer shows a view whose address holds part,
// and returns the address (path and query).
func waitView(t *testing.T, ctx context.Context, part string) string {
	t.Helper()
	u, err := chromedp.Run(ctx, chromedp.Poll[string](fmt.Sprintf(`document.body.dataset.loaded && document.body.dataset.loaded.includes(%q) && !document.querySelector("#view[aria-busy]") && location.pathname + location.search`, part),
		chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		t.Fatalf("the explorer never showed a view with %s: %v", part, err)
	}
	return u
}

// center scrolls an element into view and returns its centre in the
// window, for the mouse.
func center(t *testing.T, ctx context.Context, sel string) (float64, float64) {
	t.Helper()
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.scrollIntoView({block: "center"});
		const b = e.getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2]; })()`, sel)))
	if err != nil {
		t.Fatalf("%s: %v", sel, err)
	}
	return xy[0], xy[1]
}

// scatterR is Pearson's r (weighted where the view weights) that
// /api/scatter gives for a page's address.
func (f *fixture) scatterR(t *testing.T, page string) float64 {
	t.Helper()
	u, err := url.Parse(page)
	if err != nil {
		t.Fatal(err)
	}
	var res study.Result
	f.get(t, "/api/scatter?"+u.RawQuery).decode(t, 200, &res)
	name := study.FindingEstimator(study.Pearson, res.Spec.Estimation.Weights)
	for _, fd := range res.Findings {
		if fd.Estimator == name {
			return fd.Estimate.V
		}
	}
	t.Fatalf("%s: no %s finding", page, name)
	return 0
}
