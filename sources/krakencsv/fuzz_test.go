package krakencsv

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// fuzzIntervals are the CSV intervals a fuzz input picks from with its
// selector byte.
var fuzzIntervals = []ohlc.Interval{1, 5, 15, 30, 60, 240, 720, 1440}

func fuzzInterval(sel uint8) ohlc.Interval { return fuzzIntervals[int(sel)%len(fuzzIntervals)] }

// addFixtureSeeds adds the first lines of every real fixture, with its
// interval, so the fuzzer starts from what Kraken writes.
func addFixtureSeeds(f *testing.F, lines int) {
	for rel := range fixtureRows {
		data, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(rel)))
		if err != nil {
			f.Fatal(err)
		}
		series, ok := ParseMemberName(rel)
		if !ok {
			f.Fatalf("%s: not a member name", rel)
		}
		head := data
		for k, i := 0, 0; k < lines; k++ {
			j := bytes.IndexByte(head[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			head = data[:i]
		}
		f.Add(bytes.Clone(head), uint8(intervalIndex(f, series.Interval)))
	}
}

func intervalIndex(f *testing.F, iv ohlc.Interval) int {
	for k, v := range fuzzIntervals {
		if v == iv {
			return k
		}
	}
	f.Fatalf("interval %d is not a CSV interval", iv)
	return 0
}

// FuzzReader feeds arbitrary bytes to the strict reader as a whole file.
// Whatever the input, it must end (every Read takes a row or fails for
// good), hand out only candles that pass the candle checks, aligned and in
// strictly increasing time, read the same whatever the source's chunking,
// and report refusals as a *ParseError naming the file and a real line.
func FuzzReader(f *testing.F) {
	addFixtureSeeds(f, 6)
	f.Add([]byte(row1+row2+row3), uint8(4))
	f.Add([]byte("\xEF\xBB\xBF"+row1+"\r\n"+row2), uint8(4))
	f.Add([]byte(row1+"1381176000,1E+1,2.5E+2,0.00011,5,1e-3,7"), uint8(4))
	f.Fuzz(func(t *testing.T, data []byte, sel uint8) {
		interval := fuzzInterval(sel)
		got, err := readBounded(t, bytes.NewReader(data), interval, len(data))
		checkCandles(t, got, interval)
		lines := bytes.Count(data, []byte{'\n'}) + 1
		if len(got) > lines {
			t.Fatalf("%d candles from %d lines", len(got), lines)
		}
		var pe *ParseError
		switch {
		case err == nil:
			if len(got) == 0 {
				t.Fatal("no candles and no error")
			}
		case errors.As(err, &pe):
			if pe.File != "fuzz.csv" || pe.Line < 0 || pe.Line > lines || (pe.Line == 0 && !errors.Is(err, ErrNoRows)) {
				t.Fatalf("error %v: file %q line %d of %d", err, pe.File, pe.Line, lines)
			}
		default:
			t.Fatalf("error %v is not a *ParseError", err)
		}
		// One byte at a time crosses every buffer boundary there is.
		slow, slowErr := readBounded(t, iotest.OneByteReader(bytes.NewReader(data)), interval, len(data))
		if diff := cmp.Diff(got, slow); diff != "" {
			t.Fatalf("candles depend on how the source is chunked (-whole +bytewise):\n%s", diff)
		}
		if errText(err) != errText(slowErr) {
			t.Fatalf("error %v whole, %v bytewise", err, slowErr)
		}
		for _, c := range got {
			checkRoundTrip(t, c, interval)
		}
	})
}

