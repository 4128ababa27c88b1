package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
)

// Sizing of the full-history plan benchmarks: Kraken's full download holds
// about 3,000 pairs at 8 intervals; a quarterly update about 10,000 members.
const (
	benchPairs        = 3000
	benchMajors       = 100  // pairs configured at every interval
	benchQuarterPairs = 1250 // × 8 intervals = 10,000 quarterly members
	benchQuarterRows  = 100
	benchBigRows      = 400_000 // rows of each of the few big members
)

var benchIntervals = []ohlc.Interval{1, 5, 15, 30, 60, 240, 720, 1440}

// benchBigMembers are large enough that profiling them (cold cache) costs
// what a real history's 1-minute files cost: decompressing every byte.
var benchBigMembers = map[string]bool{"XBTUSD_1.csv": true, "ETHUSD_1.csv": true, "XBTUSD_5.csv": true, "ETHUSD_5.csv": true}

// benchNames are the real fixture pairs followed by generated ones shaped
// like Kraken's altnames (base + quote).
func benchNames() []string {
	names := []string{"XBTUSD", "ETHUSD", "STORJUSD", "ADAUSD", "XMRUSD"}
	quotes := []string{"USD", "EUR", "GBP", "USDT", "XBT", "ETH", "CAD", "JPY"}
	for k := 0; len(names) < benchPairs; k++ {
		base := fmt.Sprintf("%c%c%c%d", 'A'+k/(26*26)%26, 'A'+k/26%26, 'A'+k%26, k%10)
		names = append(names, base+quotes[k%len(quotes)])
	}
	return names
}

// benchFixtureRows are the rows of a real Kraken CSV file, each without its
// timestamp, which the generated members replace.
var benchFixtureRows = sync.OnceValues(func() ([][]byte, error) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "data", "Kraken_OHLCVT_2020-10-01", "XBTUSD_60.csv"))
	if err != nil {
		return nil, err
	}
	var rests [][]byte
	for line := range bytes.Lines(data) {
		_, rest, ok := bytes.Cut(bytes.TrimRight(line, "\r\n"), []byte{','})
		if !ok {
			return nil, fmt.Errorf("fixture line %q has no comma", line)
		}
		rests = append(rests, rest)
	}
	return rests, nil
})

// benchMember is rows real fixture rows, from the offset-th on, stamped
// with consecutive candle times that end at end: distinct content (and so
// distinct fingerprints) for every offset.
func benchMember(rests [][]byte, offset, rows int, step, end int64) []byte {
	var b bytes.Buffer
	b.Grow(rows * 64)
	start := end - int64(rows)*step
	for i := range rows {
		fmt.Fprintf(&b, "%d,%s\n", start+int64(i)*step, rests[(offset+i)%len(rests)])
	}
	return b.Bytes()
}

// benchZipMember is what state needs to know about a generated member.
type benchZipMember struct {
	name        string
	series      ohlc.Series
	fingerprint string
	rows        int
	first, last int64
}

// writeBenchZip writes members (name → content, in the order given by
// names) into a zip compressed at deflate's fastest level and returns
// their fingerprints as the scanner computes them.
func writeBenchZip(w io.Writer, names []string, content func(name string) ([]byte, ohlc.Series, int, int64, int64)) ([]benchZipMember, error) {
	zw := zip.NewWriter(w)
	// One compressor reused for every member: a new one per member
	// would cost more than the small members' compression.
	fw, err := flate.NewWriter(io.Discard, flate.BestSpeed)
	if err != nil {
		return nil, err
	}
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		fw.Reset(out)
		return fw, nil
	})
	out := make([]benchZipMember, 0, len(names))
	for _, name := range names {
		data, series, rows, first, last := content(name)
		f, err := zw.Create(name)
		if err != nil {
			return nil, err
		}
		if _, err := f.Write(data); err != nil {
			return nil, err
		}
		fp := fmt.Sprintf("crc32:%08x:%d", crc32.ChecksumIEEE(data), len(data))
		out = append(out, benchZipMember{name: name, series: series, fingerprint: fp, rows: rows, first: first, last: last})
	}
	return out, zw.Close()
}

// planBenchFixture is generated once per process and written out again by
// each benchmark: the full-history zip, the quarterly zip, and state
// databases before and after the fingerprint cache was filled.
type planBenchFixture struct {
	fullZip, quarterZip []byte
	config, quarterHCL  string
	coldState           []byte // coverage and files of a full load, no cache
	warmState           []byte // the same after one plan filled the cache
	now                 string
}

var benchCutoff, _ = ohlc.ParseTime("2026-01-01")

