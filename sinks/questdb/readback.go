package questdb

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
)

// ReadBack reports count, first and last candle per series inside span,
// sorted by series.
//
// The table is a WAL table: QuestDB acknowledges a write once it is in the
// WAL and applies it to the table a little later, so a read right after a
// write may not see it yet. Drift checks run long after the writes they
// check, where this lag does not matter.
func (s *Sink) ReadBack(ctx context.Context, span ohlc.Span) ([]sinks.SeriesStats, error) {
	if span.Empty() {
		return nil, nil
	}
	q := "SELECT pair, \"interval\", min(timestamp), max(timestamp), count() FROM " + s.quoted +
		" WHERE timestamp >= " + sqlTime(span.Start) + " AND timestamp < " + sqlTime(span.End) +
		" GROUP BY pair, \"interval\""
	res, err := s.exec.exec(ctx, q)
	if tableMissing(err) {
		// A dropped table holds nothing: drift, not an error. The next
		// apply's Setup creates it again.
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read back %s from %s: %w", span, s, err)
	}
	out := make([]sinks.SeriesStats, 0, len(res.Dataset))
	for _, row := range res.Dataset {
		st, err := parseStats(row)
		if err != nil {
			return nil, fmt.Errorf("read back %s from %s: %w", span, s, err)
		}
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b sinks.SeriesStats) int { return a.Series.Compare(b.Series) })
	return out, nil
}

func parseStats(row []any) (sinks.SeriesStats, error) {
	if len(row) != 5 {
		return sinks.SeriesStats{}, fmt.Errorf("a result row has %d cells, want 5", len(row))
	}
	pair, ok := asString(row[0])
	if !ok {
		return sinks.SeriesStats{}, fmt.Errorf("pair %v is not a string", row[0])
	}
	series, err := parseSeries(pair, row[1])
	if err != nil {
		return sinks.SeriesStats{}, err
	}
	first, err1 := parseTime(row[2])
	last, err2 := parseTime(row[3])
	count, ok := asInt(row[4])
	switch {
	case err1 != nil:
		return sinks.SeriesStats{}, fmt.Errorf("%s: first candle: %w", series, err1)
	case err2 != nil:
		return sinks.SeriesStats{}, fmt.Errorf("%s: last candle: %w", series, err2)
	case !ok:
		return sinks.SeriesStats{}, fmt.Errorf("%s: count %v is not a whole number", series, row[4])
	}
	return sinks.SeriesStats{Series: series, Count: count, First: first, Last: last}, nil
}

// parseSeries reads the interval symbol: minutes as text, "60".
func parseSeries(pair string, v any) (ohlc.Series, error) {
	text, ok := asString(v)
	if !ok {
		return ohlc.Series{}, fmt.Errorf("interval %v of %s is not a symbol", v, pair)
	}
	minutes, err := strconv.Atoi(text)
	if err != nil || !ohlc.Interval(minutes).Valid() {
		return ohlc.Series{}, fmt.Errorf("interval %q of %s is not a Kraken interval in minutes: was the table written by something else?", text, pair)
	}
	return ohlc.Series{Pair: pair, Interval: ohlc.Interval(minutes)}, nil
}

// Candles returns the stored candles of one series inside span, oldest
// first: sinks.Collect, for tests and drift checks. Like ReadBack it may
// lag just-written rows.
func (s *Sink) Candles(ctx context.Context, series ohlc.Series, span ohlc.Span) ([]ohlc.Candle, error) {
	return sinks.Collect(ctx, s, series, span)
}

