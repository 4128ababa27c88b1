package krakenapi

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
)

// The real answer: BCHAUD/60, rows from 1611313200 to the forming candle at
// 1613901600, 360 of the 720 rows fillers (the forming one among them).
const (
	fixtureFrom    = 1611313200
	fixtureForming = 1613901600
)

func TestDecodeRealAnswer(t *testing.T) {
	body := krakenfake.FixtureResponse()
	ans, aerr := decodeOHLC(body, "BCHAUD", 60, false)
	if aerr != nil {
		t.Fatal(aerr.err)
	}
	if ans.from != fixtureFrom || ans.until != fixtureForming {
		t.Errorf("from %d until %d, want %d and %d", ans.from, ans.until, fixtureFrom, fixtureForming)
	}
	// 719 closed rows, 359 of them fillers.
	if len(ans.candles) != 360 {
		t.Fatalf("%d candles, want the 360 closed rows with trades", len(ans.candles))
	}
	for _, c := range ans.candles {
		if c.Trades == 0 || !c.HasVWAP || c.Time >= fixtureForming {
			t.Fatalf("kept %+v: a filler, no vwap or the forming candle", c)
		}
	}
	want := []ohlc.Candle{
		{Time: 1611316800, Open: 568.21, High: 568.21, Low: 568.21, Close: 568.21, VWAP: 568.21, Volume: 2.4646, Trades: 1, HasVWAP: true},
		{Time: 1611320400, Open: 564.24, High: 564.24, Low: 564.24, Close: 564.24, VWAP: 564.24, Volume: 0.77970687, Trades: 1, HasVWAP: true},
	}
	if diff := cmp.Diff(want, ans.candles[:2]); diff != "" {
		t.Errorf("first candles (-want +got):\n%s", diff)
	}
	last := ohlc.Candle{Time: 1613894400, Open: 858.22, High: 869.92, Low: 858.22, Close: 869.92, VWAP: 864.04, Volume: 0.10043824, Trades: 2, HasVWAP: true}
	if diff := cmp.Diff(last, ans.candles[len(ans.candles)-1]); diff != "" {
		t.Errorf("last candle (-want +got):\n%s", diff)
	}
}

func TestDecodeKeepEmpty(t *testing.T) {
	ans, aerr := decodeOHLC(krakenfake.FixtureResponse(), "BCHAUD", 60, true)
	if aerr != nil {
		t.Fatal(aerr.err)
	}
	if len(ans.candles) != 719 {
		t.Fatalf("%d candles, want all 719 closed rows", len(ans.candles))
	}
	fillers := 0
	for k, c := range ans.candles {
		if c.Time != fixtureFrom+int64(k)*3600 {
			t.Fatalf("candle %d at %d: the answer is not contiguous", k, c.Time)
		}
		if c.Trades == 0 {
			fillers++
			// A filler repeats the previous close; vwap and volume are 0.
			if c.Volume != 0 || c.HasVWAP || c.Open != c.Close || c.High != c.Low {
				t.Errorf("filler %+v", c)
			}
		}
	}
	if fillers != 359 {
		t.Errorf("%d fillers kept, want 359", fillers)
	}
	// The second to last row is a filler, repeating 869.92.
	// It has no vwap: "0.00" is not a price.
	want := ohlc.Candle{Time: 1613898000, Open: 869.92, High: 869.92, Low: 869.92, Close: 869.92}
	if diff := cmp.Diff(want, ans.candles[718]); diff != "" {
		t.Errorf("last closed row (-want +got):\n%s", diff)
	}
}

// realRow is the fixture's row 2 as it appears (pretty-printed) in the file.
const realRow = `[
          1611320400,
          "564.24",
          "564.24",
          "564.24",
          "564.24",
          "564.24",
          "0.77970687",
          1
        ]`

