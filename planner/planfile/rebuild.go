package planfile

import (
	"errors"
	"fmt"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// Build is one interval a rebuild_trades action builds, and its span
// (since 1.5).
type Build struct {
	Interval int  `json:"interval"`
	Span     Span `json:"span"`
}

// Rebuild is a rebuild_trades action's estimate (since 1.5): the trades
// it expects, from what basis, and their duration at the pair's rate.
type Rebuild struct {
	Builds           []Build `json:"builds"`
	EstimatedTrades  int64   `json:"estimated_trades"`
	EstimateBasis    string  `json:"estimate_basis"`
	EstimatedSeconds int64   `json:"estimated_seconds"`
	RatePerSecond    float64 `json:"rate_per_second"`
}

// newRebuild is a's rebuild part; nil for other kinds.
func newRebuild(a planner.Action) *Rebuild {
	if a.Kind != planner.RebuildTrades {
		return nil
	}
	r := &Rebuild{EstimatedTrades: a.Trades, EstimateBasis: a.Basis, EstimatedSeconds: int64(a.Duration / time.Second), RatePerSecond: a.Rate}
	for _, b := range a.Builds {
		r.Builds = append(r.Builds, Build{Interval: int(b.Interval), Span: b.Span.JSON()})
	}
	return r
}

// rebuild reads r into out, a rebuild_trades action, checking that one
// tape can build its intervals (each divides the longest), the finest is
// the action's series, and every build lies inside the span.
func (r *Rebuild) rebuild(out *planner.Action) error {
	if r == nil || len(r.Builds) == 0 {
		return errors.New("rebuild_trades without builds")
	}
	out.Trades, out.Basis, out.Rate = r.EstimatedTrades, r.EstimateBasis, r.RatePerSecond
	out.Duration = time.Duration(r.EstimatedSeconds) * time.Second
	longest := ohlc.Interval(r.Builds[len(r.Builds)-1].Interval)
	for i, b := range r.Builds {
		iv := ohlc.Interval(b.Interval)
		sp, err := parseSpan("builds.span", b.Span)
		if err != nil {
			return err
		}
		switch {
		case !iv.Valid() || longest%iv != 0 || (i > 0 && iv <= out.Builds[i-1].Interval):
			return fmt.Errorf("rebuild of %s: builds must be intervals in increasing order, each dividing the longest", out.Series.Pair)
		case sp.Empty() || sp.Intersect(out.Span) != sp:
			return fmt.Errorf("rebuild of %s: build %d %s lies outside the span %s", out.Series.Pair, b.Interval, sp, out.Span)
		}
		out.Builds = append(out.Builds, planner.Build{Interval: iv, Span: sp})
	}
	if out.Builds[0].Interval != out.Series.Interval {
		return fmt.Errorf("rebuild of %s: its series must be its finest build", out.Series)
	}
	return nil
}

// newDeferred lists the gaps the rebuild budget deferred, as actions of
// kind deferred.
func newDeferred(gaps []planner.Gap) []Action {
	out := make([]Action, len(gaps))
	for i, g := range gaps {
		a := newAction(g.Action())
		a.Kind, a.Known = "deferred", nil
		out[i] = a
	}
	return out
}

// deferred reads the document's deferred gaps back.
func deferred(list []Action) ([]planner.Gap, error) {
	var out []planner.Gap
	for i, a := range list {
		if a.Kind != "deferred" {
			return nil, fmt.Errorf("not a valid plan: deferred %d: kind %q, not deferred", i+1, a.Kind)
		}
		a.Kind = string(planner.Unfillable)
		g, err := a.action()
		if err != nil {
			return nil, fmt.Errorf("not a valid plan: deferred %d: %w", i+1, err)
		}
		out = append(out, planner.GapOf(g))
	}
	return out, nil
}
