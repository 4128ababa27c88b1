package main

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/feefifofunds/candlekeep/bench/synth"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
)

// tortureCandle is one candle as the torture test compares them: what a
// sink stores, read back without candlekeep's own code.
type tortureCandle struct {
	Time                           int64
	Open, High, Low, Close, Volume float64
	Trades                         int64
	VWAP                           *float64
}

// tortureSeries is one series the torture configuration wants: its window,
// and every candle its source holds (inside the window or not), parsed
// independently of candlekeep.
type tortureSeries struct {
	Series ohlc.Series
	Window ohlc.Span
	All    []tortureCandle // sorted by time
}

// wanted is the part of the source's candles the sink must hold.
func (s tortureSeries) wanted() []tortureCandle {
	var out []tortureCandle
	for _, c := range s.All {
		if s.Window.Contains(c.Time) {
			out = append(out, c)
		}
	}
	return out
}

// countIn is how many source candles lie in span.
func (s tortureSeries) countIn(span ohlc.Span) int64 {
	lo, _ := slices.BinarySearchFunc(s.All, span.Start, func(c tortureCandle, t int64) int { return cmp.Compare(c.Time, t) })
	hi, _ := slices.BinarySearchFunc(s.All, span.End, func(c tortureCandle, t int64) int { return cmp.Compare(c.Time, t) })
	return int64(hi - lo)
}

// Rows of the two synthetic one-minute files: long enough that loading them
// crosses the executor's 100,000-row checkpoints, so kills land between
// checkpoints, during them and after them.
const (
	tortureMinuteRowsXBT = 130_000
	tortureMinuteRowsETH = 115_000
)

// tortureConfig is the configuration every round applies; %q are the
// minute dump folder, the daily zip, and the sink block.
const tortureConfig = `api {
  base_url   = env("KRAKEN_URL")
  rate_limit = "50/s"
  burst      = 5

  rebuild {
    max_requests = 100000
  }
}

dump "minutes" {
  path = %q
}

dump "daily" {
  path = %q
}

%s

coverage "minutes" {
  pairs     = ["XBTUSD", "ETHUSD"]
  intervals = [1]
  from      = "2024-01-01"
  to        = "2024-03-15"
}

# Four-hour candles no dump or API answer holds: derived from the minutes,
# after their loads.
coverage "fourhours" {
  pairs       = ["XBTUSD", "ETHUSD"]
  intervals   = ["4h"]
  from        = "2024-01-01"
  to          = "2024-03-15"
  derive_from = [1]
}

coverage "storj" {
  pairs     = ["STORJUSD"]
  intervals = ["1h"]
  from      = "2020-08-01"
  to        = "2020-09-15"
}

coverage "daily" {
  pairs     = ["XBTUSD", "ETHUSD", "ADAUSD", "XMRUSD"]
  intervals = ["1d"]
  from      = "2019-01-01"
  to        = "2021-01-01"
}

coverage "rebuilt" {
  pairs     = ["SOLUSD"]
  intervals = ["5m", "15m"]
  from      = "2026-11-01"
  to        = "2026-11-03"
}

coverage "recent" {
  pairs     = ["XBTUSD", "ETHUSD"]
  intervals = ["1h"]
  from      = "2026-11-10"
}
`

// tortureData is the dumps on disk and the series the configuration wants.
type tortureData struct {
	MinutesDir, DailyZip string
	Series               []tortureSeries
}

// newTortureData writes the dumps under dir: real fixtures from the
// quickstart example, the hourly ones stretched deterministically into
// one-minute files, and the daily zip as it is.
func newTortureData(t *testing.T, dir string) *tortureData {
	t.Helper()
	src := filepath.Join("..", "..", "examples", "quickstart", "data")
	d := &tortureData{MinutesDir: filepath.Join(dir, "minutes"), DailyZip: filepath.Join(dir, "Kraken_OHLCVT_2021-04-01.zip")}
	if err := os.MkdirAll(d.MinutesDir, 0o755); err != nil {
		t.Fatal(err)
	}
	hourly := filepath.Join(src, "Kraken_OHLCVT_2020-10-01")
	minutesFrom := mustTime(t, "2024-01-01")
	for _, f := range []struct {
		pair string
		rows int
	}{{"XBTUSD", tortureMinuteRowsXBT}, {"ETHUSD", tortureMinuteRowsETH}} {
		data, _, err := synth.Resequence(mustRead(t, filepath.Join(hourly, f.pair+"_60.csv")), f.rows, minutesFrom, 60)
		if err != nil {
			t.Fatal(err)
		}
		writeTortureFile(t, filepath.Join(d.MinutesDir, f.pair+"_1.csv"), data)
		minutes := parseTortureCSV(t, data)
		d.add(t, f.pair, 1, "2024-01-01", "2024-03-15", minutes)
		d.add(t, f.pair, 240, "2024-01-01", "2024-03-15", tortureAggregate(minutes, 240*60))
	}
	storj := mustRead(t, filepath.Join(hourly, "STORJUSD_60.csv"))
	writeTortureFile(t, filepath.Join(d.MinutesDir, "STORJUSD_60.csv"), storj)
	d.add(t, "STORJUSD", 60, "2020-08-01", "2020-09-15", parseTortureCSV(t, storj))

	zipData := mustRead(t, filepath.Join(src, "Kraken_OHLCVT_2021-04-01.zip"))
	writeTortureFile(t, d.DailyZip, zipData)
	zr, err := zip.NewReader(bytes.NewReader(zipData), int64(len(zipData)))
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range []string{"XBTUSD", "ETHUSD", "ADAUSD", "XMRUSD"} {
		d.add(t, pair, 1440, "2019-01-01", "2021-01-01", parseTortureCSV(t, mustReadZip(t, zr, "Kraken_OHLCVT/"+pair+"_1440.csv")))
	}
	// The API's candles: every closed one up to now (the forming candle
	// is never stored).
	for _, pair := range []string{"XBTUSD", "ETHUSD"} {
		d.add(t, pair, 60, "2026-11-10", time.Unix(scriptNow, 0).UTC().Format(time.RFC3339), krakenAnswer(t, 3600))
	}
	return d
}

