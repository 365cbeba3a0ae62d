// Package browsertest opens pages in Debian's Chromium for end-to-end
// tests (the report's and the dashboard's): a headless browser that
// reaches no network, a watch on everything the page reports as wrong and
// on every request it makes, and screenshots that must not be blank. Only
// tests import it.
package browsertest

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // full-page screenshots
	_ "image/png"  // element screenshots
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Chromium is Debian's Chromium, which .ci/run installs.
const Chromium = "/usr/bin/chromium"

// Width is the browser window's width in CSS pixels: a laptop's.
const Width = 1200

// screenshots is the flag that keeps a test's screenshots.
var screenshots = flag.String("screenshots", "", "folder the browser tests save their screenshots in (default: $ASSAY_SCREENSHOTS, else the test's temporary folder)")

// Start starts a headless Chromium with a window Width wide, skipping the
// test where Chromium is absent. Without the flags that turn off its
// background services it retries connections to Google's. The browser
// lives until the test ends or timeout passes.
func Start(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	if _, err := os.Stat(Chromium); err != nil {
		t.Skipf("%s is not installed (apt-get install chromium; .ci/run installs it): not checked in a browser", Chromium)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(Chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(Width, 1000),
	)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(ctx)
	t.Cleanup(cancelTab)
	return ctx
}

// Watch records what a tab reports as wrong (console errors and
// assertions, uncaught exceptions, the browser log's errors, a CSP
// violation among them) and every URL it requests.
type Watch struct {
	mu       sync.Mutex
	problems []string
	requests []string
}

// Listen starts watching the tab of ctx.
func Listen(t *testing.T, ctx context.Context) *Watch {
	t.Helper()
	w := &Watch{}
	if err := chromedp.Listen(ctx, func(ev any) {
		w.mu.Lock()
		defer w.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				w.problems = append(w.problems, fmt.Sprintf("console.%s", ev.Type))
			}
		case *runtime.EventExceptionThrown:
			w.problems = append(w.problems, "exception: "+ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				w.problems = append(w.problems, fmt.Sprintf("%s error: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		case *network.EventRequestWillBeSent:
			w.requests = append(w.requests, ev.Request.URL)
		}
	}); err != nil {
		t.Fatal(err)
	}
	return w
}

// Problems returns what went wrong so far and forgets it.
func (w *Watch) Problems() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	p := w.problems
	w.problems = nil
	return p
}

// Requests returns the URLs requested so far and forgets them.
func (w *Watch) Requests() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	r := w.requests
	w.requests = nil
	return r
}

// Dir is the folder screenshots go to: the one -screenshots names, else
// $ASSAY_SCREENSHOTS, else the test's temporary folder.
func Dir(t *testing.T) string {
	t.Helper()
	dir := *screenshots
	if dir == "" {
		dir = os.Getenv("ASSAY_SCREENSHOTS")
	}
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Save writes a screenshot.
func Save(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// NotBlank fails unless an image has ink: at least 1% of its pixels are not
// white, in more than a few colours. It looks at every third pixel of every
// third row: enough to tell, and a full page is tens of millions.
func NotBlank(t *testing.T, what string, b []byte) {
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
