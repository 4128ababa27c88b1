package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// fillSeries inserts candles of count series, each of perSeries candles at
// interval from start, with one SQL statement, so a benchmark's table of
// millions of rows is built in seconds rather than through the writer.
func fillSeries(t testing.TB, s *Sink, count, perSeries int, interval ohlc.Interval, start int64) {
	t.Helper()
	q := `WITH RECURSIVE p(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM p WHERE i + 1 < ?1),
		n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
	INSERT INTO ` + s.quoted + ` (pair, interval, ts, open, high, low, close, volume, trades, vwap)
	SELECT printf('P%05dUSD', p.i), ?3, ?4 + n.i * ?3 * 60, 1, 2, 0.5, 1.5, 10, 3, NULL FROM p, n`
	if _, err := s.wconn.ExecContext(context.Background(), q, count, perSeries, int64(interval), start); err != nil {
		t.Fatal(err)
	}
}

// months are the calendar months a drift check asks about one by one.
func months(from, to time.Time) []ohlc.Span {
	var out []ohlc.Span
	for m := from; m.Before(to); m = m.AddDate(0, 1, 0) {
		out = append(out, ohlc.Span{Start: m.Unix(), End: m.AddDate(0, 1, 0).Unix()})
	}
	return out
}

// TestReadBackUsesTheKey: the read-back query searches the primary key;
// it never scans the table, which made drift checks quadratic (one full
// scan per month).
func TestReadBackUsesTheKey(t *testing.T) {
	s := openTable(t)
	fillSeries(t, s, 3, 1000, 60, 1_600_000_000)
	q := strings.Replace(readBackSQL(s.quoted), "?1", "0", -1)
	q = strings.Replace(q, "?2", "1", -1)
	rows, err := s.db.Query("EXPLAIN QUERY PLAN " + q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	joined := strings.Join(plan, "\n")
	if strings.Contains(joined, "SCAN "+s.quoted) || strings.Contains(joined, "SCAN c") {
		t.Errorf("the read-back scans the candle table:\n%s", joined)
	}
	if !strings.Contains(joined, "SEARCH") {
		t.Errorf("the read-back searches nothing:\n%s", joined)
	}
	got, err := s.ReadBack(context.Background(), ohlc.Span{Start: 1_600_000_000 + 100*3600, End: 1_600_000_000 + 200*3600})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Count != 100 || got[0].First != 1_600_000_000+100*3600 || got[2].Series.Pair != "P00002USD" {
		t.Errorf("read back %+v", got)
	}
}

func openTable(t testing.TB) *Sink {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "candles.db"), "candles")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Setup(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// BenchmarkReadBackMonths is a drift check's reading: every month of the
// stored years asked in turn. "10y": 3 series of 5-minute candles over
// ten years, 3.15 million rows; "8000series": 8,000 daily series over
// one year, 2.9 million rows.
func BenchmarkReadBackMonths(b *testing.B) {
	from := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name        string
		series, per int
		interval    ohlc.Interval
		years       int
	}{
		{"10y", 3, 10 * 105_120, 5, 10},
		{"8000series", 8000, 365, 1440, 1},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s := openTable(b)
			fillSeries(b, s, tc.series, tc.per, tc.interval, from.Unix())
			spans := months(from, from.AddDate(tc.years, 0, 0))
			b.ResetTimer()
			for b.Loop() {
				var n int64
				for _, m := range spans {
					stats, err := s.ReadBack(context.Background(), m)
					if err != nil {
						b.Fatal(err)
					}
					for _, st := range stats {
						n += st.Count
					}
				}
				if n != int64(tc.series*tc.per) {
					b.Fatal(fmt.Sprintf("read back %d candles, want %d", n, tc.series*tc.per))
				}
			}
			b.ReportMetric(float64(tc.series*tc.per)/b.Elapsed().Seconds()*float64(b.N), "rows/s")
		})
	}
}
