package krakenapi

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// tradesBody wraps rows and a last as Kraken answers them for XXBTZUSD.
func tradesBody(rows, last string) []byte {
	return []byte(`{"error":[],"result":{"XXBTZUSD":[` + rows + `],"last":` + last + `}}`)
}

// A real trade's shape: price and volume strings, time with seven
// decimals, side, order type, misc, id.
const realTrade = `["30243.40000","0.34507674",1688669597.8277369,"b","m","",61044952]`

func TestDecodeTrades(t *testing.T) {
	body := tradesBody(realTrade+`,["30243.50000","0.00100000",1688669597.8277369,"s","l","",61044953],["30240.1","2",1688669598,"s","l","",61044960]`, `"1688669598000000000"`)
	ans, aerr := decodeTrades(body, "XXBTZUSD", nil)
	if aerr != nil {
		t.Fatal(aerr.err)
	}
	want := []ohlc.Trade{
		{ID: 61044952, Time: 1688669597_827736900, Price: 30243.4, Volume: 0.34507674, Side: 'b', Type: 'm'},
		{ID: 61044953, Time: 1688669597_827736900, Price: 30243.5, Volume: 0.001, Side: 's', Type: 'l'},
		{ID: 61044960, Time: 1688669598_000000000, Price: 30240.1, Volume: 2, Side: 's', Type: 'l'},
	}
	if diff := cmp.Diff(want, ans.trades); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if ans.last != "1688669598000000000" || ans.lastNs != 1688669598000000000 {
		t.Errorf("last %q (%d)", ans.last, ans.lastNs)
	}
}

func TestDecodeTradesRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"zero price", string(tradesBody(`["0","1",1,"b","l","",1]`, `"1"`)), `price "0" is not positive`},
		{"zero volume", string(tradesBody(`["1","0.00000000",1,"b","l","",1]`, `"1"`)), `volume "0.00000000" is not positive`},
		{"negative price", string(tradesBody(`["-1","1",1,"b","l","",1]`, `"1"`)), `price "-1" is not a plain non-negative decimal number`},
		{"price a number", string(tradesBody(`[1.5,"1",1,"b","l","",1]`, `"1"`)), "price 1.5 is not a string"},
		{"side", string(tradesBody(`["1","1",1,"x","l","",1]`, `"1"`)), `side "x" is not "b" or "s"`},
		{"order type", string(tradesBody(`["1","1",1,"b","market","",1]`, `"1"`)), `ordertype "market" is not "m" or "l"`},
		{"six columns", string(tradesBody(`["1","1",1,"b","l",""]`, `"1"`)), "has 6 columns, want 7"},
		{"eight columns", string(tradesBody(`["1","1",1,"b","l","",1,2]`, `"1"`)), "more than 7 columns"},
		{"time exponent", string(tradesBody(`["1","1",1.6e9,"b","l","",1]`, `"1"`)), "time 1.6e9 is not a plain number of seconds"},
		{"time a string", string(tradesBody(`["1","1","16","b","l","",1]`, `"1"`)), "time \"16\" is not a number"},
		{"id zero", string(tradesBody(`["1","1",1,"b","l","",0]`, `"1"`)), "trade_id 0 is not a positive whole number"},
		{"id fraction", string(tradesBody(`["1","1",1,"b","l","",1.5]`, `"1"`)), "trade_id 1.5 is not a positive whole number"},
		{"time going back", string(tradesBody(`["1","1",2,"b","l","",1],["1","1",1.999,"b","l","",2]`, `"2"`)), "trade 1 (id 2): time 1.999000000 is before the previous trade's 2.000000000: times must not decrease"},
		{"id repeated", string(tradesBody(`["1","1",1,"b","l","",5],["1","1",1,"b","l","",5]`, `"1"`)), "trade 1 (id 5): id 5 is not after the previous trade's 5: ids must increase"},
		{"last a float", string(tradesBody(realTrade, `1.6886695978277369e18`)), `"last" 1.6886695978277369e18 is not a string of nanoseconds`},
		{"last not digits", string(tradesBody(realTrade, `"1688669597.8277369"`)), `"last" "1688669597.8277369" is not a whole number of nanoseconds`},
		{"no last", `{"error":[],"result":{"XXBTZUSD":[]}}`, `answer has no "last"`},
		{"other pair", `{"error":[],"result":{"XETHZUSD":[],"last":"1"}}`, "answered pair XETHZUSD, asked for XXBTZUSD"},
		{"no result", `{"error":[]}`, "answer has no result"},
		{"not JSON", `<html>`, "malformed JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, aerr := decodeTrades([]byte(tc.body), "XXBTZUSD", nil)
			if aerr == nil {
				t.Fatal("accepted")
			}
			if aerr.temporary || !strings.Contains(aerr.err.Error(), tc.want) {
				t.Errorf("error %q (temporary %v), want a permanent one saying %q", aerr.err, aerr.temporary, tc.want)
			}
		})
	}
}

func TestDecodeTradesErrorCodes(t *testing.T) {
	_, aerr := decodeTrades([]byte(`{"error":["EAPI:Rate limit exceeded"]}`), "XXBTZUSD", nil)
	if aerr == nil || !aerr.temporary {
		t.Fatalf("%+v, want a temporary error", aerr)
	}
}

func TestParseNanos(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1688669597.8277369", 1688669597_827736900, true},
		{"1688669597", 1688669597_000000000, true},
		{"1688669597.000000001", 1688669597_000000001, true},
		{"1688669597.0000000019", 1688669597_000000001, true}, // past a nanosecond: dropped
		{"0.5", 500000000, true},
		{"1688669597.", 0, false},
		{".5", 0, false},
		{"-1", 0, false},
		{"1e9", 0, false},
		{"123456789012", 0, false},
	} {
		got, ok := parseNanos([]byte(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseNanos(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
