package ohlc

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"strconv"
	"testing"
)

// The real Kraken files this test reads are the copies the repository
// already holds of /work/shared/fixtures (byte for byte): XBTUSD's in
// krakencsv's testdata, ETHUSD's 60-minute file in the quickstart's dump.
const (
	realXBT60   = "../sources/krakencsv/testdata/full_until_2020-10-01/XBTUSD_60.csv"
	realETH60   = "../examples/quickstart/data/Kraken_OHLCVT_2020-10-01/ETHUSD_60.csv"
	realXBT1440 = "../sources/krakencsv/testdata/full_until_2021-04-01/XBTUSD_1440.csv"
	realETH1440 = "../sources/krakencsv/testdata/full_until_2021-04-01/ETHUSD_1440.csv"
	// realCutoff is where the 60-minute files' dump ends (2020-10-01).
	realCutoff = 1601510400
)

// TestAggregateRealHoursToDays: Kraken's own hourly candles, aggregated to
// days, are Kraken's own daily candles, on every day both files hold.
// Open, high, low, close and trades are equal exactly; volumes within
// volumeTolerance (see there).
func TestAggregateRealHoursToDays(t *testing.T) {
	for _, tc := range []struct {
		pair        string
		hours, days string
	}{
		{"XBTUSD", realXBT60, realXBT1440},
		{"ETHUSD", realETH60, realETH1440},
	} {
		t.Run(tc.pair, func(t *testing.T) {
			hours := readRealCSV(t, tc.hours)
			days := readRealCSV(t, tc.days)
			// A full dump covers its market from the first trade to its
			// cutoff: before the first row it was not trading yet.
			covered := SpanSet{{Start: Interval(1440).AlignDown(hours[0].Time), End: realCutoff}}
			// Chunks of 1000 rows, as a stream from a sink would come.
			a, err := NewAggregator(60, 1440, covered)
			if err != nil {
				t.Fatal(err)
			}
			var got []Candle
			for k := 0; k < len(hours); k += 1000 {
				if got, err = a.Add(got, hours[k:min(k+1000, len(hours))]...); err != nil {
					t.Fatal(err)
				}
			}
			got = a.Finish(got)
			want := map[int64]Candle{}
			for _, d := range days {
				if covered.Covers(Span{Start: d.Time, End: d.Time + 86400}) {
					want[d.Time] = d
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d days built from hours, the daily file has %d in the same span", len(got), len(want))
			}
			worst := 0.0 // absolute
			for _, g := range got {
				w, ok := want[g.Time]
				if !ok {
					t.Errorf("day %s built from hours, absent from the daily file", FormatTime(g.Time))
					continue
				}
				if g.Open != w.Open || g.High != w.High || g.Low != w.Low || g.Close != w.Close || g.Trades != w.Trades || g.HasVWAP {
					t.Errorf("day %s: built %+v, Kraken's %+v", FormatTime(g.Time), g, w)
				}
				d := math.Abs(g.Volume - w.Volume)
				worst = max(worst, d)
				if d > volumeTolerance(w.Volume) {
					t.Errorf("day %s: volume %v built, Kraken's %v (off by %g)", FormatTime(g.Time), g.Volume, w.Volume, d)
				}
			}
			t.Logf("%d days compared; worst volume difference %.3g", len(got), worst)
		})
	}
}

// volumeTolerance is how far a summed volume may be from Kraken's.
// Exact equality is impossible: Kraken rounds each file's volumes on its
// own, the hourly files mostly to 8 decimals, the daily ones to up to 10
// (XBTUSD 2018-02-18: the 24 hourly volumes sum to 9183.53515963, the day
// says 9183.5351596314). So each of a day's at most 24 hourly volumes may
// be off its exact amount by half a unit of the 8th decimal (5e-9), the
// daily one by half a unit of the 10th (5e-11), and the 24 float64
// additions by half an ulp each (2^-53 relative). Their sum bounds the
// difference; anything beyond it is a real disagreement. The worst seen
// is 3.3e-8 (ETHUSD), about a quarter of the bound.
func volumeTolerance(v float64) float64 {
	return 24*5e-9 + 5e-11 + v*24*0x1p-53
}

// readRealCSV reads one of Kraken's OHLCVT files: timestamp, open, high,
// low, close, volume, trades, no header.
func readRealCSV(t *testing.T, path string) []Candle {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Candle
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := bytes.Split(sc.Bytes(), []byte(","))
		if len(fields) != 7 {
			t.Fatalf("%s: line %q", path, sc.Text())
		}
		var v [5]float64
		for k := range v {
			var st DecimalStatus
			if v[k], st = ParseDecimal(fields[k+1]); st != DecimalOK {
				t.Fatalf("%s: line %q: %v", path, sc.Text(), st)
			}
		}
		ts, err1 := strconv.ParseInt(string(fields[0]), 10, 64)
		n, err2 := strconv.ParseInt(string(fields[6]), 10, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: line %q", path, sc.Text())
		}
		out = append(out, Candle{Time: ts, Open: v[0], High: v[1], Low: v[2], Close: v[3], Volume: v[4], Trades: n})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
