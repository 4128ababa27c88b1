package state

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/uptrace/bun"
)

type gapKey struct {
	series ohlc.Series
	span   ohlc.Span
}

// SyncGaps makes the gap records match what the latest plan found: gaps in
// found that are not yet recorded are inserted (detected now), recorded
// open, unfillable or failed gaps that no longer appear in found are marked
// filled (resolved now), and existing ones get their status, reason and
// suggestion updated. Gaps are matched by series and span; an empty status
// in found means open. A found gap with status failed is one more failed
// attempt: a matching record's attempts grow by its Attempts (at least 1)
// and its last error becomes the found gap's LastError; a found gap with
// any other status leaves attempts and last error as recorded, so the
// history of failures survives until the gap is filled. A new failed gap
// is recorded with at least 1 attempt. Bumps the serial when anything
// changed.
func (s *Store) SyncGaps(ctx context.Context, found []Gap, now time.Time) error {
	now = utc(now)
	wanted := make(map[gapKey]Gap, len(found))
	order := make([]gapKey, 0, len(found))
	for _, g := range found {
		k := gapKey{g.Series, g.Span}
		if g.Status == "" {
			g.Status = GapOpen
		}
		if g.Status == GapFailed {
			g.Attempts = max(g.Attempts, 1)
		}
		if _, dup := wanted[k]; !dup {
			order = append(order, k)
		}
		wanted[k] = g
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Take the serial's row lock before reading, as every writer does;
		// undone by the rollback below when nothing changes.
		if err := bumpSerial(ctx, tx); err != nil {
			return err
		}
		var recorded []gapRow
		if err := tx.NewSelect().Model(&recorded).
			Where("status <> ?", string(GapFilled)).Scan(ctx); err != nil {
			return fmt.Errorf("read gaps: %w", err)
		}
		changed := false
		seen := make(map[gapKey]bool, len(recorded))
		for _, r := range recorded {
			g := r.gap()
			k := gapKey{g.Series, g.Span}
			want, ok := wanted[k]
			switch {
			case !ok || seen[k]:
				// A duplicate record of the same gap is resolved too.
				r.Status, r.ResolvedAt = string(GapFilled), now
			case want.Status != GapFailed && r.Status == string(want.Status) && r.Reason == want.Reason && r.Suggestion == want.Suggestion:
				seen[k] = true
				continue
			default:
				seen[k] = true
				r.Status, r.Reason, r.Suggestion = string(want.Status), want.Reason, want.Suggestion
				if want.Status == GapFailed {
					r.Attempts += want.Attempts
					r.LastError = want.LastError
				}
			}
			if _, err := tx.NewUpdate().Model(&r).Column("status", "reason", "suggestion", "attempts", "last_error", "resolved_at").WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("update gap %d: %w", r.ID, err)
			}
			changed = true
		}
		var fresh []gapRow
		for _, k := range order {
			if seen[k] {
				continue
			}
			g := wanted[k]
			fresh = append(fresh, gapRow{
				Pair: k.series.Pair, IntervalMin: int(k.series.Interval), StartTS: k.span.Start, EndTS: k.span.End,
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

// errNoChange rolls back a write transaction that found nothing to do, so
// the serial stays as it was.
var errNoChange = errors.New("no change")
