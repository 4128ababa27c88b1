package state

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// GapFilter selects gap records. Empty fields restrict nothing. Pairs and
// Series together select a record when its pair is in Pairs or its series
// is in Series (so `-tier TIER1 -series SOLUSD/5` lists both); Statuses
// further restricts that.
type GapFilter struct {
	Pairs    []string
	Series   []ohlc.Series
	Statuses []GapStatus
	Limit    int // at most this many records; 0 means all
}

// Gaps returns the gap records of any status, filled ones included, that
// match f, ordered by pair, interval, span start and detection time.
func (s *Store) Gaps(ctx context.Context, f GapFilter) ([]Gap, error) {
	var rows []gapRow
	q := s.bySink(s.db.NewSelect().Model(&rows))
	if len(f.Pairs) > 0 || len(f.Series) > 0 {
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			if len(f.Pairs) > 0 {
				q = q.WhereOr("pair IN (?)", bun.In(f.Pairs))
			}
			for _, ser := range f.Series {
				q = q.WhereOr("(pair = ? AND interval_min = ?)", ser.Pair, int(ser.Interval))
			}
			return q
		})
	}
	if len(f.Statuses) > 0 {
		statuses := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			statuses[i] = string(st)
		}
		q = q.Where("status IN (?)", bun.In(statuses))
	}
	// id last: records detected in the same run keep their insertion order.
	q = q.OrderExpr("pair, interval_min, start_ts, detected_at, id")
	if f.Limit > 0 {
		q = q.Limit(int64(f.Limit))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("read gaps: %w", err)
	}
	out := make([]Gap, len(rows))
	for i, r := range rows {
		out[i] = r.gap()
	}
	return out, nil
}
