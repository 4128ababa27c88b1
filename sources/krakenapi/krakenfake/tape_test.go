package krakenfake

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tapeFrom is 2024-05-20 00:00 UTC, four days before now.
const tapeFrom = 1716163200

func newTape(t *testing.T) (*Server, []Trade) {
	t.Helper()
	s := New(Options{Now: now})
	t.Cleanup(s.Close)
	tape := GenerateTape(TapeSpec{Start: tapeFrom, End: now, Seed: 3})
	s.SetTape("XBTUSD", tape)
	return s, tape
}

func TestGenerateTape(t *testing.T) {
	spec := TapeSpec{Start: tapeFrom, End: tapeFrom + 86400, Seed: 3}
	tape := GenerateTape(spec)
	if diff := cmp.Diff(tape, GenerateTape(spec)); diff != "" {
		t.Fatalf("not deterministic:\n%.400s", diff)
	}
	perSecond := map[int64]int{}
	busiest := 0
	for k, tr := range tape {
		if k > 0 && (tr.ID != tape[k-1].ID+1 || tr.Time <= tape[k-1].Time) {
			t.Fatalf("trade %d %+v after %+v", k, tr, tape[k-1])
		}
		if s := tr.Time / 1e9; s < spec.Start || s >= spec.End {
			t.Fatalf("trade %+v outside the spec", tr)
		}
		perSecond[tr.Time/1e9]++
		busiest = max(busiest, perSecond[tr.Time/1e9])
	}
	if busiest != 1500 {
		t.Errorf("busiest second holds %d trades, want a burst of 1500", busiest)
	}
}

type tradesAnswer struct {
	Error  []string `json:"error"`
	Result map[string]json.RawMessage
}

// trades asks for a page and returns its trades' ids and its last.
func trades(t *testing.T, s *Server, since string) ([]int64, string) {
	t.Helper()
	_, body := get(t, s, "/0/public/Trades?pair=XBTUSD&since="+since)
	var a tradesAnswer
	if err := json.Unmarshal(body, &a); err != nil || len(a.Error) > 0 {
		t.Fatalf("%v %v: %.200s", err, a.Error, body)
	}
	var rows [][]json.RawMessage
	var last string
	if err := json.Unmarshal(a.Result["XXBTZUSD"], &rows); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(a.Result["last"], &last); err != nil {
		t.Fatalf(`"last" %s is not a string: %v`, a.Result["last"], err)
	}
	var ids []int64
	for _, r := range rows {
		if len(r) != 7 {
			t.Fatalf("trade %s has %d columns", r, len(r))
		}
		id, _ := strconv.ParseInt(string(r[6]), 10, 64)
		ids = append(ids, id)
	}
	return ids, last
}

func TestTradesPages(t *testing.T) {
	s, tape := newTape(t)
	// since is exclusive, in nanoseconds; last is the time of the last
	// trade answered.
	since := strconv.FormatInt(tape[9].Time, 10)
	ids, last := trades(t, s, since)
	if len(ids) != MaxTrades || ids[0] != tape[10].ID || ids[len(ids)-1] != tape[1009].ID {
		t.Fatalf("%d trades, %d to %d", len(ids), ids[0], ids[len(ids)-1])
	}
	if last != strconv.FormatInt(tape[1009].Time, 10) {
		t.Errorf("last %s, want trade %d's time", last, tape[1009].ID)
	}
	// Seconds are taken too: trades after the second's start.
	sec := tape[9].Time / 1e9
	ids, _ = trades(t, s, strconv.FormatInt(sec, 10))
	if first := tape[ids[0]-1]; first.Time <= sec*1e9 || (ids[0] > 1 && tape[ids[0]-2].Time > sec*1e9) {
		t.Errorf("since in seconds starts at trade %d", ids[0])
	}
	// Past the tape: nothing, and last is since.
	end := strconv.FormatInt(tape[len(tape)-1].Time, 10)
	if ids, last := trades(t, s, end); len(ids) != 0 || last != end {
		t.Errorf("past the tape: %d trades, last %s", len(ids), last)
	}
	// Overlap repeats the end of the page before.
	s.ScriptTrades(Overlap())
	if ids, _ := trades(t, s, since); ids[0] != tape[7].ID {
		t.Errorf("overlap starts at trade %d, want %d", ids[0], tape[7].ID)
	}
}

func TestTapeOHLC(t *testing.T) {
	s, tape := newTape(t)
	// A pair without a tape still answers the recorded fixture, as a
	// fake without tapes does.
	plain := New(Options{Now: now})
	defer plain.Close()
	_, body := get(t, s, "/0/public/OHLC?pair=ETHUSD&interval=60")
	if _, want := get(t, plain, "/0/public/OHLC?pair=ETHUSD&interval=60"); string(body) != string(want) {
		t.Errorf("pair without a tape answers %.200s, want %.200s", body, want)
	}
	_, body = get(t, s, "/0/public/OHLC?pair=XBTUSD&interval=60")
	r := rows(t, body, "XXBTZUSD")
	// From the first trade's hour to the forming one, fillers included.
	if n := (forming-tapeFrom)/3600 + 1; len(r) != int(n) {
		t.Fatalf("%d rows, want %d", len(r), n)
	}
	if r[len(r)-1][0] != float64(forming) {
		t.Errorf("last row %v is not the forming candle", r[len(r)-1])
	}
	// The first hour's candle is its trades'.
	var hour []Trade
	for _, tr := range tape {
		if tr.Time/1e9 < tapeFrom+3600 {
			hour = append(hour, tr)
		}
	}
	want := []any{float64(tapeFrom), hour[0].Price}
	if diff := cmp.Diff(want, r[0][:2]); diff != "" || r[0][7] != float64(len(hour)) {
		t.Errorf("first row %v, want open %s and %d trades", r[0], hour[0].Price, len(hour))
	}
	fillers := 0
	for _, x := range r {
		if x[7] == float64(0) {
			fillers++
			if x[1] != x[4] || x[6] != "0.00000000" {
				t.Errorf("filler %v", x)
			}
		}
	}
	if fillers == 0 {
		t.Error("no filler: the tape has no quiet hour")
	}
}

func TestTradesFaultsApartFromOHLC(t *testing.T) {
	s, _ := newTape(t)
	s.ScriptTrades(RateLimit200())
	// An OHLC request does not spend the Trades fault.
	get(t, s, "/0/public/OHLC?pair=XBTUSD&interval=60")
	if s.Pending() != 1 {
		t.Fatalf("%d faults pending", s.Pending())
	}
	_, body := get(t, s, "/0/public/Trades?pair=XBTUSD")
	if string(body) != `{"error":["EAPI:Rate limit exceeded"]}` {
		t.Errorf("answer %s", body)
	}
	if s.TradesRequests() != 1 || s.OHLCRequests() != 1 {
		t.Errorf("%d Trades and %d OHLC requests", s.TradesRequests(), s.OHLCRequests())
	}
}
