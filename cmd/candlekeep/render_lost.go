package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/workspace"
)

// exitLost is the exit status of an apply or check that found candles
// lost for good with lost_severity = "error" (docs/exit-codes.md).
const exitLost = 5

// renderLost tells, loudly and after everything else, which candles a
// late run lost for good and what would still fill them; fatal (a lost
// stretch is an error) heads it as an error.
func renderLost(w io.Writer, lost []workspace.LostGap, fatal bool, st style) {
	if len(lost) == 0 {
		return
	}
	var candles int64
	for _, a := range lost {
		candles += a.Lost.Candles(a.Series.Interval)
	}
	head := st.yellow(st.bold("Warning:"))
	if fatal {
		head = st.red(st.bold("Error:"))
	}
	them := plural(int(min(candles, 2)), "it", "them")
	fmt.Fprintf(w, "\n%s %s %s lost for good: no run reached %s while Kraken's REST API still served %s.\n",
		head, count(candles), plural(int(min(candles, 2)), "candle", "candles"), them, them)
	for _, a := range lost {
		fmt.Fprintf(w, "  %s %s  %s %s (lost_severity = %q)\n", st.red("✗"), a.Series, a.Lost,
			count(a.Lost.Candles(a.Series.Interval))+" "+plural(int(min(a.Lost.Candles(a.Series.Interval), 2)), "candle", "candles"), a.Severity)
		if a.Suggestion != (planner.Suggestion{}) {
			fmt.Fprintf(w, "      %s\n", st.dim("fill: "+fillText(a.Action)))
		}
	}
	fmt.Fprintln(w, "Kraken's trade history can rebuild them too. Run apply more often than the shortest interval's API window (59 hours for 5-minute candles); see 'candlekeep state gaps'.")
}

// logLost is renderLost for -log-format=json: one record per lost gap.
func logLost(log *slog.Logger, lost []workspace.LostGap) {
	for _, a := range lost {
		level := slog.LevelWarn
		if a.Severity == config.SeverityError {
			level = slog.LevelError
		}
		log.Log(context.Background(), level, "candles lost", "series", a.Series.String(), "span", a.Lost.String(),
			"candles", a.Lost.Candles(a.Series.Interval), "fill", fillText(a.Action))
	}
}

// jsonLost is the -json event of one lost stretch.
type jsonLost struct {
	Type     string        `json:"type"`
	Time     string        `json:"time"`
	Series   string        `json:"series"`
	Span     ohlc.JSONSpan `json:"span"`
	Candles  int64         `json:"candles"`
	Severity string        `json:"severity"`
	Fill     string        `json:"fill,omitempty"`
}

// writeLostJSON is renderLost for the -json event stream: one
// candles_lost line per lost stretch.
func writeLostJSON(w io.Writer, lost []workspace.LostGap) {
	enc := json.NewEncoder(w)
	for _, a := range lost {
		_ = enc.Encode(jsonLost{
			Type: "candles_lost", Time: ohlc.JSONTimeOf(time.Now().Unix()), Series: a.Series.String(),
			Span: a.Lost.JSON(), Candles: a.Lost.Candles(a.Series.Interval),
			Severity: string(a.Severity), Fill: fillText(a.Action),
		})
	}
}

// reportLost reports lost candles in the command's output format and
// returns the exit status they call for: exitLost when any is an error.
// The -json event stream's candles_lost lines are written before its
// summary (writeLostJSON).
func reportLost(w io.Writer, lost []workspace.LostGap, fatal bool, st style, jsonOut, jsonLog bool) error {
	switch {
	case jsonOut:
	case jsonLog:
		logLost(slog.New(slog.NewJSONHandler(w, nil)), lost)
	default:
		renderLost(w, lost, fatal, st)
	}
	if fatal {
		return &exitCode{code: exitLost, err: errReported}
	}
	return nil
}