// ReadCandles reads one window of at most sinks.ReadPage candle slots per
// /exec query (sinks.Sink): /exec answers with the whole result at once,
// and a window of that many slots cannot hold more candles.
func (s *Sink) ReadCandles(ctx context.Context, series ohlc.Series, span ohlc.Span, fn func([]ohlc.Candle) error) error {
	if span.Empty() {
		return nil
	}
	// Windows only where the series has candles: a span of decades of
	// minutes would otherwise cost thousands of empty queries.
	where := " WHERE pair = " + sqlString(series.Pair) + " AND \"interval\" = " + sqlString(series.Interval.String()) +
		" AND timestamp >= " + sqlTime(span.Start) + " AND timestamp < " + sqlTime(span.End)
	res, err := s.exec.exec(ctx, "SELECT pair, \"interval\", min(timestamp), max(timestamp), count() FROM "+s.quoted+where+" GROUP BY pair, \"interval\"")
	if err != nil {
		return fmt.Errorf("read candles %s from %s: %w", series, s, err)
	}
	if len(res.Dataset) == 0 {
		return nil
	}
	held, err := parseStats(res.Dataset[0])
	if err != nil {
		return fmt.Errorf("read candles %s from %s: %w", series, s, err)
	}
	step := int64(sinks.ReadPage) * series.Interval.Seconds()
	end := min(span.End, held.Last+series.Interval.Seconds())
	for from := max(span.Start, held.First); from < end; from += step {
		page, err := s.candlesIn(ctx, series, ohlc.Span{Start: from, End: min(end, from+step)})
		if err != nil {
			return err
		}
		if len(page) == 0 {
			continue
		}
		if err := fn(page); err != nil {
			return err
		}
	}
	return nil
}

// candlesIn is one query's candles of series inside span, oldest first.
func (s *Sink) candlesIn(ctx context.Context, series ohlc.Series, span ohlc.Span) ([]ohlc.Candle, error) {
	if span.Empty() {
		return nil, nil
	}
	q := "SELECT open, high, low, close, volume, trades, vwap, timestamp FROM " + s.quoted +
		" WHERE pair = " + sqlString(series.Pair) + " AND \"interval\" = " + sqlString(series.Interval.String()) +
		" AND timestamp >= " + sqlTime(span.Start) + " AND timestamp < " + sqlTime(span.End) +
		" ORDER BY timestamp"
	res, err := s.exec.exec(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read candles %s from %s: %w", series, s, err)
	}
	out := make([]ohlc.Candle, 0, len(res.Dataset))
	for _, row := range res.Dataset {
		c, err := parseCandle(row)
		if err != nil {
			return nil, fmt.Errorf("read candles %s from %s: %w", series, s, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func parseCandle(row []any) (ohlc.Candle, error) {
	var c ohlc.Candle
	if len(row) != 8 {
		return c, fmt.Errorf("a result row has %d cells, want 8", len(row))
	}
	t, err := parseTime(row[7])
	if err != nil {
		return c, err
	}
	c.Time = t
	for i, dst := range []*float64{&c.Open, &c.High, &c.Low, &c.Close, &c.Volume} {
		v, ok := asFloat(row[i])
		if !ok {
			return c, fmt.Errorf("candle at %s: %s %v is not a number", ohlc.FormatTime(t), wantColumns[2+i].name, row[i])
		}
		*dst = v
	}
	trades, ok := asInt(row[5])
	if !ok {
		return c, fmt.Errorf("candle at %s: trades %v is not a whole number", ohlc.FormatTime(t), row[5])
	}
	c.Trades = trades
	if row[6] != nil {
		if c.VWAP, ok = asFloat(row[6]); !ok {
			return c, fmt.Errorf("candle at %s: vwap %v is not a number", ohlc.FormatTime(t), row[6])
		}
		c.HasVWAP = true
	}
	return c, nil
}

// sqlTime renders Unix seconds as a QuestDB timestamp literal,
// '2024-01-01T00:00:00.000000Z'.
func sqlTime(t int64) string {
	return "'" + time.Unix(t, 0).UTC().Format("2006-01-02T15:04:05.000000Z") + "'"
}

// parseTime reads a timestamp cell, "2024-01-01T00:00:00.000000Z".
func parseTime(v any) (int64, error) {
	text, ok := asString(v)
	if !ok {
		return 0, fmt.Errorf("timestamp %v is not text", v)
	}
	t, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		return 0, fmt.Errorf("timestamp %q: %w", text, err)
	}
	return t.Unix(), nil
}
