package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// applyView renders executor events: a line per action start and end
// (journald-friendly), and on a terminal a progress bar of candles.
type applyView struct {
	w   io.Writer
	st  style
	tty bool
	bar *progressbar.ProgressBar
	// progress logs a line every progressEvery for long actions off a
	// terminal (journald), where there is no bar.
	progress *progressLog
	// active are the series of the actions running now, by action index,
	// shown in the bar's description; a rebuild's with its pace and ETA.
	active map[int]string
	// throttle is the bar's shortest time between two redraws.
	throttle time.Duration
	// brief logs actions when they end only (an unattended apply).
	brief bool
}

// running records that action idx runs series (or, with "", has ended) and
// shows the running series beside the bar, whose rate is rows/s.
func (v *applyView) running(idx int, series string) {
	if v.bar == nil {
		return
	}
	if v.active == nil {
		v.active = map[int]string{}
	}
	if series == "" {
		delete(v.active, idx)
	} else {
		v.active[idx] = series
	}
	names := make([]string, 0, len(v.active))
	for _, k := range slices.Sorted(maps.Keys(v.active)) {
		names = append(names, v.active[k])
	}
	// Groups of small files start hundreds of actions at once: name a
	// few, so the bar stays one line.
	if len(names) > maxBarNames {
		names = append(names[:maxBarNames], fmt.Sprintf("+%d more", len(names)-maxBarNames))
	}
	desc := "candles"
	if len(names) > 0 {
		desc += " (" + strings.Join(names, ", ") + ")"
	}
	v.bar.Describe(desc)
}

// maxBarNames is how many running series the progress bar names.
const maxBarNames = 3

func newApplyView(w io.Writer, st style, tty bool) *applyView {
	v := &applyView{w: w, st: st, tty: tty, throttle: 100 * time.Millisecond}
	if !tty {
		v.progress = newProgressLog(time.Now)
	}
	return v
}

// handle is called by the executor, one event at a time.
func (v *applyView) handle(ev executor.Event) {
	switch e := ev.(type) {
	case executor.RunStarted:
		if v.tty && e.Estimate > 0 {
			v.bar = progressbar.NewOptions64(e.Estimate,
				progressbar.OptionSetWriter(v.w),
				progressbar.OptionSetDescription("candles"),
				progressbar.OptionShowCount(),
				progressbar.OptionShowIts(),
				progressbar.OptionSetItsString("rows"),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionThrottle(v.throttle),
				progressbar.OptionClearOnFinish(),
			)
		}
	case executor.ActionStarted:
		if !v.brief {
			v.line("%s: %s", actionTitle(e.Action), startVerb(e.Action))
		}
		v.running(e.Index, e.Action.Series.String())
		if v.progress != nil {
			v.progress.started(e)
		}
	case executor.ActionProgress:
		if v.bar != nil {
			_ = v.bar.Add64(e.Delta)
		}
		if v.progress != nil {
			if line := v.progress.line(e); line != "" {
				v.line("%s", line)
			}
		}
	case executor.ActionFinished:
		v.running(e.Index, "")
		if v.progress != nil {
			v.progress.ended(e.Index)
		}
		verb := "loaded"
		switch e.Action.Kind {
		case planner.BackfillAPI:
			verb = "backfilled"
		case planner.RebuildTrades:
			verb = "rebuilt"
		case planner.Derive:
			verb = "derived"
		}
		short := ""
		if len(e.Short) > 0 {
			short = v.st.yellow("; the answer did not reach " + e.Short.String() + ", left open")
		}
		v.line("%s: %s %s %s in %s%s", actionTitle(e.Action), v.st.green(verb), count(e.Rows), plural(int(min(e.Rows, 2)), "candle", "candles"), seconds(e.Duration), short)
	case executor.ActionFailed:
		v.running(e.Index, "")
		if v.progress != nil {
			v.progress.ended(e.Index)
		}
		if errors.Is(e.Err, executor.ErrInterrupted) {
			v.line("%s: %s after %s %s; recorded up to there", actionTitle(e.Action), v.st.yellow("stopped"), count(e.Rows), plural(int(min(e.Rows, 2)), "candle", "candles"))
			return
		}
		if errors.Is(e.Err, executor.ErrAPISkipped) {
			v.line("%s: %s", actionTitle(e.Action), v.st.yellow("skipped: Kraken's API is unreachable"))
			return
		}
		v.line("%s: %s after %s %s: %v", actionTitle(e.Action), v.st.red("failed"), count(e.Rows), plural(int(min(e.Rows, 2)), "candle", "candles"), e.Err)
	case executor.ActionSkipped:
		v.line("%s: %s", actionTitle(e.Action), v.st.yellow("skipped: "+e.Err.Error()))
	case executor.RebuildProgress:
		switch {
		case v.bar != nil:
			v.running(e.Index, rebuildBarText(e))
		case v.progress != nil:
			if v.progress.due(e.Index) {
				v.line("%s", rebuildProgressLine(e))
			}
		}
	case executor.CrossChecked:
		v.line("%s", crossCheckLine(e))
	case executor.APIUnreachable:
		v.line("%s %v", v.st.red(v.st.bold("Kraken's API is unreachable; the remaining API backfills and rebuilds are skipped:")), e.Err)
	case executor.RunFinished:
		if v.bar != nil {
			_ = v.bar.Finish()
		}
	}
}

