// Package browsertest drives headless Chromium (through chromedp) for
// tests that check what a person sees: a page loaded from a file:// URL,
// with every console message and every network request recorded.
//
// Tests using it skip where Chromium is not installed; CI installs it
// (.ci/run). Screenshots go to t.TempDir(), or to the directory named by
// CANDLEKEEP_SCREENSHOTS, which keeps them.
package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// ShotsEnv names a directory where screenshots are kept after the test.
const ShotsEnv = "CANDLEKEEP_SCREENSHOTS"

// Browser is one headless Chromium tab and what it saw.
type Browser struct {
	Ctx context.Context
	t   testing.TB

	mu       sync.Mutex
	console  []string // console errors and uncaught exceptions
	requests []string // URLs requested other than file://
}

// ExecPath finds Chromium, or "" when it is not installed.
func ExecPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts Chromium with a window width px wide, or skips the test
// when Chromium is absent.
func New(t testing.TB, width int) *Browser {
	t.Helper()
	path := ExecPath()
	if path == "" {
		t.Skip("chromium is not installed (apt-get install chromium; .ci/run installs it): skipping the browser test")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root
		chromedp.WindowSize(width, 900),
		chromedp.Flag("hide-scrollbars", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	b := &Browser{Ctx: ctx, t: t}
	err := chromedp.Listen(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range ev.Args {
					args = append(args, a.Description+string(a.Value))
				}
				b.console = append(b.console, string(ev.Type)+": "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			b.console = append(b.console, fmt.Sprintf("exception at line %d: %s", ev.ExceptionDetails.LineNumber, ev.ExceptionDetails.Text))
		case *network.EventRequestWillBeSent:
			if !strings.HasPrefix(ev.Request.URL, "file://") && !strings.HasPrefix(ev.Request.URL, "data:") {
				b.requests = append(b.requests, ev.Request.URL)
			}
		}
	})
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("enable network events: %v", err)
	}
	return b
}

// Open loads a local file and waits until its body is there.
func (b *Browser) Open(path string) {
	b.t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		b.t.Fatal(err)
	}
	u := (&url.URL{Scheme: "file", Path: abs}).String()
	if err := chromedp.Do(b.Ctx, chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		b.t.Fatalf("open %s: %v", u, err)
	}
}

// CheckQuiet fails the test on any console error or network request.
func (b *Browser) CheckQuiet() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range b.console {
		b.t.Errorf("console: %s", c)
	}
	for _, r := range b.requests {
		b.t.Errorf("network request to %s: the page must be self-contained", r)
	}
}

// Screenshot saves a full-page PNG named name and returns its path.
func (b *Browser) Screenshot(name string) string {
	b.t.Helper()
	return b.save(name, chromedp.FullScreenshot(100))
}

// ViewportShot saves a PNG of what the window shows (the first screen),
// for pages too long to capture whole.
func (b *Browser) ViewportShot(name string) string {
	b.t.Helper()
	return b.save(name, chromedp.CaptureScreenshot())
}

func (b *Browser) save(name string, shot chromedp.Action[[]byte]) string {
	b.t.Helper()
	png, err := chromedp.Run(b.Ctx, shot)
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	dir := os.Getenv(ShotsEnv)
	if dir == "" {
		dir = b.t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatalf("save screenshot: %v", err)
	}
	b.t.Logf("screenshot %s (set %s=DIR to keep it)", path, ShotsEnv)
	return path
}

// Eval evaluates a JavaScript expression whose value is JSON of type T.
func Eval[T any](b *Browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// Text is the text content of the first element the CSS selector matches.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.Ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// Hover moves the mouse to the centre of the first element sel matches,
// as a person pointing at it would.
func (b *Browser) Hover(sel string) {
	b.t.Helper()
	box := Eval[[]float64](b, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return [r.x + r.width/2, r.y + r.height/2]; })()`, sel))
	if err := chromedp.Do(b.Ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, box[0], box[1])); err != nil {
		b.t.Fatalf("hover %s: %v", sel, err)
	}
}
