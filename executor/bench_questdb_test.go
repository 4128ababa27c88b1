package executor_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/feefifofunds/candlekeep/bench/naive"
	"github.com/feefifofunds/candlekeep/bench/synth"
	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
)

// questDBBenchRows is the size of each file the QuestDB benchmarks load.
const questDBBenchRows = 3_000_000

// bigMinuteFile is the real XBTUSD_60.csv resequenced to 3 million
// 1-minute rows (hourly ones would run past the year 2262, where QuestDB's
// nanosecond timestamps end). Built once per process: it takes seconds.
var bigMinuteFile = sync.OnceValues(func() ([]byte, error) {
	src, err := os.ReadFile(filepath.Join(hourlyDump, "XBTUSD_60.csv"))
	if err != nil {
		return nil, err
	}
	data, _, err := synth.Resequence(src, questDBBenchRows, mustTime("2015-01-01"), 60)
	return data, err
})

// questDBBenchDump writes the big file as XBTUSD_1.csv and ETHUSD_1.csv
// into a fresh dump folder and returns the folder, the files' paths and
// one load action per file.
func questDBBenchDump(b *testing.B) (string, []string, []planner.Action) {
	b.Helper()
	data, err := bigMinuteFile()
	if err != nil {
		b.Fatal(err)
	}
	dumpDir := b.TempDir()
	var paths []string
	for _, name := range []string{"XBTUSD_1.csv", "ETHUSD_1.csv"} {
		path := filepath.Join(dumpDir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			b.Fatal(err)
		}
		paths = append(paths, path)
	}
	inv, err := krakencsv.Scan(context.Background(), []krakencsv.DumpSpec{{Name: "big", Path: dumpDir, Kind: krakencsv.FullHistory}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	var actions []planner.Action
	for _, m := range inv.Dumps[0].Members {
		actions = append(actions, planner.Action{
			Kind: planner.LoadCSV, Series: m.Series, Span: ohlc.Span{Start: 0, End: inv.Dumps[0].Cutoff},
			CSV:      &planner.CSVSource{Dump: "big", DumpPath: dumpDir, Member: m.Path, Fingerprint: m.Fingerprint, Size: m.Size, ModTime: m.ModTime},
			Estimate: questDBBenchRows,
		})
	}
	return dumpDir, paths, actions
}

// cost is the wall time and the CPU time of this process (candlekeep and
// stand-in alike) that something took. On a machine shared with other work
// the CPU time varies less than the wall time.
type cost struct{ wall, cpu time.Duration }

func (c *cost) add(o cost) { c.wall += o.wall; c.cpu += o.cpu }

func measure(f func()) cost {
	cpu, start := processCPU(), time.Now()
	f()
	return cost{wall: time.Since(start), cpu: processCPU() - cpu}
}

// processCPU is the CPU time this process has used, all threads.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// applyToQuestDB runs candlekeep's apply of plan against sink with a fresh
// state, and returns what the apply itself cost.
func applyToQuestDB(b *testing.B, srv *questdbtest.Server, plan *planner.Plan, parallelism int) cost {
	b.Helper()
	ctx := context.Background()
	st, err := state.Open(ctx, state.Config{Path: filepath.Join(b.TempDir(), "state.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	sink := openQuestDB(b, srv)
	want := int64(questDBBenchRows * len(plan.Actions))
	ex := &executor.Executor{Sink: sink, State: st, Open: executor.OpenCSV, Options: executor.Options{Parallelism: parallelism}}
	var res executor.Result
	took := measure(func() { res, err = ex.Apply(ctx, plan) })
	if err != nil || res.Rows != want {
		b.Fatalf("apply wrote %d of %d rows: %v %+v", res.Rows, want, err, res.Failures)
	}
	return took
}

// BenchmarkQuestDBVersusNaive loads the same files into the QuestDB
// stand-in, counting rows, twice per iteration: with candlekeep's apply
// (files in parallel) and with the naive loader (encoding/csv, strconv,
// one go-questdb-client sender, row by row, files one after the other).
// It reports both rates and x_naive, candlekeep's speed over the naive
// loader's, measured in the same run on the same machine state; and the
// same per CPU-second of the process (stand-in included), which neighbours
// on a shared machine disturb less.
//
//	go test -run='^$' -bench=QuestDBVersusNaive -count=6 ./executor/
func BenchmarkQuestDBVersusNaive(b *testing.B) {
	_, paths, actions := questDBBenchDump(b)
	for _, files := range []int{1, 2} {
		b.Run(map[int]string{1: "one-file", 2: "two-files"}[files], func(b *testing.B) {
			plan := &planner.Plan{Actions: actions[:files]}
			rows := float64(questDBBenchRows * files)
			var ours, baseline cost
			for range b.N {
				srv := questdbtest.New(questdbtest.Options{CountOnly: true})
				ours.add(applyToQuestDB(b, srv, plan, files))
				srv.Close()

				srv = questdbtest.New(questdbtest.Options{CountOnly: true})
				openQuestDB(b, srv) // the same table, created the same way
				var n int64
				var err error
				baseline.add(measure(func() { n, err = naive.Load(context.Background(), srv.Conf(), paths[:files]) }))
				if err != nil || n != int64(rows) || srv.Count("candles") != n {
					b.Fatalf("naive loader sent %d rows, stand-in counted %d, want %d: %v", n, srv.Count("candles"), int64(rows), err)
				}
				srv.Close()
			}
			b.ReportMetric(rows*float64(b.N)/ours.wall.Seconds(), "candlekeep_rows/s")
			b.ReportMetric(rows*float64(b.N)/baseline.wall.Seconds(), "naive_rows/s")
			b.ReportMetric(baseline.wall.Seconds()/ours.wall.Seconds(), "x_naive")
			b.ReportMetric(rows*float64(b.N)/ours.cpu.Seconds(), "candlekeep_rows/cpu-s")
			b.ReportMetric(rows*float64(b.N)/baseline.cpu.Seconds(), "naive_rows/cpu-s")
		})
	}
}
