package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/planner"
)

// logView renders a running apply as log/slog records, for
// -log-format=json: one JSON object per line with time, level, msg and the
// action's fields, the shape log collectors parse without configuration.
// Unlike apply -json (a versioned event stream, docs/json-format.md), it is
// a log: fields may grow, messages are for people.
type logView struct {
	log *slog.Logger
}

func newLogView(w io.Writer) *logView {
	return &logView{log: slog.New(slog.NewJSONHandler(w, nil))}
}

func (v *logView) handle(ev executor.Event) {
	switch e := ev.(type) {
	case executor.RunStarted:
		v.log.Info("apply started", "run_id", e.RunID, "actions", e.Actions, "estimated_candles", e.Estimate)
	case executor.ActionStarted:
		attrs := []any{"series", e.Action.Series.String(), "span", e.Action.Span.String(), "kind", string(e.Action.Kind)}
		if e.Action.CSV != nil {
			attrs = append(attrs, "dump", e.Action.CSV.Dump, "member", e.Action.CSV.Member)
		}
		v.log.Info("action started", attrs...)
	case executor.ActionFinished:
		attrs := []any{"series", e.Action.Series.String(), "span", e.Action.Span.String(), "rows", e.Rows, "duration_ms", e.Duration.Milliseconds()}
		if len(e.Short) > 0 {
			attrs = append(attrs, "not_reached", e.Short.String())
		}
		v.log.Info("action finished", attrs...)
	case executor.ActionSkipped:
		v.log.Warn("action skipped", "series", e.Action.Series.String(), "span", e.Action.Span.String(), "error", e.Err.Error())
	case executor.APIUnreachable:
		v.log.Error("api unreachable: the remaining API backfills and rebuilds are skipped", "error", e.Err.Error())
	case executor.ActionFailed:
		if errors.Is(e.Err, executor.ErrInterrupted) {
			v.log.Warn("action stopped", "series", e.Action.Series.String(), "span", e.Action.Span.String(), "rows", e.Rows)
			return
		}
		if errors.Is(e.Err, executor.ErrAPISkipped) {
			v.log.Warn("action skipped", "series", e.Action.Series.String(), "span", e.Action.Span.String(), "error", e.Err.Error())
			return
		}
		v.log.Error("action failed", "series", e.Action.Series.String(), "span", e.Action.Span.String(), "rows", e.Rows, "error", e.Err.Error())
	}
}

func (v *logView) summary(res executor.Result, unfillable int) {
	level, msg := slog.LevelInfo, "apply complete"
	switch {
	case res.Interrupted:
		level, msg = slog.LevelWarn, "apply interrupted"
	case len(res.Failures) > 0:
		level, msg = slog.LevelError, "apply failed"
	}
	attrs := []any{"run_id", res.RunID, "loads", res.Done[planner.LoadCSV], "backfills", res.Done[planner.BackfillAPI], "derives", res.Done[planner.Derive]}
	if n := res.Done[planner.RebuildTrades]; n > 0 {
		attrs = append(attrs, "rebuilds", n)
	}
	attrs = append(attrs, "failed", len(res.Failures), "skipped", res.Skipped, "rows", res.Rows,
		"duration_ms", res.Duration.Milliseconds(), "unfillable_gaps", unfillable)
	v.log.Log(context.Background(), level, msg, attrs...)
}