var planBench = sync.OnceValues(func() (*planBenchFixture, error) {
	rests, err := benchFixtureRows()
	if err != nil {
		return nil, err
	}
	pairs := benchNames()
	fx := &planBenchFixture{now: "2026-05-15T10:17:00Z"}

	var names []string
	for _, p := range pairs {
		for _, iv := range benchIntervals {
			names = append(names, fmt.Sprintf("%s_%d.csv", p, iv))
		}
	}
	var full bytes.Buffer
	k := 0
	members, err := writeBenchZip(&full, names, func(name string) ([]byte, ohlc.Series, int, int64, int64) {
		series, _ := krakencsv.ParseMemberName(name)
		step := series.Interval.Seconds()
		rows := 16 + k%48
		if benchBigMembers[name] {
			rows = benchBigRows
		}
		k++
		data := benchMember(rests, k*37, rows, step, benchCutoff)
		return data, series, rows, benchCutoff - int64(rows)*step, benchCutoff - step
	})
	if err != nil {
		return nil, err
	}
	fx.fullZip = full.Bytes()

	quarter, _ := ohlc.ParseTime("2026-04-01")
	var qNames []string
	for _, p := range pairs[:benchQuarterPairs] {
		for _, iv := range benchIntervals {
			qNames = append(qNames, fmt.Sprintf("%s_%d.csv", p, iv))
		}
	}
	var qzip bytes.Buffer
	k = 0
	if _, err := writeBenchZip(&qzip, qNames, func(name string) ([]byte, ohlc.Series, int, int64, int64) {
		series, _ := krakencsv.ParseMemberName(name)
		step := series.Interval.Seconds()
		rows := min(benchQuarterRows, int((quarter-benchCutoff)/step))
		k++
		return benchMember(rests, k*53, rows, step, quarter), series, rows, quarter - int64(rows)*step, quarter - step
	}); err != nil {
		return nil, err
	}
	fx.quarterZip = qzip.Bytes()

	fx.config = benchConfig(pairs)
	fx.quarterHCL = "dump \"q1_2026\" {\n  path = \"Kraken_OHLCVT_Q1_2026.zip\"\n}\n"
	if err := fx.buildStates(members); err != nil {
		return nil, err
	}
	return fx, nil
})

// benchConfig is a realistic tier set: every pair hourly, 4-hourly and
// daily; the majors at every interval.
func benchConfig(pairs []string) string {
	quoted := func(ps []string) string {
		q := make([]string, len(ps))
		for i, p := range ps {
			q[i] = `"` + p + `"`
		}
		return strings.Join(q, ", ")
	}
	return fmt.Sprintf(`dump "full" {
  path = "Kraken_OHLCVT.zip"
}

tier "MAJORS" {
  pairs = [%s]
}

tier "ALL" {
  pairs = [%s]
}

coverage "minutes" {
  tiers     = ["MAJORS"]
  intervals = [1, 5, 15, 30, 720]
  from      = "2013-01-01"
}

coverage "hours_days" {
  tiers     = ["ALL"]
  intervals = [60, 240, 1440]
  from      = "2013-01-01"
}
`, quoted(pairs[:benchMajors]), quoted(pairs))
}

// buildStates records a full load of every configured series from the
// full-history zip (as apply would have), then runs one plan to fill the
// fingerprint cache.
func (fx *planBenchFixture) buildStates(members []benchZipMember) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "candlekeep-planbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := fx.writeWorkspace(dir, nil, false); err != nil {
		return err
	}
	from, _ := ohlc.ParseTime("2013-01-01")
	majors := map[string]bool{}
	for _, p := range benchNames()[:benchMajors] {
		majors[p] = true
	}
	var steps []state.Progress
	for _, m := range members {
		iv := m.series.Interval
		if !majors[m.series.Pair] && iv != 60 && iv != 240 && iv != 1440 {
			continue
		}
		steps = append(steps, state.Progress{
			Series: m.series, Source: state.SourceCSV,
			Covered: ohlc.Span{Start: iv.AlignDown(from), End: iv.AlignDown(benchCutoff)},
			File: &state.FileRecord{Fingerprint: m.fingerprint, Dump: "full", Member: m.name, Series: m.series,
				First: m.first, Last: m.last, Rows: int64(m.rows), Status: state.FileLoaded},
		})
	}
	statePath := filepath.Join(dir, ".candlekeep", "state.db")
	st, err := state.Open(ctx, state.Config{Path: statePath})
	if err != nil {
		return err
	}
	if err := st.RecordAll(ctx, steps); err != nil {
		st.Close()
		return err
	}
	if err := st.Close(); err != nil {
		return err
	}
	if fx.coldState, err = os.ReadFile(statePath); err != nil {
		return err
	}
	if err := benchPlan(dir, fx.now); err != nil {
		return err
	}
	fx.warmState, err = os.ReadFile(statePath)
	return err
}

// writeWorkspace writes the configuration, the dumps and (unless nil) a
// state database into dir.
func (fx *planBenchFixture) writeWorkspace(dir string, stateDB []byte, withQuarter bool) error {
	files := map[string][]byte{
		"candlekeep.hcl":    []byte(fx.config),
		"Kraken_OHLCVT.zip": fx.fullZip,
	}
	if withQuarter {
		files["quarter.hcl"] = []byte(fx.quarterHCL)
		files["Kraken_OHLCVT_Q1_2026.zip"] = fx.quarterZip
	}
	if err := os.MkdirAll(filepath.Join(dir, ".candlekeep"), 0o755); err != nil {
		return err
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	if stateDB != nil {
		return restoreState(dir, stateDB)
	}
	return nil
}

// restoreState puts a state database back as it was saved, without the
// write-ahead log a previous run may have left.
func restoreState(dir string, db []byte) error {
	path := filepath.Join(dir, ".candlekeep", "state.db")
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return os.WriteFile(path, db, 0o644)
}

// benchPlan runs `candlekeep plan` in dir as the CLI does.
func benchPlan(dir, now string) error {
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"-chdir=" + dir, "plan", "-no-color", "-now=" + now}, nil, io.Discard, &stderr); code != 0 {
		return fmt.Errorf("plan exited %d: %s", code, stderr.String())
	}
	return nil
}

func planBenchDir(b *testing.B, stateDB []byte, withQuarter bool) (*planBenchFixture, string) {
	b.Helper()
	fx, err := planBench()
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := fx.writeWorkspace(dir, stateDB, withQuarter); err != nil {
		b.Fatal(err)
	}
	return fx, dir
}
