package executor_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/bench/naive"
	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
)

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

	theirs := questdbtest.New(questdbtest.Options{})
	defer theirs.Close()
	openQuestDB(t, theirs)
	n, err := naive.Load(ctx, theirs.Conf(), []string{path})
	if err != nil {
		t.Fatal(err)
	}
	want := ours.Rows("candles")
	if n != int64(len(want)) {
		t.Errorf("naive loader sent %d rows, apply wrote %d", n, len(want))
	}
	if diff := cmp.Diff(want, theirs.Rows("candles")); diff != "" {
		t.Errorf("naive loader's rows differ from apply's (-apply +naive):\n%s", diff)
	}
}
