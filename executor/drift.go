package executor

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/state"
)

// Drift is coverage that state records but the sink contradicts: inside
// Span the sink holds no candle of the series at all, although the files
// loaded there had rows (a dropped partition, a restored backup, a table
// emptied by hand).
type Drift struct {
	Series ohlc.Series
	Span   ohlc.Span
	Files  []string // "dump › member" of the files that had rows there
}

// DetectDrift compares state's coverage with what the sink holds, reading
// the sink one calendar month at a time over the spans where loaded files
// had rows. It writes nothing. Coverage from the API is not checked: its
// answers may hold only filler candles, so an empty stretch proves nothing.
// progress, if not nil, is told after each month how many of how many
// have been read: a drift check of years of minutes takes a while.
func DetectDrift(ctx context.Context, sink sinks.Sink, snap *state.Snapshot, progress func(checked, total int)) ([]Drift, error) {
	if s, ok := sink.(sinks.Settler); ok {
		if err := s.Settle(ctx); err != nil {
			return nil, err
		}
	}
	expected := map[ohlc.Series]ohlc.SpanSet{}
	files := map[ohlc.Series][]state.FileRecord{}
	for _, f := range snap.Files {
		if f.Rows == 0 || f.Status == state.FileFailed {
			continue
		}
		rows := ohlc.SpanSet{{Start: f.First, End: f.Last + f.Series.Interval.Seconds()}}
		expected[f.Series] = ohlc.Union(expected[f.Series], ohlc.Intersect(rows, snap.Coverage[f.Series]))
		files[f.Series] = append(files[f.Series], f)
	}
	var months []int64
	seen := map[int64]bool{}
	for _, set := range expected {
		for _, sp := range set {
			for m := monthStart(sp.Start); m < sp.End; m = nextMonth(m) {
				if !seen[m] {
					seen[m] = true
					months = append(months, m)
				}
			}
		}
	}
	slices.Sort(months)

	missing := map[ohlc.Series]ohlc.SpanSet{}
	for i, m := range months {
		month := ohlc.Span{Start: m, End: nextMonth(m)}
		stats, err := sink.ReadBack(ctx, month)
		if err != nil {
			return nil, fmt.Errorf("read the sink for %s: %w", month, err)
		}
		held := map[ohlc.Series]bool{}
		for _, s := range stats {
			held[s.Series] = s.Count > 0
		}
		for series, set := range expected {
			part := ohlc.Intersect(set, ohlc.SpanSet{month})
			if len(part) > 0 && !held[series] {
				missing[series] = ohlc.Union(missing[series], part)
			}
		}
		if progress != nil {
			progress(i+1, len(months))
		}
	}

	var drifts []Drift
	for series, set := range missing {
		for _, sp := range set {
			d := Drift{Series: series, Span: sp}
			for _, f := range files[series] {
				if (ohlc.Span{Start: f.First, End: f.Last + series.Interval.Seconds()}).Intersect(sp) != (ohlc.Span{}) {
					d.Files = append(d.Files, f.Dump+" › "+f.Member)
				}
			}
			slices.Sort(d.Files)
			drifts = append(drifts, d)
		}
	}
	slices.SortFunc(drifts, func(a, b Drift) int {
		if c := a.Series.Compare(b.Series); c != 0 {
			return c
		}
		return int(a.Span.Start - b.Span.Start)
	})
	return drifts, nil
}

// Forget removes drifted spans from state's coverage, so the next plan
// loads them again. It is refresh's only write.
func (e *Executor) Forget(ctx context.Context, drifts []Drift) error {
	bySeries := map[ohlc.Series]ohlc.SpanSet{}
	for _, d := range drifts {
		bySeries[d.Series] = ohlc.Union(bySeries[d.Series], ohlc.SpanSet{d.Span})
	}
	keys := make([]ohlc.Series, 0, len(bySeries))
	for s := range bySeries {
		keys = append(keys, s)
	}
	slices.SortFunc(keys, ohlc.Series.Compare)
	for _, s := range keys {
		if err := e.State.ForgetCoverage(ctx, s, bySeries[s]); err != nil {
			return err
		}
	}
	return nil
}

// WithoutDrift is the snapshot as it will be once Forget has run, for a
// plan that takes drift into account without writing.
func WithoutDrift(snap *state.Snapshot, drifts []Drift) *state.Snapshot {
	out := *snap
	out.Coverage = make(map[ohlc.Series]ohlc.SpanSet, len(snap.Coverage))
	for s, set := range snap.Coverage {
		out.Coverage[s] = set
	}
	for _, d := range drifts {
		out.Coverage[d.Series] = ohlc.Difference(out.Coverage[d.Series], ohlc.SpanSet{d.Span})
	}
	return &out
}

func monthStart(t int64) int64 {
	u := time.Unix(t, 0).UTC()
	return time.Date(u.Year(), u.Month(), 1, 0, 0, 0, 0, time.UTC).Unix()
}

func nextMonth(m int64) int64 {
	u := time.Unix(m, 0).UTC()
	return time.Date(u.Year(), u.Month()+1, 1, 0, 0, 0, 0, time.UTC).Unix()
}
