package executor_test

import (
	"archive/zip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
)

// quarterlyZip writes a zip of members files of rows real hourly rows
// each, as a quarterly update's, and returns the plan that loads them.
func quarterlyZip(b *testing.B, members, rows int) *planner.Plan {
	b.Helper()
	var lines []string
	for _, line := range strings.SplitAfter(string(realHourlyB(b)), "\n") {
		if line != "" {
			lines = append(lines, line)
		}
	}
	body := []byte(strings.Join(lines[len(lines)-rows:], ""))
	path := filepath.Join(b.TempDir(), "Kraken_OHLCVT_Q3_2020.zip")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for i := range members {
		w, err := zw.Create(fmt.Sprintf("P%05dUSD_60.csv", i))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			b.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	inv, err := krakencsv.Scan(context.Background(), []krakencsv.DumpSpec{{Name: "q3", Path: path, Kind: krakencsv.Quarterly}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	d := inv.Dumps[0]
	plan := &planner.Plan{}
	for _, m := range d.Members {
		plan.Actions = append(plan.Actions, planner.Action{
			Kind: planner.LoadCSV, Series: m.Series, Span: d.Covers(m.Series),
			CSV:      &planner.CSVSource{Dump: "q3", DumpPath: path, IsZip: true, Member: m.Path, Fingerprint: m.Fingerprint, Size: m.Size},
			Estimate: m.Profile.Rows,
		})
	}
	if len(plan.Actions) != members {
		b.Fatalf("planned %d loads of %d members", len(plan.Actions), members)
	}
	return plan
}

func realHourlyB(b *testing.B) []byte {
	b.Helper()
	data, err := os.ReadFile(filepath.Join(hourlyDump, "XBTUSD_60.csv"))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkApplySmallFiles applies a quarterly update — 10,000 zip
// members of 100 rows — into a fresh SQLite sink and state, end to end.
// ms/file is the whole cost of one file: open, read, write, record.
//
//	go test -run='^$' -bench=ApplySmallFiles -benchtime=1x -count=6 ./executor/
func BenchmarkApplySmallFiles(b *testing.B) {
	const members, rows = 10_000, 100
	plan := quarterlyZip(b, members, rows)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		st, sink := freshSQLite(b)
		files := executor.NewCSVFiles()
		b.StartTimer()
		ex := &executor.Executor{Sink: sink, State: st, Open: files.Open}
		res, err := ex.Apply(ctx, plan)
		if err != nil || res.Rows != members*rows || res.Done[planner.LoadCSV] != members {
			b.Fatalf("apply loaded %d files, %d rows: %v %+v", res.Done[planner.LoadCSV], res.Rows, err, res.Failures)
		}
		b.StopTimer()
		files.Close()
		sink.Close()
		st.Close()
		b.StartTimer()
	}
	perFile := b.Elapsed().Seconds() / float64(b.N) / members
	b.ReportMetric(perFile*1e3, "ms/file")
	b.ReportMetric(float64(members*rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
