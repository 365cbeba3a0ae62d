package report

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // the full-page screenshot
	_ "image/png"  // the figures' screenshots
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

var screenshots = flag.String("screenshots", "", "folder the browser test saves its screenshots in (default: the test's temporary folder)")

// chromium is Debian's Chromium, which .ci/run installs.
const chromium = "/usr/bin/chromium"

// browser starts a headless Chromium that reaches no network: without
// these flags it retries connections to Google's services.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("%s is not installed (apt-get install chromium; .ci/run installs it): the report is not checked in a browser", chromium)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(pageWidth, 1000),
	)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(ctx)
	t.Cleanup(cancelTab)
	return ctx
}

// pageWidth is the browser window's width in CSS pixels: a laptop's.
const pageWidth = 1200

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
	ctx := browser(t)
	r, dir := writeReport(t)
	shots := *screenshots
	if shots == "" {
		shots = t.TempDir()
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	page := (&url.URL{Scheme: "file", Path: filepath.Join(dir, HTMLFile)}).String()

	var mu sync.Mutex
	var problems, requests []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				problems = append(problems, fmt.Sprintf("console.%s", ev.Type))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				problems = append(problems, fmt.Sprintf("%s error: %s", ev.Entry.Source, ev.Entry.Text))
			}
		case *network.EventRequestWillBeSent:
			requests = append(requests, ev.Request.URL)
		}
	}); err != nil {
		t.Fatal(err)
	}
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
	save(t, filepath.Join(shots, "report.jpg"), full)
	notBlank(t, "the full page", full)

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
			t.Errorf("figure %s: text as small as %.1f px on a %d px wide page", f.ID, got.MinFont, pageWidth)
		}
		for _, s := range got.Outside {
			t.Errorf("figure %s: text runs past its edge: %q", f.ID, s)
		}
		shot, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.ID("figure-"+f.ID)))
		if err != nil {
			t.Fatalf("figure %s: %v", f.ID, err)
		}
		save(t, filepath.Join(shots, f.ID+".png"), shot)
		notBlank(t, "figure "+f.ID, shot)
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

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser: %s", p)
	}
	for _, u := range requests {
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

func save(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// notBlank fails unless an image has ink: at least 1% of its pixels are not
// white, in more than a few colours. It looks at every third pixel of every
// third row: enough to tell, and the full page is tens of millions.
func notBlank(t *testing.T, what string, b []byte) {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	bounds := img.Bounds()
	ink := 0
	colours := map[color.RGBA]bool{}
	const step = 3
	seen := 0
	for y := bounds.Min.Y; y < bounds.Max.Y; y += step {
		for x := bounds.Min.X; x < bounds.Max.X; x += step {
			seen++
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			if c.R < 240 || c.G < 240 || c.B < 240 {
				ink++
			}
			if len(colours) < 64 {
				colours[c] = true
			}
		}
	}
	if seen == 0 || ink*100 < seen || len(colours) < 8 {
		t.Errorf("%s looks blank: %d × %d px, %d of %d looked at with ink, %d colours", what, bounds.Dx(), bounds.Dy(), ink, seen, len(colours))
	}
}
