package state

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// GCResult counts the records a GC deleted, or would delete on a dry run.
type GCResult struct {
	Gaps    int64 // filled gap records
	Runs    int64 // finished runs
	Actions int64 // actions of those runs
}

// Empty says whether nothing was (or would be) deleted.
func (r GCResult) Empty() bool { return r.Gaps == 0 && r.Runs == 0 && r.Actions == 0 }

// GC deletes, in one transaction, the filled gap records resolved before
// gapsBefore and the finished runs (any status but running) that finished
// before runsBefore, with their actions. A run with no finish time (one
// marked interrupted by a later run) counts from its start. Open,
// unfillable and failed gaps, running runs, coverage, files, locks and the
// file cache are never touched: they are what plans depend on. A dry run
// counts without deleting; a real one bumps the serial only when it
// deleted something.
func (s *Store) GC(ctx context.Context, gapsBefore, runsBefore time.Time, dryRun bool) (GCResult, error) {
	gapsBefore, runsBefore = utc(gapsBefore), utc(runsBefore)
	var res GCResult
	opts := s.readTx() // a dry run only reads: it works on a read-only store
	if !dryRun {
		if err := s.writable(); err != nil {
			return res, err
		}
		opts = nil
	}
	err := s.db.RunInTx(ctx, opts, func(ctx context.Context, tx bun.Tx) error {
		// Take the serial's row lock first, as every writer does; undone by
		// the rollback below when nothing is deleted.
		if !dryRun {
			if err := bumpSerial(ctx, tx); err != nil {
				return err
			}
		}
		var err error
		if res.Gaps, err = countRows(ctx, tx.NewSelect().Model((*gapRow)(nil)).Where(oldGapsWhere, string(GapFilled), gapsBefore)); err != nil {
			return fmt.Errorf("count old gaps: %w", err)
		}
		var runIDs []int64
		if err := tx.NewSelect().Model((*runRow)(nil)).Column("id").
			Where("status <> ? AND COALESCE(finished_at, started_at) < ?", string(RunRunning), runsBefore).
			Scan(ctx, &runIDs); err != nil {
			return fmt.Errorf("find old runs: %w", err)
		}
		res.Runs = int64(len(runIDs))
		if len(runIDs) > 0 {
			if res.Actions, err = countRows(ctx, tx.NewSelect().Model((*actionRow)(nil)).Where("run_id IN (?)", bun.In(runIDs))); err != nil {
				return fmt.Errorf("count old actions: %w", err)
			}
		}
		if dryRun || res.Empty() {
			return errNoChange
		}
		if res.Gaps > 0 {
			if _, err := tx.NewDelete().Model((*gapRow)(nil)).Where(oldGapsWhere, string(GapFilled), gapsBefore).Exec(ctx); err != nil {
				return fmt.Errorf("delete old gaps: %w", err)
			}
		}
		if len(runIDs) > 0 {
			// Actions go explicitly, not only by the foreign key's cascade,
			// so a connection without SQLite's foreign_keys pragma leaves no
			// orphans either.
			if _, err := tx.NewDelete().Model((*actionRow)(nil)).Where("run_id IN (?)", bun.In(runIDs)).Exec(ctx); err != nil {
				return fmt.Errorf("delete old actions: %w", err)
			}
			if _, err := tx.NewDelete().Model((*runRow)(nil)).Where("id IN (?)", bun.In(runIDs)).Exec(ctx); err != nil {
				return fmt.Errorf("delete old runs: %w", err)
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, errNoChange) {
		return GCResult{}, fmt.Errorf("gc state: %w", err)
	}
	return res, nil
}

// oldGapsWhere selects filled gap records resolved before a time.
const oldGapsWhere = "status = ? AND resolved_at IS NOT NULL AND resolved_at < ?"

func countRows(ctx context.Context, q *bun.SelectQuery) (int64, error) {
	n, err := q.Count(ctx)
	return int64(n), err
}