func TestDecodeRefusals(t *testing.T) {
	fixture := string(krakenfake.FixtureResponse())
	if !strings.Contains(fixture, realRow) {
		t.Fatal("fixture row not found: the test's copy of it is stale")
	}
	withRow := func(row string) string { return strings.Replace(fixture, realRow, row, 1) }
	tests := []struct {
		name      string
		body      string
		key       string
		want      string
		temporary bool
	}{
		{"non-numeric price", withRow(`[1611320400,"564.24","abc","564.24","564.24","564.24","0.1",1]`), "BCHAUD",
			`row 2 (time 1611320400): high "abc" is not a plain non-negative decimal number`, false},
		{"negative volume", withRow(`[1611320400,"564.24","564.24","564.24","564.24","564.24","-0.1",1]`), "BCHAUD",
			`row 2 (time 1611320400): volume "-0.1" is not a plain non-negative decimal number`, false},
		{"NaN", withRow(`[1611320400,"NaN","564.24","564.24","564.24","564.24","0.1",1]`), "BCHAUD",
			`open "NaN" is not a plain`, false},
		{"infinite", withRow(`[1611320400,"564.24","1e400","564.24","564.24","564.24","0.1",1]`), "BCHAUD",
			`high "1e400" is out of range`, false},
		{"price as number", withRow(`[1611320400,564.24,"564.24","564.24","564.24","564.24","0.1",1]`), "BCHAUD",
			`row 2 (time 1611320400): open 564.24 is not a string`, false},
		{"time as string", withRow(`["1611320400","564.24","564.24","564.24","564.24","564.24","0.1",1]`), "BCHAUD",
			`row 2: time "1611320400" is not a number`, false},
		{"fractional count", withRow(`[1611320400,"564.24","564.24","564.24","564.24","564.24","0.1",1.5]`), "BCHAUD",
			`count 1.5 is not a non-negative whole number`, false},
		{"negative count", withRow(`[1611320400,"564.24","564.24","564.24","564.24","564.24","0.1",-1]`), "BCHAUD",
			`count -1 is not a non-negative whole number`, false},
		{"seven columns", withRow(`[1611320400,"564.24","564.24","564.24","564.24","564.24","0.1"]`), "BCHAUD",
			`row 2 (time 1611320400): has 7 columns, want 8`, false},
		{"nine columns", withRow(`[1611320400,"564.24","564.24","564.24","564.24","564.24","0.1",1,2]`), "BCHAUD",
			`has more than 8 columns`, false},
		{"not aligned", withRow(`[1611320460,"564.24","564.24","564.24","564.24","564.24","0.1",1]`), "BCHAUD",
			`row 2 (time 1611320460): time 1611320460 is not aligned to the 60-minute interval`, false},
		{"out of order", withRow(`[1611313200,"564.24","564.24","564.24","564.24","564.24","0.1",1]`), "BCHAUD",
			`row 2 (time 1611313200): time 1611313200 is not after the previous row's 1611316800: rows must be in strictly increasing time`, false},
		{"low above open", withRow(`[1611320400,"564.24","570","565","566","564.24","0.1",1]`), "BCHAUD",
			`low 565 is above open 564.24 or close 566`, false},
		{"high below close", withRow(`[1611320400,"564.24","565","564","566","564.24","0.1",1]`), "BCHAUD",
			`high 565 is below open 564.24 or close 566`, false},
		{"wrong pair key", fixture, "XBCHZAUD", `answered pair BCHAUD, asked for XBCHZAUD`, false},
		{"no last", strings.Replace(fixture, `"last": 1613898000`, `"first": 1613898000`, 1), "BCHAUD", `answered pair first, asked for BCHAUD`, false},
		{"no rows", `{"error":[],"result":{"BCHAUD":[],"last":1}}`, "BCHAUD", `answer has no rows, not even the forming candle`, false},
		{"last not the last closed candle", strings.Replace(fixture, `"last": 1613898000`, `"last": 1613894400`, 1), "BCHAUD",
			`"last" 1613894400 is not the open time of the last closed candle, 1613898000`, false},
		{"volume in the vwap column", withRow(`[1611320400,"564.24","564.24","564.24","564.24","12.5","564.24",1]`), "BCHAUD",
			`row 2 (time 1611320400): vwap 12.5 is outside low 564.24 and high 564.24`, false},
		{"truncated", fixture[:len(fixture)/2], "BCHAUD", `malformed JSON: unexpected end of JSON input`, false},
		{"not JSON", `<html>maintenance</html>`, "BCHAUD", `malformed JSON: invalid character '<'`, false},
		{"rows not an array", `{"error":[],"result":{"BCHAUD":{},"last":1}}`, "BCHAUD", `rows are not an array`, false},
		{"invalid arguments", `{"error":["EGeneral:Invalid arguments"]}`, "BCHAUD", `EGeneral:Invalid arguments`, false},
		{"unknown code", `{"error":["EFoo:Bar"]}`, "BCHAUD", `EFoo:Bar`, false},
		{"rate limited", `{"error":["EAPI:Rate limit exceeded"]}`, "BCHAUD", `EAPI:Rate limit exceeded`, true},
		{"busy with detail", `{"error":["EService:Busy:try later"]}`, "BCHAUD", `EService:Busy:try later`, true},
		{"temporary and permanent", `{"error":["EService:Busy","EGeneral:Invalid arguments"]}`, "BCHAUD", `EService:Busy, EGeneral:Invalid arguments`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, aerr := decodeOHLC([]byte(tc.body), tc.key, 60, false)
			if aerr == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(aerr.err.Error(), tc.want) || aerr.temporary != tc.temporary {
				t.Errorf("error %q (temporary %v), want it to contain %q (temporary %v)", aerr.err, aerr.temporary, tc.want, tc.temporary)
			}
		})
	}
}

func TestDecodeWarningsAreNotErrors(t *testing.T) {
	body := strings.Replace(string(krakenfake.FixtureResponse()), `"error": [`, `"error": ["WGeneral:Deprecated"`, 1)
	if _, aerr := decodeOHLC([]byte(body), "BCHAUD", 60, false); aerr != nil {
		t.Errorf("a warning failed the answer: %v", aerr.err)
	}
}

func TestDecodeAssetPairs(t *testing.T) {
	got, aerr := decodeAssetPairs([]byte(`{"error":[],"result":{"XXBTZUSD":{"altname":"XBTUSD","wsname":"XBT/USD","lot_decimals":8},"XBTUSDT":{"altname":"XBTUSDT"}}}`))
	if aerr != nil {
		t.Fatal(aerr.err)
	}
	if diff := cmp.Diff(map[string]string{"XBTUSD": "XXBTZUSD", "XBTUSDT": "XBTUSDT"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{`{"error":[],"result":{}}`, `{"error":[],"result":{"X":{"wsname":"X/Y"}}}`, `{"error":[],"result":`, `{"error":["EService:Unavailable"]}`} {
		if _, aerr := decodeAssetPairs([]byte(bad)); aerr == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