// FuzzRow feeds one arbitrary line after a good row, so the line is held to
// the ordering rule too. The fast path and the careful one must agree on
// every line: same verdict, same candle.
func FuzzRow(f *testing.F) {
	f.Add("1381176000,123.61,123.61,123.61,123.61,0.1,1", uint8(4))
	f.Add("1381197600,123.91,123.91,123.9,123.9,1.9916,2", uint8(4))
	f.Add("1381176000,1E+1,2.5E+2,0.00011,5,1e-3,7", uint8(4))
	f.Add("1381176000,123.61,"+string(bytes.Repeat([]byte("9"), 400))+",123.61,123.61,0.1,1", uint8(4))
	f.Add("1381093200,122.0,122.0,122.0,122.0,0.1,1", uint8(0))
	f.Add("timestamp,open,high,low,close,volume,trades", uint8(4))
	f.Fuzz(func(t *testing.T, line string, sel uint8) {
		interval := fuzzInterval(sel)
		var first ohlc.Candle
		fast, careful := NewReader(nil, "fuzz.csv", interval), NewReader(nil, "fuzz.csv", interval)
		// A first row at Kraken's first trades, on every interval's
		// boundary: any aligned later time may follow it.
		for _, r := range []*Reader{fast, careful} {
			r.line = 1
			if err := r.parseRow([]byte("1377993600,1,1,1,1,1,1"), &first); err != nil {
				t.Fatal(err)
			}
			r.line = 2
		}
		var fastCandle, carefulCandle ohlc.Candle
		fastOK := fast.parseRowFast([]byte(line), &fastCandle)
		carefulErr := careful.parseRow([]byte(line), &carefulCandle)
		if fastOK != (carefulErr == nil) {
			t.Fatalf("fast path accepts: %v; careful path: %v", fastOK, carefulErr)
		}
		if !fastOK {
			return
		}
		if diff := cmp.Diff(carefulCandle, fastCandle); diff != "" {
			t.Fatalf("paths read different candles (-careful +fast):\n%s", diff)
		}
		if fast.prev != careful.prev {
			t.Fatalf("previous time %d fast, %d careful", fast.prev, careful.prev)
		}
		checkCandles(t, []ohlc.Candle{first, fastCandle}, interval)
		checkRoundTrip(t, fastCandle, interval)
	})
}

// readBounded drains a Reader, failing if it takes more calls than the
// input could possibly hold rows: a Read that neither returns a row nor
// fails for good would spin for ever.
func readBounded(t *testing.T, src io.Reader, interval ohlc.Interval, size int) ([]ohlc.Candle, error) {
	t.Helper()
	r := NewReader(src, "fuzz.csv", interval)
	buf := make([]ohlc.Candle, 7)
	var out []ohlc.Candle
	for calls := 0; calls <= size+2; calls++ {
		n, err := r.Read(buf)
		if n > 0 && err != nil {
			t.Fatalf("Read returned %d rows and error %v", n, err)
		}
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			if n2, err2 := r.Read(buf); n2 != 0 || errText(err2) != errText(err) {
				t.Fatalf("error is not sticky: %v, then %d rows and %v", err, n2, err2)
			}
			return out, err
		}
	}
	t.Fatalf("%d Read calls for %d bytes without the end", size+3, size)
	return nil, nil
}

// checkCandles holds candles to every rule the parser promises.
func checkCandles(t *testing.T, candles []ohlc.Candle, interval ohlc.Interval) {
	t.Helper()
	for k, c := range candles {
		if err := c.CheckPrices(); err != nil {
			t.Fatalf("candle %d %+v: %v", k, c, err)
		}
		if c.Time < 0 || c.Time%interval.Seconds() != 0 {
			t.Fatalf("candle %d at %d: not aligned to %d minutes", k, c.Time, interval)
		}
		if k > 0 && c.Time <= candles[k-1].Time {
			t.Fatalf("candle %d at %d: not after %d", k, c.Time, candles[k-1].Time)
		}
		if c.Volume < 0 || math.IsNaN(c.Volume) || math.IsInf(c.Volume, 0) || c.Trades < 0 {
			t.Fatalf("candle %d: volume %v, trades %d", k, c.Volume, c.Trades)
		}
		if c.HasVWAP || c.VWAP != 0 {
			t.Fatalf("candle %d has a vwap, which CSV rows lack", k)
		}
	}
}

// checkRoundTrip writes an accepted candle back as a row, the way Kraken
// writes numbers, and reads it again: it must come back unchanged.
func checkRoundTrip(t *testing.T, c ohlc.Candle, interval ohlc.Interval) {
	t.Helper()
	row := formatRow(c)
	got, err := readBounded(t, bytes.NewReader(row), interval, len(row))
	if err != nil {
		t.Fatalf("candle %+v written as %q: %v", c, row, err)
	}
	if diff := cmp.Diff([]ohlc.Candle{c}, got); diff != "" {
		t.Fatalf("candle written as %q read back differently (-wrote +read):\n%s", row, diff)
	}
}

func formatRow(c ohlc.Candle) []byte {
	b := strconv.AppendInt(nil, c.Time, 10)
	for _, v := range []float64{c.Open, c.High, c.Low, c.Close, c.Volume} {
		b = append(b, ',')
		b = strconv.AppendFloat(b, v, 'f', -1, 64)
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, c.Trades, 10)
	return append(b, '\n')
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
