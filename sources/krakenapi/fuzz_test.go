package krakenapi

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
)

// fuzzAPIIntervals are the API intervals a fuzz input picks from.
var fuzzAPIIntervals = []ohlc.Interval{60, 1, 5, 15, 30, 240, 1440, 10080, 21600}

// FuzzDecodeOHLC feeds arbitrary bytes to the OHLC answer decoder. It must
// never panic; an answer it accepts must hold only candles that pass the
// candle checks, aligned, in strictly increasing time, inside the span the
// answer vouches for, fillers only when kept; and written back as an
// answer, those candles must decode to the same.
func FuzzDecodeOHLC(f *testing.F) {
	fixture := krakenfake.FixtureResponse()
	f.Add(fixture, false, uint8(0))
	f.Add(fixture, true, uint8(0))
	f.Add(shortAnswer(f, fixture, 6), false, uint8(0))
	f.Add(shortAnswer(f, fixture, 3), true, uint8(0))
	f.Add([]byte(`{"error":["EGeneral:Too many requests"]}`), false, uint8(0))
	f.Add([]byte(`{"error":[],"result":{"BCHAUD":[[1611316800,"1","1","1","1","1","1",1]],"last":1611313200}}`), true, uint8(0))
	f.Fuzz(func(t *testing.T, body []byte, keepEmpty bool, sel uint8) {
		interval := fuzzAPIIntervals[int(sel)%len(fuzzAPIIntervals)]
		ans, aerr := decodeOHLC(body, krakenfake.FixtureKey, interval, keepEmpty)
		if aerr != nil {
			if aerr.err == nil && len(aerr.codes) == 0 {
				t.Fatal("refused without a reason")
			}
			return
		}
		checkAnswer(t, ans, interval, keepEmpty)
		if !keepEmpty || len(ans.candles) == 0 {
			return
		}
		// Every closed row was kept: writing them back, with a forming
		// candle at until, is an answer that must decode the same.
		again := encodeAnswer(ans)
		got, aerr := decodeOHLC(again, krakenfake.FixtureKey, interval, true)
		if aerr != nil {
			t.Fatalf("re-encoded answer %s refused: %v", again, aerr.err)
		}
		if diff := cmp.Diff(ans, got, cmp.AllowUnexported(ohlcAnswer{})); diff != "" {
			t.Fatalf("re-encoded answer decodes differently (-first +again):\n%s", diff)
		}
	})
}

func checkAnswer(t *testing.T, ans ohlcAnswer, interval ohlc.Interval, keepEmpty bool) {
	t.Helper()
	step := interval.Seconds()
	if ans.from%step != 0 || ans.until%step != 0 || ans.from > ans.until {
		t.Fatalf("answer vouches for [%d, %d): misaligned or backwards", ans.from, ans.until)
	}
	for k, c := range ans.candles {
		if err := c.CheckPrices(); err != nil {
			t.Fatalf("candle %d %+v: %v", k, c, err)
		}
		if c.Time%step != 0 || c.Time < ans.from || c.Time >= ans.until {
			t.Fatalf("candle %d at %d: misaligned or outside [%d, %d)", k, c.Time, ans.from, ans.until)
		}
		if k > 0 && c.Time <= ans.candles[k-1].Time {
			t.Fatalf("candle %d at %d: not after %d", k, c.Time, ans.candles[k-1].Time)
		}
		if c.Trades < 0 || c.Volume < 0 || math.IsNaN(c.Volume) || math.IsInf(c.Volume, 0) {
			t.Fatalf("candle %d: trades %d, volume %v", k, c.Trades, c.Volume)
		}
		if c.Trades == 0 && !keepEmpty {
			t.Fatalf("candle %d: a filler, kept though fillers are dropped", k)
		}
		if c.HasVWAP != (c.Trades > 0) || (!c.HasVWAP && c.VWAP != 0) {
			t.Fatalf("candle %d: vwap %v (has %v) with %d trades", k, c.VWAP, c.HasVWAP, c.Trades)
		}
		if c.HasVWAP && (c.VWAP < c.Low*0.99 || c.VWAP > c.High*1.01) {
			t.Fatalf("candle %d: vwap %v outside low %v and high %v", k, c.VWAP, c.Low, c.High)
		}
	}
	if n := len(ans.candles); n > 0 && ans.lastClosed != ans.candles[n-1].Time && keepEmpty {
		t.Fatalf("last closed %d, but the last kept candle opens at %d", ans.lastClosed, ans.candles[n-1].Time)
	}
}

// encodeAnswer writes candles back as Kraken would answer them, with a
// filler forming candle at until.
func encodeAnswer(ans ohlcAnswer) []byte {
	num := func(b []byte, v float64) []byte {
		b = append(b, '"')
		b = strconv.AppendFloat(b, v, 'f', -1, 64)
		return append(b, '"')
	}
	b := []byte(`{"error":[],"result":{"` + krakenfake.FixtureKey + `":[`)
	for _, c := range ans.candles {
		b = append(b, '[')
		b = strconv.AppendInt(b, c.Time, 10)
		for _, v := range []float64{c.Open, c.High, c.Low, c.Close, c.VWAP, c.Volume} {
			b = num(append(b, ','), v)
		}
		b = append(b, ',')
		b = strconv.AppendInt(b, c.Trades, 10)
		b = append(b, "],"...)
	}
	b = append(b, '[')
	b = strconv.AppendInt(b, ans.until, 10)
	b = append(b, `,"1","1","1","1","0","0",0]],"last":`...)
	b = strconv.AppendInt(b, ans.lastClosed, 10)
	return append(b, "}}"...)
}

// shortAnswer keeps the first n rows of the real answer, the last of them
// as the forming candle, so the fuzzer mutates something small and real.
func shortAnswer(f *testing.F, body []byte, n int) []byte {
	var env struct {
		Result map[string]json.RawMessage `json:"result"`
	}
	var rows []json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		f.Fatal(err)
	}
	if err := json.Unmarshal(env.Result[krakenfake.FixtureKey], &rows); err != nil {
		f.Fatal(err)
	}
	var last []json.RawMessage
	if err := json.Unmarshal(rows[n-2], &last); err != nil {
		f.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString(`{"error":[],"result":{"` + krakenfake.FixtureKey + `":[`)
	for k, r := range rows[:n] {
		if k > 0 {
			b.WriteByte(',')
		}
		if err := json.Compact(&b, r); err != nil {
			f.Fatal(err)
		}
	}
	b.WriteString(`],"last":` + string(last[0]) + `}}`)
	return b.Bytes()
}
