package executor_test

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
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	qdb "github.com/questdb/go-questdb-client/v3"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
)

// naiveLoad is the baseline the QuestDB benchmarks compare against: what a
// user would write in an afternoon to load Kraken CSV files into QuestDB.
// encoding/csv reads each file, strconv parses each field, and one
// go-questdb-client sender, with its default auto-flush, sends one row per
// candle; the files go one after the other, and a final Flush sends the
// rest. It writes the same table and columns as candlekeep's sink, so the
// server does the same work for both. It returns the rows sent.
func naiveLoad(ctx context.Context, conf string, paths []string) (int64, error) {
	sender, err := qdb.LineSenderFromConf(ctx, conf)
	if err != nil {
		return 0, err
	}
	defer sender.Close(ctx)
	var rows int64
	for _, path := range paths {
		// Kraken names its files PAIR_MINUTES.csv.
		pair, interval, _ := strings.Cut(strings.TrimSuffix(filepath.Base(path), ".csv"), "_")
		n, err := naiveLoadFile(ctx, sender, path, pair, interval)
		rows += n
		if err != nil {
			return rows, fmt.Errorf("load %s: %w", path, err)
		}
	}
	return rows, sender.Flush(ctx)
}

func naiveLoadFile(ctx context.Context, sender qdb.LineSender, path, pair, interval string) (int64, error) {
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

// The naive loader is a fair baseline only if QuestDB ends up with what
// candlekeep's apply writes: the same rows, column for column, from the
// real XBTUSD_60.csv.
func TestNaiveLoaderWritesWhatApplyWrites(t *testing.T) {
	ctx := context.Background()
	dumpDir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(hourlyDump, "XBTUSD_60.csv"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dumpDir, "XBTUSD_60.csv")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	inv, err := krakencsv.Scan(ctx, []krakencsv.DumpSpec{{Name: "real", Path: dumpDir, Kind: krakencsv.FullHistory}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := inv.Dumps[0].Members[0]
	plan := &planner.Plan{Actions: []planner.Action{{
		Kind: planner.LoadCSV, Series: m.Series, Span: ohlc.Span{Start: 0, End: inv.Dumps[0].Cutoff},
		CSV: &planner.CSVSource{Dump: "real", DumpPath: dumpDir, Member: m.Path, Fingerprint: m.Fingerprint, Size: m.Size, ModTime: m.ModTime},
	}}}

	ours := questdbtest.New(questdbtest.Options{})
	defer ours.Close()
	st, err := state.Open(ctx, state.Config{Path: filepath.Join(t.TempDir(), "state.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ex := &executor.Executor{Sink: openQuestDB(t, ours), State: st, Open: executor.OpenCSV}
	if res, err := ex.Apply(ctx, plan); err != nil || len(res.Failures) > 0 || res.Rows == 0 {
		t.Fatalf("apply: %v %+v", err, res)
	}

	naive := questdbtest.New(questdbtest.Options{})
	defer naive.Close()
	openQuestDB(t, naive)
	n, err := naiveLoad(ctx, naive.Conf(), []string{path})
	if err != nil {
		t.Fatal(err)
	}
	want := ours.Rows("candles")
	if n != int64(len(want)) {
		t.Errorf("naive loader sent %d rows, apply wrote %d", n, len(want))
	}
	if diff := cmp.Diff(want, naive.Rows("candles")); diff != "" {
		t.Errorf("naive loader's rows differ from apply's (-apply +naive):\n%s", diff)
	}
}