// tortureAggregate is what deriving must make of source candles, worked
// out apart from ohlc.Aggregator: per slot of step seconds, the first
// open, the highest high, the lowest low, the last close, volume and
// trades summed in time order; candles without trades add nothing.
func tortureAggregate(src []tortureCandle, step int64) []tortureCandle {
	var out []tortureCandle
	for _, c := range src {
		if c.Trades == 0 {
			continue
		}
		slot := c.Time - c.Time%step
		if n := len(out); n > 0 && out[n-1].Time == slot {
			p := &out[n-1]
			p.High, p.Low, p.Close = max(p.High, c.High), min(p.Low, c.Low), c.Close
			p.Volume += c.Volume
			p.Trades += c.Trades
			continue
		}
		c.Time, c.VWAP = slot, nil
		out = append(out, c)
	}
	return out
}

func (d *tortureData) add(t *testing.T, pair string, interval ohlc.Interval, from, to string, all []tortureCandle) {
	t.Helper()
	window := ohlc.Span{Start: mustTime(t, from), End: mustTime(t, to)}
	d.Series = append(d.Series, tortureSeries{Series: ohlc.Series{Pair: pair, Interval: interval}, Window: window, All: all})
}

func mustReadZip(t *testing.T, zr *zip.Reader, name string) []byte {
	t.Helper()
	f, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// parseTortureCSV reads a Kraken OHLCVT file with encoding/csv and
// strconv: time, open, high, low, close, volume, trades.
func parseTortureCSV(t *testing.T, data []byte) []tortureCandle {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]tortureCandle, 0, len(records))
	for i, r := range records {
		if len(r) != 7 {
			t.Fatalf("row %d has %d fields", i+1, len(r))
		}
		var c tortureCandle
		var nums [5]float64
		c.Time = mustInt(t, r[0])
		for k := range nums {
			nums[k] = mustFloat(t, r[k+1])
		}
		c.Open, c.High, c.Low, c.Close, c.Volume = nums[0], nums[1], nums[2], nums[3], nums[4]
		c.Trades = mustInt(t, r[6])
		out = append(out, c)
	}
	return out
}

// krakenAnswer is what the fake Kraken serves for an interval of step
// seconds at scriptNow, built from its real recorded answer: the fixture's
// rows end at the forming candle, which is not a closed candle, and rows
// without trades are fillers candlekeep drops.
func krakenAnswer(t *testing.T, step int64) []tortureCandle {
	t.Helper()
	var env struct {
		Result map[string]json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(krakenfake.FixtureResponse(), &env); err != nil {
		t.Fatal(err)
	}
	var rows [][]json.RawMessage
	if err := json.Unmarshal(env.Result[krakenfake.FixtureKey], &rows); err != nil {
		t.Fatal(err)
	}
	forming := scriptNow - scriptNow%step
	var out []tortureCandle
	for i, r := range rows[:len(rows)-1] {
		var vals [6]string
		for k := range vals {
			if err := json.Unmarshal(r[k+1], &vals[k]); err != nil {
				t.Fatal(err)
			}
		}
		trades := mustInt(t, string(r[7]))
		if trades == 0 {
			continue
		}
		vwap := mustFloat(t, vals[4])
		out = append(out, tortureCandle{
			Time: forming - int64(len(rows)-1-i)*step,
			Open: mustFloat(t, vals[0]), High: mustFloat(t, vals[1]), Low: mustFloat(t, vals[2]), Close: mustFloat(t, vals[3]),
			Volume: mustFloat(t, vals[5]), Trades: trades, VWAP: &vwap,
		})
	}
	return out
}

func writeTortureFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustTime(t *testing.T, v string) int64 {
	t.Helper()
	ts, err := ohlc.ParseTime(v)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}
