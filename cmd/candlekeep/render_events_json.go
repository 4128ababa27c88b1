package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// jsonEventView renders executor events for `apply -json`: one JSON
// object per line, for log shippers. docs/json-format.md documents the
// event types; change both together.
type jsonEventView struct {
	enc *json.Encoder
	now func() time.Time // injectable so tests get fixed times
}

func newJSONEventView(w io.Writer) *jsonEventView {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // log lines, not HTML: keep "›" and "<" readable
	return &jsonEventView{enc: enc, now: time.Now}
}

type jsonEventSource struct {
	Dump   string `json:"dump"`
	Member string `json:"member"`
}

type jsonRunStarted struct {
	Type     string `json:"type"`
	Time     string `json:"time"`
	RunID    int64  `json:"run_id"`
	Actions  int    `json:"actions"`
	Estimate int64  `json:"estimate"`
}

type jsonActionStarted struct {
	Type     string           `json:"type"`
	Time     string           `json:"time"`
	Index    int              `json:"index"`
	Kind     string           `json:"kind"`
	Series   string           `json:"series"`
	Span     ohlc.JSONSpan    `json:"span"`
	Source   *jsonEventSource `json:"source,omitempty"`
	Estimate int64            `json:"estimated_candles"`
}

type jsonActionProgress struct {
	Type  string `json:"type"`
	Time  string `json:"time"`
	Index int    `json:"index"`
	Rows  int64  `json:"rows"`
	Delta int64  `json:"delta"`
}

type jsonActionFinished struct {
	Type       string          `json:"type"`
	Time       string          `json:"time"`
	Index      int             `json:"index"`
	Series     string          `json:"series"`
	Rows       int64           `json:"rows"`
	DurationMS int64           `json:"duration_ms"`
	Short      []ohlc.JSONSpan `json:"short,omitempty"`
}

type jsonActionFailed struct {
	Type        string `json:"type"`
	Time        string `json:"time"`
	Index       int    `json:"index"`
	Series      string `json:"series"`
	Rows        int64  `json:"rows"`
	Error       string `json:"error"`
	Interrupted bool   `json:"interrupted"`
}

type jsonActionSkipped struct {
	Type   string `json:"type"`
	Time   string `json:"time"`
	Index  int    `json:"index"`
	Series string `json:"series"`
	Error  string `json:"error"`
}

type jsonAPIUnreachable struct {
	Type  string `json:"type"`
	Time  string `json:"time"`
	Index int    `json:"index"`
	Error string `json:"error"`
}

type jsonSummary struct {
	Type        string `json:"type"`
	Time        string `json:"time"`
	Status      string `json:"status"`
	RunID       int64  `json:"run_id"`
	Loads       int    `json:"loads"`
	Backfills   int    `json:"backfills"`
	Derives     int    `json:"derives"`
	Rebuilds    int    `json:"rebuilds,omitempty"`
	Failed      int    `json:"failed"`
	Skipped     int    `json:"skipped"`
	Rows        int64  `json:"rows"`
	DurationMS  int64  `json:"duration_ms"`
	Interrupted bool   `json:"interrupted"`
	Unfillable  int    `json:"unfillable"`
}

// handle is called by the executor, one event at a time. RunFinished
// writes nothing: the summary line comes from summary, which also knows
// the plan's unfillable gaps.
func (v *jsonEventView) handle(ev executor.Event) {
	at := ohlc.JSONTimeOf(v.now().Unix())
	switch e := ev.(type) {
	case executor.RunStarted:
		v.write(jsonRunStarted{Type: "run_started", Time: at, RunID: e.RunID, Actions: e.Actions, Estimate: e.Estimate})
	case executor.ActionStarted:
		line := jsonActionStarted{
			Type: "action_started", Time: at, Index: e.Index,
			Kind: string(e.Action.Kind), Series: e.Action.Series.String(),
			Span: e.Action.Span.JSON(), Estimate: e.Action.Estimate,
		}
		if e.Action.CSV != nil {
			line.Source = &jsonEventSource{Dump: e.Action.CSV.Dump, Member: e.Action.CSV.Member}
		}
		v.write(line)
	case executor.ActionProgress:
		v.write(jsonActionProgress{Type: "action_progress", Time: at, Index: e.Index, Rows: e.Rows, Delta: e.Delta})
	case executor.ActionFinished:
		line := jsonActionFinished{
			Type: "action_finished", Time: at, Index: e.Index, Series: e.Action.Series.String(),
			Rows: e.Rows, DurationMS: e.Duration.Milliseconds(),
		}
		for _, s := range e.Short {
			line.Short = append(line.Short, s.JSON())
		}
		v.write(line)
	case executor.ActionSkipped:
		v.write(jsonActionSkipped{Type: "action_skipped", Time: at, Index: e.Index, Series: e.Action.Series.String(), Error: e.Err.Error()})
	case executor.APIUnreachable:
		v.write(jsonAPIUnreachable{Type: "api_unreachable", Time: at, Index: e.Index, Error: e.Err.Error()})
	case executor.ActionFailed:
		v.write(jsonActionFailed{
			Type: "action_failed", Time: at, Index: e.Index, Series: e.Action.Series.String(),
			Rows: e.Rows, Error: e.Err.Error(), Interrupted: errors.Is(e.Err, executor.ErrInterrupted),
		})
	default:
		v.handleRebuild(at, ev)
	}
}

// summary writes the last line. A plan without changes starts no run
// (run_id 0): its status is "no_changes".
func (v *jsonEventView) summary(res executor.Result, unfillable int) {
	status := string(res.Status)
	if res.RunID == 0 {
		status = "no_changes"
	}
	v.write(jsonSummary{
		Type: "summary", Time: ohlc.JSONTimeOf(v.now().Unix()), Status: status, RunID: res.RunID,
		Loads: res.Done[planner.LoadCSV], Backfills: res.Done[planner.BackfillAPI], Derives: res.Done[planner.Derive], Rebuilds: res.Done[planner.RebuildTrades], Failed: len(res.Failures), Skipped: res.Skipped,
		Rows: res.Rows, DurationMS: res.Duration.Milliseconds(), Interrupted: res.Interrupted,
		Unfillable: unfillable,
	})
}

// write encodes one line. Like the text view's, its write errors are not
// the run's: what was loaded is recorded in state either way.
func (v *jsonEventView) write(line any) { _ = v.enc.Encode(line) }

// applyRenderer is a view of a running apply: text for people, JSON lines
// for log shippers.
type applyRenderer interface {
	handle(executor.Event)
	summary(res executor.Result, unfillable int)
}

// newApplyRenderer picks the view for apply's stdout.
func newApplyRenderer(w io.Writer, st style, jsonLines, jsonLog bool) applyRenderer {
	switch {
	case jsonLines:
		return newJSONEventView(w)
	case jsonLog:
		return newLogView(w)
	}
	fmt.Fprintln(w) // a blank line between the plan and the run
	return newApplyView(w, st, isTerminal(w))
}

// errJSONNeedsApproval: JSON lines leave no room for a prompt, so apply
// -json must be approved up front, as Terraform's apply -json must.
var errJSONNeedsApproval = errors.New("apply -json cannot ask for approval: pass -auto-approve, or apply a saved plan FILE")
