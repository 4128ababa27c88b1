package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/feefifofunds/candlekeep/internal/failpoint"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/uptrace/bun"
)

// insertBatch bounds the rows of one bulk INSERT statement.
const insertBatch = 500

// Record applies one confirmed step of an action in a single transaction:
// merges p.Covered into coverage (per source, adjacent spans merged),
// upserts p.File, updates the action's status/rows/checkpoint/error, and
// bumps the serial. An ActionID of 0 updates no action. On the action, an
// empty Status and a zero Checkpoint leave the stored ones; Error always
// replaces the stored one.
func (s *Store) Record(ctx context.Context, p Progress) error {
	err := s.write(ctx, func(ctx context.Context, tx bun.Tx) error {
		return recordTx(ctx, tx, s.sink, p, s.now())
	})
	if err != nil {
		return fmt.Errorf("record progress of %s: %w", p.Series, err)
	}
	return nil
}

// RecordAll applies several steps as Record does, all in one transaction
// (one serial bump): a run of many small files then pays for one commit
// instead of one per file. Either every step is recorded or none is.
func (s *Store) RecordAll(ctx context.Context, steps []Progress) error {
	if len(steps) == 0 {
		return nil
	}
	err := s.write(ctx, func(ctx context.Context, tx bun.Tx) error {
		now := s.now()
		for _, p := range steps {
			if err := recordTx(ctx, tx, s.sink, p, now); err != nil {
				return fmt.Errorf("%s: %w", p.Series, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record progress of %d actions: %w", len(steps), err)
	}
	return nil
}

func recordTx(ctx context.Context, tx bun.Tx, sink int64, p Progress, now time.Time) error {
	if !p.Covered.Empty() {
		if err := mergeCoverage(ctx, tx, sink, p.Series, p.Source, p.Covered); err != nil {
			return err
		}
		if err := retireDerived(ctx, tx, sink, p.Series, p.Covered); err != nil {
			return err
		}
	}
	if p.File != nil {
		if err := upsertFile(ctx, tx, sink, *p.File, now); err != nil {
			return err
		}
	}
	if p.ActionID != 0 {
		if err := updateAction(ctx, tx, p); err != nil {
			return err
		}
	}
	failpoint.Hit("state.record")
	return nil
}

// mergeCoverage replaces every row of the series and source that overlaps
// or touches span with one row covering them all.
func mergeCoverage(ctx context.Context, tx bun.Tx, sink int64, series ohlc.Series, source Source, span ohlc.Span) error {
	if source == "" {
		return errors.New("coverage without a source")
	}
	var touching []coverageRow
	if err := tx.NewSelect().Model(&touching).
		Where("sink_id = ? AND pair = ? AND interval_min = ? AND source = ?", sink, series.Pair, int(series.Interval), string(source)).
		Where("start_ts <= ? AND end_ts >= ?", span.End, span.Start).
		Scan(ctx); err != nil {
		return fmt.Errorf("read coverage: %w", err)
	}
	merged := span
	ids := make([]int64, 0, len(touching))
	for _, r := range touching {
		merged.Start = min(merged.Start, r.StartTS)
		merged.End = max(merged.End, r.EndTS)
		ids = append(ids, r.ID)
	}
	if len(ids) > 0 {
		if _, err := tx.NewDelete().Model((*coverageRow)(nil)).Where("id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
			return fmt.Errorf("merge coverage: %w", err)
		}
	}
	row := &coverageRow{SinkID: sink, Pair: series.Pair, IntervalMin: int(series.Interval), Source: string(source), StartTS: merged.Start, EndTS: merged.End}
	if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
		return fmt.Errorf("merge coverage: %w", err)
	}
	return nil
}

// upsertFile adds f's rows to the stored record and widens its range. A
// record or step with no rows has no range, so it never narrows the other.
// Failed is sticky: actions loading other spans of the same file may
// finish after one of them failed, and their loaded or partial must not
// hide that failure (or its error). A replaced file has a new fingerprint,
// so a new record; so has another member with the same bytes. Reading first is safe: writers are serialised by the
// serial bump.
func upsertFile(ctx context.Context, tx bun.Tx, sink int64, f FileRecord, now time.Time) error {
	if f.Fingerprint == "" {
		return errors.New("file record without a fingerprint")
	}
	row := fileRow{
		SinkID: sink, Fingerprint: f.Fingerprint, Dump: f.Dump, Member: f.Member,
		Pair: f.Series.Pair, IntervalMin: int(f.Series.Interval),
		FirstTS: f.First, LastTS: f.Last, RowCount: f.Rows,
		Status: string(f.Status), Error: f.Error, UpdatedAt: utc(now),
	}
	var old fileRow
	err := tx.NewSelect().Model(&old).Where("sink_id = ? AND fingerprint = ? AND dump = ? AND member = ?", sink, f.Fingerprint, f.Dump, f.Member).Scan(ctx)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			return fmt.Errorf("insert file %s: %w", f.Member, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("read file %s: %w", f.Member, err)
	}
	if old.RowCount > 0 {
		if row.RowCount == 0 {
			row.FirstTS, row.LastTS = old.FirstTS, old.LastTS
		} else {
			row.FirstTS, row.LastTS = min(row.FirstTS, old.FirstTS), max(row.LastTS, old.LastTS)
		}
	}
	row.RowCount += old.RowCount
	switch {
	case old.Status == string(FileFailed) && row.Status != string(FileFailed):
		row.Status, row.Error = old.Status, old.Error
	case old.Status == string(FileFailed) && row.Error == "":
		row.Error = old.Error // a failure without a message keeps the first one's
	case row.Status == "":
		row.Status = old.Status
	}
	if _, err := tx.NewUpdate().Model(&row).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("update file %s: %w", f.Member, err)
	}
	return nil
}

func updateAction(ctx context.Context, tx bun.Tx, p Progress) error {
	q := tx.NewUpdate().Model((*actionRow)(nil)).
		Set("row_count = row_count + ?", p.Rows).
		Set("error = ?", p.Error).
		Where("id = ?", p.ActionID)
	if p.Status != "" {
		q = q.Set("status = ?", string(p.Status))
	}
	if p.Checkpoint != 0 {
		q = q.Set("checkpoint_ts = ?", p.Checkpoint)
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return fmt.Errorf("update action %d: %w", p.ActionID, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("update action %d: no such action", p.ActionID)
	}
	return nil
}

// BeginRun inserts a running run and its pending actions (IDs and RunID
// are filled in on the passed records), marks any earlier run still
// "running" as interrupted (its pending actions skipped, its running ones
// interrupted), and returns the run ID in run.ID. A zero StartedAt is
// now; empty statuses are running and pending.
func (s *Store) BeginRun(ctx context.Context, run *Run, actions []ActionRecord) error {
	if run.StartedAt.IsZero() {
		run.StartedAt = s.now()
	}
	run.StartedAt = utc(run.StartedAt)
	if run.Status == "" {
		run.Status = RunRunning
	}
	if run.Operation == "" {
		run.Operation = "apply"
	}
	err := s.write(ctx, func(ctx context.Context, tx bun.Tx) error {
		var stale []int64
		if err := tx.NewSelect().Model((*runRow)(nil)).Column("id").
			Where("status = ?", string(RunRunning)).Scan(ctx, &stale); err != nil {
			return fmt.Errorf("find unfinished runs: %w", err)
		}
		row := runToRow(*run)
		row.SinkID = s.sink
		if _, err := tx.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert run: %w", err)
		}
		run.ID = row.ID
		if len(stale) > 0 {
			note := fmt.Sprintf("interrupted: still running when run %d began", run.ID)
			if _, err := tx.NewUpdate().Model((*runRow)(nil)).
				Set("status = ?", string(RunInterrupted)).Set("error = ?", note).
				Where("id IN (?)", bun.In(stale)).Exec(ctx); err != nil {
				return fmt.Errorf("mark unfinished runs: %w", err)
			}
			if err := skipPending(ctx, tx, stale); err != nil {
				return err
			}
			if err := interruptRunning(ctx, tx, stale); err != nil {
				return err
			}
		}
		return insertActions(ctx, tx, run.ID, actions)
	})
	if err != nil {
		return fmt.Errorf("begin run: %w", err)
	}
	return nil
}

func insertActions(ctx context.Context, tx bun.Tx, runID int64, actions []ActionRecord) error {
	for from := 0; from < len(actions); from += insertBatch {
		batch := actions[from:min(from+insertBatch, len(actions))]
		rows := make([]actionRow, len(batch))
		for i := range batch {
			batch[i].RunID = runID
			if batch[i].Status == "" {
				batch[i].Status = ActionPending
			}
			rows[i] = actionToRow(batch[i])
		}
		if _, err := tx.NewInsert().Model(&rows).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert actions: %w", err)
		}
		for i := range batch {
			batch[i].ID = rows[i].ID
		}
	}
	return nil
}

// skipPending marks the never-started actions of ended runs as skipped.
func skipPending(ctx context.Context, tx bun.Tx, runIDs []int64) error {
	return moveActions(ctx, tx, runIDs, ActionPending, ActionSkipped)
}

// interruptRunning marks the started actions of runs a crash ended as
// interrupted: they stopped at their last recorded checkpoint, and no
// process is running them any more.
func interruptRunning(ctx context.Context, tx bun.Tx, runIDs []int64) error {
	return moveActions(ctx, tx, runIDs, ActionRunning, ActionInterrupted)
}

// moveActions sets the actions of the runs that have status from to
// status to.
func moveActions(ctx context.Context, tx bun.Tx, runIDs []int64, from, to ActionStatus) error {
	if _, err := tx.NewUpdate().Model((*actionRow)(nil)).
		Set("status = ?", string(to)).
		Where("run_id IN (?) AND status = ?", bun.In(runIDs), string(from)).Exec(ctx); err != nil {
		return fmt.Errorf("mark %s actions %s: %w", from, to, err)
	}
	return nil
}

// FinishRun stores a run's final status, counts and error (a zero
// FinishedAt is now), and marks its still-pending actions skipped.
func (s *Store) FinishRun(ctx context.Context, run *Run) error {
	if run.FinishedAt.IsZero() {
		run.FinishedAt = s.now()
	}
	run.FinishedAt = utc(run.FinishedAt)
	err := s.write(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*runRow)(nil)).
			Set("status = ?", string(run.Status)).
			Set("finished_at = ?", run.FinishedAt).
			Set("actions = ?", run.Actions).
			Set("succeeded = ?", run.Succeeded).
			Set("failed = ?", run.Failed).
			Set("rows_written = ?", run.RowsWritten).
			Set("error = ?", run.Error).
			Where("id = ?", run.ID).Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return errors.New("no such run")
		}
		return skipPending(ctx, tx, []int64{run.ID})
	})
	if err != nil {
		return fmt.Errorf("finish run %d: %w", run.ID, err)
	}
	return nil
}

