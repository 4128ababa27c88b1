package planner

import (
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/ohlc/snapshot"
)

// Lost candles: an unfillable gap that runs on time would have filled.
// See docs/planning.md, "Lost candles".

// lostFrom is, per series, where candles became the API's to lose: the
// start of the API window at the last run that backfilled the series
// (the end of its API coverage, less the window's length). Everything
// from there on was reachable then or would have been by a run on time.
// A series never backfilled has no entry: nothing of it was reachable by
// a run that happened.
func lostFrom(snap *snapshot.Snapshot, margin int) map[ohlc.Series]int64 {
	if snap == nil {
		return nil
	}
	out := map[ohlc.Series]int64{}
	for s, spans := range snap.APICoverage {
		if len(spans) == 0 {
			continue
		}
		end := spans[len(spans)-1].End
		if w := APIWindow(s.Interval, end, margin); !w.Empty() {
			out[s] = w.Start
		}
	}
	return out
}

// openGaps is, per series, the union of the gaps state recorded as open:
// fillable when recorded.
func openGaps(snap *snapshot.Snapshot) map[ohlc.Series]ohlc.SpanSet {
	return gapsWithStatus(snap, snapshot.GapOpen)
}

// markLost sets Lost on the unfillable actions of one series with a part
// that was reachable (from lostFrom on, or recorded open) and that state
// has not recorded as unfillable already: that part is news, reported
// once. known is state's recorded unfillable spans of the series.
func markLost(actions []Action, from int64, hasFrom bool, open, known ohlc.SpanSet) {
	if !hasFrom && len(open) == 0 {
		return
	}
	for i := range actions {
		a := &actions[i]
		if a.Kind != Unfillable || a.Known || a.Reason == ReasonFileFailed {
			continue
		}
		var reach ohlc.SpanSet
		if part := a.Span.Intersect(ohlc.Span{Start: from, End: a.Span.End}); hasFrom && !part.Empty() {
			reach = ohlc.SpanSet{part}
		}
		reach = ohlc.Union(reach, ohlc.Intersect(ohlc.SpanSet{a.Span}, open))
		lost := ohlc.Difference(reach, known)
		if len(lost) == 0 {
			continue
		}
		a.Lost = ohlc.Span{Start: lost[0].Start, End: lost[len(lost)-1].End}
	}
}
