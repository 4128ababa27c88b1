package state

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/uptrace/bun"
)

type gapKey struct {
	series ohlc.Series
	span   ohlc.Span
}

// SyncGaps makes the gap records match what the latest plan found. An empty
// status in found means open; two found gaps of the same series and span
// are one, the later one's fields winning.
//
// Each found gap continues at most one unresolved record (open, unfillable
// or failed) of its series, and each such record continues at most one
// found gap. Spans move from run to run when a window ends "now" or looks
// back a fixed time, so matching by exact span alone would resolve records
// nothing filled and lose their history. Matching goes in three passes:
//
//  1. A found gap whose span a record has exactly continues that record
//     (the lowest ID when several have it).
//  2. Per series, the remaining found gaps in span order (start, then end)
//     each continue the first remaining record in span order (start, end,
//     ID) whose span overlaps theirs.
//  3. The same again for spans that merely touch ([a,b) touches [b,c)).
//
// A continued record takes the found gap's span, status, reason and
// suggestion and keeps its detection time. A found gap with status failed
// is one more failed attempt: the record's attempts grow by its Attempts
// (at least 1) and its last error becomes the found gap's LastError; any
// other status leaves attempts and last error as recorded, so the history
// of failures survives until the gap is filled. A found gap continuing no
// record is inserted, detected now (a failed one with at least 1 attempt).
// An unresolved record continuing no found gap is marked filled, resolved
// now. All of it is one transaction, and the serial moves only when a
// record changed.
func (s *Store) SyncGaps(ctx context.Context, found []Gap, now time.Time) error {
	return s.syncGaps(ctx, found, now, nil)
}

// syncGaps is SyncGaps over the unresolved records of the series inScope
// accepts, or of every series when inScope is nil.
func (s *Store) syncGaps(ctx context.Context, found []Gap, now time.Time, inScope func(ohlc.Series) bool) error {
	now = utc(now)
	wanted := distinctGaps(found)
	if err := s.writable(); err != nil {
		return err
	}
	if s.sink == NoSink {
		return nil // a sink state has no record of has no table to have gaps in
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Take the serial's row lock before reading, as every writer does;
		// undone by the rollback below when nothing changes.
		if err := bumpSerial(ctx, tx); err != nil {
			return err
		}
		var recorded []gapRow
		if err := tx.NewSelect().Model(&recorded).
			Where("sink_id = ? AND status <> ?", s.sink, string(GapFilled)).OrderExpr("id").Scan(ctx); err != nil {
			return fmt.Errorf("read gaps: %w", err)
		}
		if inScope != nil {
			recorded = slices.DeleteFunc(recorded, func(r gapRow) bool {
				return !inScope(ohlc.Series{Pair: r.Pair, Interval: ohlc.Interval(r.IntervalMin)})
			})
		}
		continues := matchGaps(recorded, wanted)
		changed := false
		continued := make([]bool, len(wanted))
		for i := range recorded {
			r := &recorded[i]
			j := continues[i]
			if j < 0 {
				r.Status, r.ResolvedAt = string(GapFilled), now
			} else {
				continued[j] = true
				if !continueGap(r, wanted[j]) {
					continue
				}
			}
			if _, err := tx.NewUpdate().Model(r).
				Column("start_ts", "end_ts", "status", "reason", "suggestion", "attempts", "last_error", "resolved_at").
				WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("update gap %d: %w", r.ID, err)
			}
			changed = true
		}
		var fresh []gapRow
		for j, g := range wanted {
			if continued[j] {
				continue
			}
			fresh = append(fresh, gapRow{
				SinkID: s.sink, Pair: g.Series.Pair, IntervalMin: int(g.Series.Interval), StartTS: g.Span.Start, EndTS: g.Span.End,
				Status: string(g.Status), Reason: g.Reason, Suggestion: g.Suggestion,
				Attempts: g.Attempts, LastError: g.LastError, DetectedAt: now,
			})
		}
		for from := 0; from < len(fresh); from += insertBatch {
			batch := fresh[from:min(from+insertBatch, len(fresh))]
			if _, err := tx.NewInsert().Model(&batch).Exec(ctx); err != nil {
				return fmt.Errorf("insert gaps: %w", err)
			}
			changed = true
		}
		if !changed {
			return errNoChange
		}
		return nil
	})
	if err != nil && !errors.Is(err, errNoChange) {
		return fmt.Errorf("record gaps: %w", err)
	}
	return nil
}

