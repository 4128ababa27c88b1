// Package naive is the baseline candlekeep's QuestDB loads are measured
// against (docs/performance.md): the loader a user would write in an
// afternoon, kept here so that the executor's benchmark and the
// whole-binary script (bench/naive-questdb) run the same code.
package naive

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	qdb "github.com/questdb/go-questdb-client/v3"
)

// Load is the baseline the QuestDB benchmarks compare against: what a
// user would write in an afternoon to load Kraken CSV files into QuestDB.
// encoding/csv reads each file, strconv parses each field, and one
// go-questdb-client sender, with its default auto-flush, sends one row per
// candle; the files go one after the other, and a final Flush sends the
// rest. It writes the same table and columns as candlekeep's sink, so the
// server does the same work for both. It returns the rows sent.
func Load(ctx context.Context, conf string, paths []string) (int64, error) {
	sender, err := qdb.LineSenderFromConf(ctx, conf)
	if err != nil {
		return 0, err
	}
	defer sender.Close(ctx)
	var rows int64
	for _, path := range paths {
		// Kraken names its files PAIR_MINUTES.csv.
		pair, interval, _ := strings.Cut(strings.TrimSuffix(filepath.Base(path), ".csv"), "_")
		n, err := loadFile(ctx, sender, path, pair, interval)
		rows += n
		if err != nil {
			return rows, fmt.Errorf("load %s: %w", path, err)
		}
	}
	return rows, sender.Flush(ctx)
}

func loadFile(ctx context.Context, sender qdb.LineSender, path, pair, interval string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 7 // time, open, high, low, close, volume, trades
	var rows int64
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		var prices [5]float64
		for i := range prices {
			if prices[i], err = strconv.ParseFloat(rec[i+1], 64); err != nil {
				return rows, err
			}
		}
		ts, err := strconv.ParseInt(rec[0], 10, 64)
		if err != nil {
			return rows, err
		}
		trades, err := strconv.ParseInt(rec[6], 10, 64)
		if err != nil {
			return rows, err
		}
		err = sender.Table("candles").
			Symbol("pair", pair).
			Symbol("interval", interval).
			Float64Column("open", prices[0]).
			Float64Column("high", prices[1]).
			Float64Column("low", prices[2]).
			Float64Column("close", prices[3]).
			Float64Column("volume", prices[4]).
			Int64Column("trades", trades).
			At(ctx, time.Unix(ts, 0))
		if err != nil {
			return rows, err
		}
		rows++
	}
}
