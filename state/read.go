package state

import (
	"context"
	"fmt"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/uptrace/bun"
)

// Snapshot reads, in one transaction, what the planner needs. Coverage and
// files are scanned column by column rather than through bun's reflection,
// since a large state holds hundreds of thousands of rows.
func (s *Store) Snapshot(ctx context.Context) (*Snapshot, error) {
	snap := &Snapshot{Coverage: map[ohlc.Series]ohlc.SpanSet{}, APICoverage: map[ohlc.Series]ohlc.SpanSet{}, Files: map[FileKey]FileRecord{}}
	err := s.db.RunInTx(ctx, s.readTx(), func(ctx context.Context, tx bun.Tx) error {
		var meta metaRow
		if err := tx.NewSelect().Model(&meta).Where("id = 1").Scan(ctx); err != nil {
			return fmt.Errorf("read lineage: %w", err)
		}
		snap.Lineage, snap.Serial = meta.Lineage, meta.Serial
		if err := s.readCoverage(ctx, tx, snap.Coverage, snap.APICoverage); err != nil {
			return err
		}
		if err := s.readFiles(ctx, tx, snap.Files); err != nil {
			return err
		}
		var gaps []gapRow
		if err := s.bySink(tx.NewSelect().Model(&gaps)).
			Where("status IN (?)", bun.In([]string{string(GapOpen), string(GapUnfillable)})).
			OrderExpr("pair, interval_min, start_ts, id").Scan(ctx); err != nil {
			return fmt.Errorf("read gaps: %w", err)
		}
		snap.Gaps = make([]Gap, len(gaps))
		for i, g := range gaps {
			snap.Gaps[i] = g.gap()
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read state snapshot: %w", err)
	}
	return snap, nil
}

// readCoverage scans the table in storage order (an ORDER BY would walk
// the index and look up every row) and sorts per series in NewSpanSet.
// into gets every source merged; api, the spans the REST API covered.
func (s *Store) readCoverage(ctx context.Context, tx bun.Tx, into, api map[ohlc.Series]ohlc.SpanSet) error {
	where, args := s.sinkFilter()
	rows, err := tx.QueryContext(ctx, "SELECT pair, interval_min, source, start_ts, end_ts FROM coverage"+where, args...)
	if err != nil {
		return fmt.Errorf("read coverage: %w", err)
	}
	defer rows.Close()
	spans := map[ohlc.Series][]ohlc.Span{}
	apiSpans := map[ohlc.Series][]ohlc.Span{}
	for rows.Next() {
		var (
			ser    ohlc.Series
			sp     ohlc.Span
			source string
		)
		if err := rows.Scan(&ser.Pair, &ser.Interval, &source, &sp.Start, &sp.End); err != nil {
			return fmt.Errorf("read coverage: %w", err)
		}
		spans[ser] = append(spans[ser], sp)
		if Source(source) == SourceAPI {
			apiSpans[ser] = append(apiSpans[ser], sp)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read coverage: %w", err)
	}
	for ser, list := range spans {
		into[ser] = ohlc.NewSpanSet(list...)
	}
	for ser, list := range apiSpans {
		api[ser] = ohlc.NewSpanSet(list...)
	}
	return nil
}

func (s *Store) readFiles(ctx context.Context, tx bun.Tx, into map[FileKey]FileRecord) error {
	where, args := s.sinkFilter()
	rows, err := tx.QueryContext(ctx, "SELECT fingerprint, dump, member, pair, interval_min, first_ts, last_ts, row_count, status, error, updated_at FROM files"+where, args...)
	if err != nil {
		return fmt.Errorf("read files: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			f      FileRecord
			status string
		)
		var updated bun.NullTime
		if err := rows.Scan(&f.Fingerprint, &f.Dump, &f.Member, &f.Series.Pair, &f.Series.Interval,
			&f.First, &f.Last, &f.Rows, &status, &f.Error, &updated); err != nil {
			return fmt.Errorf("read files: %w", err)
		}
		f.Status = FileStatus(status)
		f.UpdatedAt = utc(updated.Time)
		into[f.Key()] = f
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read files: %w", err)
	}
	return nil
}

// FileCache returns every cached fingerprint/profile by key. The rows are
// scanned column by column, as Snapshot's are: a full history caches
// 24,000 members, and every plan reads them all.
func (s *Store) FileCache(ctx context.Context) (map[string]FileCacheEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT "key", fingerprint, row_count, first_ts, last_ts FROM file_cache`)
	if err != nil {
		return nil, fmt.Errorf("read file cache: %w", err)
	}
	defer rows.Close()
	out := map[string]FileCacheEntry{}
	for rows.Next() {
		var e FileCacheEntry
		if err := rows.Scan(&e.Key, &e.Fingerprint, &e.Rows, &e.First, &e.Last); err != nil {
			return nil, fmt.Errorf("read file cache: %w", err)
		}
		out[e.Key] = e
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read file cache: %w", err)
	}
	return out, nil
}

// Runs returns the most recent runs, newest first (limit ≤ 0: all).
func (s *Store) Runs(ctx context.Context, limit int) ([]Run, error) {
	var rows []runRow
	q := s.bySink(s.db.NewSelect().Model(&rows)).OrderExpr("id DESC")
	if limit > 0 {
		q = q.Limit(int64(limit))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	out := make([]Run, len(rows))
	for i, r := range rows {
		out[i] = r.run()
	}
	return out, nil
}

// RunActions returns the actions of a run in plan order.
func (s *Store) RunActions(ctx context.Context, runID int64) ([]ActionRecord, error) {
	var rows []actionRow
	if err := s.db.NewSelect().Model(&rows).Where("run_id = ?", runID).OrderExpr("seq, id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("read actions of run %d: %w", runID, err)
	}
	out := make([]ActionRecord, len(rows))
	for i, r := range rows {
		out[i] = r.action()
	}
	return out, nil
}

// Coverage returns the covered spans of one series with their sources.
func (s *Store) Coverage(ctx context.Context, series ohlc.Series) (map[Source]ohlc.SpanSet, error) {
	var rows []coverageRow
	if err := s.bySink(s.db.NewSelect().Model(&rows)).
		Where("pair = ? AND interval_min = ?", series.Pair, int(series.Interval)).
		OrderExpr("source, start_ts").Scan(ctx); err != nil {
		return nil, fmt.Errorf("read coverage of %s: %w", series, err)
	}
	bySource := map[Source][]ohlc.Span{}
	for _, r := range rows {
		bySource[Source(r.Source)] = append(bySource[Source(r.Source)], ohlc.Span{Start: r.StartTS, End: r.EndTS})
	}
	out := make(map[Source]ohlc.SpanSet, len(bySource))
	for src, spans := range bySource {
		out[src] = ohlc.NewSpanSet(spans...)
	}
	return out, nil
}

func (r runRow) run() Run {
	return Run{
		ID: r.ID, Operation: r.Operation, Status: RunStatus(r.Status), PlanDigest: r.PlanDigest,
		StartedAt: utc(r.StartedAt), FinishedAt: utc(r.FinishedAt),
		Actions: r.Actions, Succeeded: r.Succeeded, Failed: r.Failed, RowsWritten: r.RowsWritten, Error: r.Error,
	}
}

func (r actionRow) action() ActionRecord {
	return ActionRecord{
		ID: r.ID, RunID: r.RunID, Seq: r.Seq, Kind: r.Kind,
		Series: ohlc.Series{Pair: r.Pair, Interval: ohlc.Interval(r.IntervalMin)},
		Span:   ohlc.Span{Start: r.StartTS, End: r.EndTS},
		Dump:   r.Dump, Member: r.Member, Fingerprint: r.Fingerprint,
		Status: ActionStatus(r.Status), Rows: r.RowCount, Checkpoint: r.CheckpointTS, Error: r.Error,
	}
}

func (g gapRow) gap() Gap {
	return Gap{
		ID:     g.ID,
		Series: ohlc.Series{Pair: g.Pair, Interval: ohlc.Interval(g.IntervalMin)},
		Span:   ohlc.Span{Start: g.StartTS, End: g.EndTS},
		Status: GapStatus(g.Status), Reason: g.Reason, Suggestion: g.Suggestion,
		Attempts: g.Attempts, LastError: g.LastError,
		DetectedAt: utc(g.DetectedAt), ResolvedAt: utc(g.ResolvedAt),
	}
}
