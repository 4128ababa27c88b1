package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/workspace"
)

// exitStale is check's exit status when a series is older than its
// error_after: distinct from 1 (candlekeep failed) so that an alert can
// tell stale data from a broken run.
const exitStale = 4

// Freshness statuses, in increasing severity.
const (
	freshPass  = "pass"
	freshWarn  = "warn"
	freshError = "error"
)

// freshnessResult is one series' freshness at now.
type freshnessResult struct {
	Series   ohlc.Series
	Coverage []string // blocks with freshness naming the series, sorted
	// The strictest thresholds of those blocks; 0 when none sets one.
	WarnAfter, ErrorAfter time.Duration
	Expected              int64 // where data should reach: the start of the forming candle
	CoveredUntil          int64 // end of the latest covered span; 0 when never loaded
	Age                   int64 // seconds, Expected − CoveredUntil, at least 0
	Status                string
}

func runCheck(ctx context.Context, env *cliEnv, args []string) (err error) {
	fs := newFlagSet(env, "check", "check [-format=text|json] [-now=TIME] [-var 'k=v'] [-var-file=FILE] [-no-color]")
	var cf configFlags
	cf.register(fs)
	var clock clockFlag
	clock.register(fs)
	format := fs.String("format", "text", "output format: text or json")
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("check takes no arguments, got %q", fs.Args())
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("-format: %q is not text or json", *format)
	}
	now, err := clock.now()
	if err != nil {
		return err
	}
	cfg, err := loadConfig(env, &cf)
	if err != nil {
		return err
	}
	// Coverage in state is what candlekeep vouches for; the sink is not
	// read, so check is quick and needs no sink credentials. No lock:
	// the snapshot is one read transaction. A state that does not exist
	// yet is read as empty, not created: check only reads.
	coverage := map[ohlc.Series]ohlc.SpanSet{}
	if workspace.StateExists(cfg) {
		st, _, err := workspace.OpenBoundState(ctx, cfg)
		if err != nil {
			return err
		}
		defer closeWith(&err, st)
		snap, err := st.Snapshot(ctx)
		if err != nil {
			return err
		}
		coverage = snap.Coverage
	}
	results := checkFreshness(cfg, coverage, now)
	if *format == "json" {
		err = writeCheckJSON(env.stdout, results, now)
	} else {
		err = writeCheckText(env.stdout, results, style{enabled: colorFor(env.stdout, cf.noColor, env.environ)})
	}
	if err != nil {
		return err
	}
	if worstStatus(results) == freshError {
		return &exitCode{code: exitStale}
	}
	return nil
}

// checkFreshness judges every series of the coverage blocks that carry a
// freshness block. A series named by several such blocks gets the
// strictest thresholds and the latest expected end among them.
func checkFreshness(cfg *config.Config, coverage map[ohlc.Series]ohlc.SpanSet, now int64) []freshnessResult {
	bySeries := map[ohlc.Series]*freshnessResult{}
	for _, c := range cfg.Coverage {
		if c.Freshness == (config.Freshness{}) {
			continue
		}
		windowEnd := c.Window.Span(now).End
		for _, pair := range c.Pairs {
			for _, iv := range c.Intervals {
				s := ohlc.Series{Pair: pair, Interval: iv}
				r := bySeries[s]
				if r == nil {
					r = &freshnessResult{Series: s}
					bySeries[s] = r
				}
				r.Coverage = append(r.Coverage, c.Name)
				r.WarnAfter = stricter(r.WarnAfter, c.Freshness.WarnAfter)
				r.ErrorAfter = stricter(r.ErrorAfter, c.Freshness.ErrorAfter)
				// A window with a fixed end in the past expects data
				// only up to that end.
				r.Expected = max(r.Expected, iv.AlignDown(min(now, windowEnd)))
			}
		}
	}
	out := make([]freshnessResult, 0, len(bySeries))
	for s, r := range bySeries {
		slices.Sort(r.Coverage)
		r.Coverage = slices.Compact(r.Coverage)
		if spans := coverage[s]; len(spans) > 0 {
			r.CoveredUntil = spans[len(spans)-1].End
			r.Age = max(0, r.Expected-r.CoveredUntil)
		}
		r.Status = judge(*r)
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b freshnessResult) int {
		if c := strings.Compare(a.Series.Pair, b.Series.Pair); c != 0 {
			return c
		}
		return int(a.Series.Interval) - int(b.Series.Interval)
	})
	return out
}

