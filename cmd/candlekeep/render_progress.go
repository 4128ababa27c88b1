package main

import (
	"fmt"
	"time"

	"github.com/feefifofunds/candlekeep/executor"
)

// progressEvery is how often, off a terminal, a long action logs how far
// it got: often enough to show life in journald, rarely enough not to
// flood it.
const progressEvery = 10 * time.Second

// progressLog decides, on each progress event, whether an action is due a
// progress line. It keeps no timer: without events nothing is due, and
// a stalled action shows as silence since its last line.
type progressLog struct {
	now     func() time.Time
	actions map[int]*actionProgress
}

// actionProgress is what one running action last logged.
type actionProgress struct {
	title    string
	estimate int64
	lastAt   time.Time
	lastRows int64
}

func newProgressLog(now func() time.Time) *progressLog {
	return &progressLog{now: now, actions: map[int]*actionProgress{}}
}

// started starts an action's clock.
func (p *progressLog) started(e executor.ActionStarted) {
	p.actions[e.Index] = &actionProgress{title: actionTitle(e.Action), estimate: e.Action.Estimate, lastAt: p.now()}
}

// ended forgets an action.
func (p *progressLog) ended(index int) { delete(p.actions, index) }

// due reports whether the action is due a progress line, and if so
// restarts its clock.
func (p *progressLog) due(index int) bool {
	a := p.actions[index]
	if a == nil || p.now().Sub(a.lastAt) < progressEvery {
		return false
	}
	a.lastAt = p.now()
	return true
}

// line returns the progress line due for this event, or "" when the
// action logged less than progressEvery ago: "XBTUSD/60 [2018-01-01,
// 2020-10-01): 1,230,000 of ~3,022,680 candles (41%), 312,000 rows/s".
// The rate is over the time since the action's last line.
func (p *progressLog) line(e executor.ActionProgress) string {
	a := p.actions[e.Index]
	if a == nil {
		return ""
	}
	now := p.now()
	elapsed := now.Sub(a.lastAt)
	if elapsed < progressEvery {
		return ""
	}
	rate := int64(float64(e.Rows-a.lastRows) / elapsed.Seconds())
	a.lastAt, a.lastRows = now, e.Rows
	done := count(e.Rows)
	if a.estimate > 0 {
		done += fmt.Sprintf(" of ~%s", count(a.estimate))
	}
	done += " " + plural(int(min(e.Rows, 2)), "candle", "candles")
	if a.estimate > 0 {
		done += fmt.Sprintf(" (%d%%)", min(e.Rows*100/a.estimate, 100))
	}
	return fmt.Sprintf("%s: %s, %s rows/s", a.title, done, count(rate))
}
