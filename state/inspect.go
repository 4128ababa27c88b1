package state

import (
	"context"
	"fmt"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// The reads below serve operators inspecting state (`candlekeep state
// list|show`); the planner never needs them.

// CoverageBySource returns the covered spans of every series, per source.
func (s *Store) CoverageBySource(ctx context.Context) (map[ohlc.Series]map[Source]ohlc.SpanSet, error) {
	where, args := s.sinkFilter()
	rows, err := s.db.QueryContext(ctx, "SELECT pair, interval_min, source, start_ts, end_ts FROM coverage"+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read coverage: %w", err)
	}
	defer rows.Close()
	spans := map[ohlc.Series]map[Source][]ohlc.Span{}
	for rows.Next() {
		var (
			ser ohlc.Series
			src string
			sp  ohlc.Span
		)
		if err := rows.Scan(&ser.Pair, &ser.Interval, &src, &sp.Start, &sp.End); err != nil {
			return nil, fmt.Errorf("read coverage: %w", err)
		}
		if spans[ser] == nil {
			spans[ser] = map[Source][]ohlc.Span{}
		}
		spans[ser][Source(src)] = append(spans[ser][Source(src)], sp)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read coverage: %w", err)
	}
	out := make(map[ohlc.Series]map[Source]ohlc.SpanSet, len(spans))
	for ser, bySource := range spans {
		out[ser] = make(map[Source]ohlc.SpanSet, len(bySource))
		for src, list := range bySource {
			out[ser][src] = ohlc.NewSpanSet(list...)
		}
	}
	return out, nil
}

// FilesOf returns the file records of one series, oldest candles first.
func (s *Store) FilesOf(ctx context.Context, series ohlc.Series) ([]FileRecord, error) {
	var rows []fileRow
	if err := s.bySink(s.db.NewSelect().Model(&rows)).
		Where("pair = ? AND interval_min = ?", series.Pair, int(series.Interval)).
		OrderExpr("first_ts, dump, member, fingerprint").Scan(ctx); err != nil {
		return nil, fmt.Errorf("read files of %s: %w", series, err)
	}
	out := make([]FileRecord, len(rows))
	for i, r := range rows {
		out[i] = FileRecord{
			Fingerprint: r.Fingerprint, Dump: r.Dump, Member: r.Member,
			Series: ohlc.Series{Pair: r.Pair, Interval: ohlc.Interval(r.IntervalMin)},
			First:  r.FirstTS, Last: r.LastTS, Rows: r.RowCount,
			Status: FileStatus(r.Status), Error: r.Error, UpdatedAt: utc(r.UpdatedAt),
		}
	}
	return out, nil
}

// ActionsOf returns the most recent actions on one series, newest run
// first and, within a run, in reverse plan order (limit ≤ 0: all).
func (s *Store) ActionsOf(ctx context.Context, series ohlc.Series, limit int) ([]ActionRecord, error) {
	var rows []actionRow
	q := s.db.NewSelect().Model(&rows).
		Where("pair = ? AND interval_min = ?", series.Pair, int(series.Interval)).
		OrderExpr("run_id DESC, seq DESC, id DESC")
	if !s.legacy {
		q = q.Where("run_id IN (SELECT id FROM runs WHERE sink_id = ?)", s.sink)
	}
	if limit > 0 {
		q = q.Limit(int64(limit))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("read actions of %s: %w", series, err)
	}
	out := make([]ActionRecord, len(rows))
	for i, r := range rows {
		out[i] = r.action()
	}
	return out, nil
}