// SaveFileCache upserts cache entries by key. It does not bump the serial:
// a cache is not a claim about the sink.
func (s *Store) SaveFileCache(ctx context.Context, entries []FileCacheEntry) error {
	if len(entries) == 0 {
		return nil
	}
	if err := s.writable(); err != nil {
		return err
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for from := 0; from < len(entries); from += insertBatch {
			batch := entries[from:min(from+insertBatch, len(entries))]
			// A key twice in one statement is an error on PostgreSQL; the
			// last one wins, as it would across statements.
			byKey := make(map[string]int, len(batch))
			rows := make([]fileCacheRow, 0, len(batch))
			for _, e := range batch {
				r := fileCacheRow{Key: e.Key, Fingerprint: e.Fingerprint, RowCount: e.Rows, FirstTS: e.First, LastTS: e.Last}
				if i, ok := byKey[e.Key]; ok {
					rows[i] = r
					continue
				}
				byKey[e.Key] = len(rows)
				rows = append(rows, r)
			}
			if _, err := tx.NewInsert().Model(&rows).
				On("CONFLICT (key) DO UPDATE").
				Set("fingerprint = EXCLUDED.fingerprint").
				Set("row_count = EXCLUDED.row_count").
				Set("first_ts = EXCLUDED.first_ts").
				Set("last_ts = EXCLUDED.last_ts").
				Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save file cache: %w", err)
	}
	return nil
}

func runToRow(r Run) runRow {
	return runRow{
		ID: r.ID, Operation: r.Operation, Status: string(r.Status), PlanDigest: r.PlanDigest,
		StartedAt: utc(r.StartedAt), FinishedAt: utc(r.FinishedAt),
		Actions: r.Actions, Succeeded: r.Succeeded, Failed: r.Failed, RowsWritten: r.RowsWritten, Error: r.Error,
	}
}

func actionToRow(a ActionRecord) actionRow {
	return actionRow{
		ID: a.ID, RunID: a.RunID, Seq: a.Seq, Kind: a.Kind,
		Pair: a.Series.Pair, IntervalMin: int(a.Series.Interval), StartTS: a.Span.Start, EndTS: a.Span.End,
		Dump: a.Dump, Member: a.Member, Fingerprint: a.Fingerprint,
		Status: string(a.Status), RowCount: a.Rows, CheckpointTS: a.Checkpoint, Error: a.Error,
	}
}