// distinctGaps normalizes found gaps (empty status is open, a failed gap
// counts at least one attempt) and keeps one per series and span, in the
// order each first appears, with the fields of the last.
func distinctGaps(found []Gap) []Gap {
	at := make(map[gapKey]int, len(found))
	gaps := make([]Gap, 0, len(found))
	for _, g := range found {
		if g.Status == "" {
			g.Status = GapOpen
		}
		if g.Status == GapFailed {
			g.Attempts = max(g.Attempts, 1)
		}
		k := gapKey{g.Series, g.Span}
		if i, dup := at[k]; dup {
			gaps[i] = g
			continue
		}
		at[k] = len(gaps)
		gaps = append(gaps, g)
	}
	return gaps
}

// matchGaps pairs recorded gaps with the found gaps that continue them, by
// the rule on SyncGaps. It returns, per record, the index in found of the
// gap continuing it, or -1. found must hold distinct series and spans.
func matchGaps(recorded []gapRow, found []Gap) []int {
	continues := make([]int, len(recorded))
	for i := range continues {
		continues[i] = -1
	}
	taken := make([]bool, len(found))

	// Pass 1: exact spans. recorded is in ID order, so the lowest ID wins.
	exact := make(map[gapKey]int, len(found))
	for j, g := range found {
		exact[gapKey{g.Series, g.Span}] = j
	}
	for i, r := range recorded {
		g := r.gap()
		if j, ok := exact[gapKey{g.Series, g.Span}]; ok && !taken[j] {
			continues[i], taken[j] = j, true
		}
	}

	// Passes 2 and 3: overlapping, then merely touching spans, per series
	// in span order. Overlap goes first so a gap that moved keeps its own
	// record rather than taking its neighbour's (an unfillable span often
	// ends where a fillable one starts).
	records := make(map[ohlc.Series][]int)
	for i, r := range recorded {
		if continues[i] < 0 {
			sr := ohlc.Series{Pair: r.Pair, Interval: ohlc.Interval(r.IntervalMin)}
			records[sr] = append(records[sr], i)
		}
	}
	gaps := make(map[ohlc.Series][]int)
	for j, g := range found {
		if !taken[j] && len(records[g.Series]) > 0 {
			gaps[g.Series] = append(gaps[g.Series], j)
		}
	}
	for sr, js := range gaps {
		is := records[sr]
		slices.SortFunc(is, func(a, b int) int {
			ra, rb := recorded[a], recorded[b]
			return cmp.Or(cmp.Compare(ra.StartTS, rb.StartTS), cmp.Compare(ra.EndTS, rb.EndTS), cmp.Compare(ra.ID, rb.ID))
		})
		slices.SortFunc(js, func(a, b int) int {
			sa, sb := found[a].Span, found[b].Span
			return cmp.Or(cmp.Compare(sa.Start, sb.Start), cmp.Compare(sa.End, sb.End))
		})
		for _, touching := range []bool{false, true} {
			matchSpans(recorded, is, found, js, taken, continues, touching)
		}
	}
	return continues
}

// matchSpans is one greedy pass of matchGaps over one series: each found
// gap js[k] not yet taken continues the first record is[k'] not yet
// continued whose span overlaps its own, or with touching also merely
// touches it. is and js must be in span order.
func matchSpans(recorded []gapRow, is []int, found []Gap, js []int, taken []bool, continues []int, touching bool) {
	// reaches reports whether a span ending at end reaches one starting at
	// start.
	reaches := func(end, start int64) bool {
		if touching {
			return end >= start
		}
		return end > start
	}
	lo := 0
	for _, j := range js {
		if taken[j] {
			continue
		}
		span := found[j].Span
		// Records before lo are continued or end before every remaining
		// found gap starts (those start no earlier): never looked at again.
		for lo < len(is) && (continues[is[lo]] >= 0 || !reaches(recorded[is[lo]].EndTS, span.Start)) {
			lo++
		}
		for _, i := range is[lo:] {
			r := recorded[i]
			if !reaches(span.End, r.StartTS) {
				break // sorted by start: no later record reaches back
			}
			if continues[i] < 0 && reaches(r.EndTS, span.Start) {
				continues[i], taken[j] = j, true
				break
			}
		}
	}
}

// continueGap updates record r to the found gap g continuing it and
// reports whether anything changed. A failed g always changes r: it is one
// more attempt.
func continueGap(r *gapRow, g Gap) bool {
	if g.Status != GapFailed && r.StartTS == g.Span.Start && r.EndTS == g.Span.End &&
		r.Status == string(g.Status) && r.Reason == g.Reason && r.Suggestion == g.Suggestion {
		return false
	}
	r.StartTS, r.EndTS = g.Span.Start, g.Span.End
	r.Status, r.Reason, r.Suggestion = string(g.Status), g.Reason, g.Suggestion
	if g.Status == GapFailed {
		r.Attempts += g.Attempts
		r.LastError = g.LastError
	}
	return true
}

// errNoChange rolls back a write transaction that found nothing to do, so
// the serial stays as it was.
var errNoChange = errors.New("no change")
