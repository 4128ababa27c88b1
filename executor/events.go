package executor

import (
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// Event is progress reported while a plan is applied. The CLI renders
// events; the executor never prints.
type Event interface{ isEvent() }

// RunStarted is sent once, before any action starts.
type RunStarted struct {
	RunID    int64
	Actions  int   // actions that will run (unfillable gaps excluded)
	Estimate int64 // estimated candles over all actions
}

// ActionStarted is sent when a worker picks an action up.
type ActionStarted struct {
	Index  int // position in the plan's action list
	Action planner.Action
}

// ActionProgress is sent after each confirmed batch.
type ActionProgress struct {
	Index int
	Rows  int64 // rows written by this action so far
	Delta int64 // rows written by this batch
}

// ActionFinished is sent when an action completed and state recorded it.
type ActionFinished struct {
	Index    int
	Action   planner.Action
	Rows     int64
	Duration time.Duration
	// Short are parts of the span the source did not reach; they stay
	// open gaps for the next plan.
	Short ohlc.SpanSet
}

// ActionFailed is sent when an action stopped with an error. What it
// wrote before the error is recorded; the rest of the run goes on.
type ActionFailed struct {
	Index  int
	Action planner.Action
	Rows   int64
	Err    error
}

// ActionSkipped is an action not run because an action it waits for did
// not complete.
type ActionSkipped struct {
	Index  int
	Action planner.Action
	Err    error // why: wraps ErrDependency
}

// RebuildProgress is sent after each page of trades a rebuild took.
type RebuildProgress struct {
	Index    int
	Action   planner.Action
	Trades   int64 // trades taken so far
	Requests int   // requests made so far, retries included
	Rows     int64 // candles written so far, every interval
	Reached  int64 // trade time reached: every trade before it was taken
	Elapsed  time.Duration
	// Left is the estimated time to the span's end: the plan's estimate
	// at first, then the pace so far.
	Left time.Duration
}

// CrossChecked is sent when a rebuild finds candles the sink already
// held from another source over its span: they were compared with the
// rebuilt ones and kept (docs/planning.md, "Rebuilds from trades").
type CrossChecked struct {
	Index    int
	Action   planner.Action
	Compared int64  // stored candles compared
	Differ   int64  // of them, those differing beyond the tolerances
	First    string // the first difference, described; "" when none
}

// RunFinished is sent once, last.
type RunFinished struct {
	Result Result
}

func (RunStarted) isEvent()      {}
func (ActionStarted) isEvent()   {}
func (ActionProgress) isEvent()  {}
func (ActionFinished) isEvent()  {}
func (ActionFailed) isEvent()    {}
func (ActionSkipped) isEvent()   {}
func (RunFinished) isEvent()     {}
func (RebuildProgress) isEvent() {}
func (CrossChecked) isEvent()    {}