// line prints one line, keeping it clear of the progress bar.
func (v *applyView) line(format string, args ...any) {
	if v.bar != nil {
		_ = v.bar.Clear()
	}
	fmt.Fprintf(v.w, format+"\n", args...)
}

func actionTitle(a planner.Action) string { return a.Series.String() + " " + a.Span.String() }

func startVerb(a planner.Action) string {
	switch {
	case a.CSV != nil:
		return "loading " + a.CSV.Dump + " › " + a.CSV.Member
	case a.Kind == planner.BackfillAPI:
		return "fetching from Kraken's REST API"
	case a.Kind == planner.Derive:
		return "deriving from " + ohlc.Series{Pair: a.Series.Pair, Interval: a.From}.String()
	case a.Kind == planner.RebuildTrades:
		return "rebuilding " + rebuildIntervals(a) + " from Kraken's trades, " + rebuildCost(a.Trades, a.Requests, a.Duration, a.Rate)
	}
	return string(a.Kind)
}

// summary prints the closing line: "Apply complete: 3 CSV loads,
// 1,234,567 candles written in 4.2s."
func (v *applyView) summary(res executor.Result, unfillable int) {
	fmt.Fprintln(v.w)
	n, b := res.Done[planner.LoadCSV], res.Done[planner.BackfillAPI]
	loads := fmt.Sprintf("%d CSV %s", n, plural(n, "load", "loads"))
	if b > 0 {
		loads += fmt.Sprintf(", %d API %s", b, plural(b, "backfill", "backfills"))
	}
	if d := res.Done[planner.Derive]; d > 0 {
		loads += fmt.Sprintf(", %d %s", d, plural(d, "derive", "derives"))
	}
	if r := res.Done[planner.RebuildTrades]; r > 0 {
		loads += fmt.Sprintf(", %d %s", r, plural(r, "rebuild", "rebuilds"))
	}
	written := fmt.Sprintf("%s candles written in %s", count(res.Rows), seconds(res.Duration))
	switch {
	case res.Interrupted:
		notStarted := ""
		if res.Stopped > 0 {
			// The loads that wrote the candles counted, though unfinished.
			loads += fmt.Sprintf(" done, %d stopped part way", res.Stopped)
		}
		if res.Skipped > 0 {
			notStarted = fmt.Sprintf("; %d %s not started", res.Skipped, plural(res.Skipped, "action", "actions"))
		}
		fmt.Fprintf(v.w, "%s %s, %s%s. The next apply resumes where this one stopped.\n",
			v.st.yellow(v.st.bold("Apply interrupted:")), loads, written, notStarted)
	case len(res.Failures) > 0:
		skipped := ""
		if res.APISkipped > 0 {
			skipped = fmt.Sprintf(", %d API %s skipped (Kraken's API is unreachable)", res.APISkipped, plural(res.APISkipped, "backfill", "backfills"))
		}
		fmt.Fprintf(v.w, "%s %s, %d failed%s, %s.\n", v.st.red(v.st.bold("Apply failed:")), loads, len(res.Failures), skipped, written)
		for _, f := range res.Failures {
			fmt.Fprintf(v.w, "  %s %s: %v\n", v.st.red("✗"), actionTitle(f.Action), f.Err)
		}
	default:
		fmt.Fprintf(v.w, "%s %s, %s.\n", v.st.green(v.st.bold("Apply complete:")), loads, written)
	}
	if unfillable > 0 {
		fmt.Fprintf(v.w, "%d unfillable %s recorded in state (see the plan above for what would fill them).\n", unfillable, plural(unfillable, "gap", "gaps"))
	}
}