// stricter is the shorter of two thresholds, 0 meaning unset.
func stricter(a, b time.Duration) time.Duration {
	if a == 0 || (b != 0 && b < a) {
		return b
	}
	return a
}

// judge compares a series' age with its thresholds; a series never loaded
// is as stale as can be.
func judge(r freshnessResult) string {
	age := time.Duration(r.Age) * time.Second
	never := r.CoveredUntil == 0
	switch {
	case r.ErrorAfter > 0 && (never || age > r.ErrorAfter):
		return freshError
	case never || (r.WarnAfter > 0 && age > r.WarnAfter):
		return freshWarn
	}
	return freshPass
}

func worstStatus(results []freshnessResult) string {
	worst := freshPass
	for _, r := range results {
		if r.Status == freshError || (r.Status == freshWarn && worst == freshPass) {
			worst = r.Status
		}
	}
	return worst
}

func writeCheckText(w io.Writer, results []freshnessResult, sty style) error {
	if len(results) == 0 {
		_, err := fmt.Fprintln(w, "No coverage block has a freshness block; nothing to check.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SERIES\tCOVERAGE\tCOVERED UNTIL\tAGE\tSTATUS")
	counts := map[string]int{}
	for _, r := range results {
		counts[r.Status]++
		until, age := "never", "-"
		if r.CoveredUntil != 0 {
			until, age = ohlc.FormatTime(r.CoveredUntil), formatAge(r.Age)
		}
		// The coloured status is the last column: escape codes inside
		// a padded column would throw tabwriter's widths off.
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Series, strings.Join(r.Coverage, ","), until, age, colourStatus(sty, r.Status))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d series checked: %d pass, %d warn, %d error.\n",
		len(results), counts[freshPass], counts[freshWarn], counts[freshError])
	return err
}

func colourStatus(sty style, status string) string {
	switch status {
	case freshError:
		return sty.red(status)
	case freshWarn:
		return sty.yellow(status)
	}
	return sty.green(status)
}

// formatAge renders seconds as days, hours, minutes and seconds: 0, 45m,
// 1d2h.
func formatAge(sec int64) string {
	if sec <= 0 {
		return "0"
	}
	var b strings.Builder
	for _, u := range []struct {
		unit string
		secs int64
	}{{"d", 86400}, {"h", 3600}, {"m", 60}, {"s", 1}} {
		if n := sec / u.secs; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.unit)
			sec -= n * u.secs
		}
	}
	return b.String()
}

// checkJSON is the document of `check -format=json`; see docs/json-format.md.
type checkJSON struct {
	FormatVersion string            `json:"format_version"`
	Now           string            `json:"now"`
	Status        string            `json:"status"`
	Counts        map[string]int    `json:"counts"`
	Series        []checkSeriesJSON `json:"series"`
}

type checkSeriesJSON struct {
	Series            string   `json:"series"`
	Pair              string   `json:"pair"`
	Interval          int      `json:"interval"`
	Coverage          []string `json:"coverage"`
	Status            string   `json:"status"`
	ExpectedUntil     string   `json:"expected_until"`
	CoveredUntil      string   `json:"covered_until,omitempty"`
	AgeSeconds        *int64   `json:"age_seconds,omitempty"`
	WarnAfterSeconds  int64    `json:"warn_after_seconds,omitempty"`
	ErrorAfterSeconds int64    `json:"error_after_seconds,omitempty"`
}

func writeCheckJSON(w io.Writer, results []freshnessResult, now int64) error {
	doc := checkJSON{FormatVersion: "1.0", Now: unixRFC3339(now), Status: worstStatus(results),
		Counts: map[string]int{freshPass: 0, freshWarn: 0, freshError: 0}, Series: []checkSeriesJSON{}}
	for _, r := range results {
		doc.Counts[r.Status]++
		s := checkSeriesJSON{Series: r.Series.String(), Pair: r.Series.Pair, Interval: int(r.Series.Interval),
			Coverage: r.Coverage, Status: r.Status, ExpectedUntil: unixRFC3339(r.Expected),
			WarnAfterSeconds: int64(r.WarnAfter.Seconds()), ErrorAfterSeconds: int64(r.ErrorAfter.Seconds())}
		if r.CoveredUntil != 0 {
			age := r.Age
			s.CoveredUntil, s.AgeSeconds = unixRFC3339(r.CoveredUntil), &age
		}
		doc.Series = append(doc.Series, s)
	}
	return writeJSON(w, doc)
}
