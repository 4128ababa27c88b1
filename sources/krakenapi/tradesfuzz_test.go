package krakenapi

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzDecodeTrades feeds arbitrary bytes to the Trades answer decoder. It
// must never panic; an answer it accepts must hold only trades with
// positive finite prices and volumes, a known side and order type, a
// positive id, times not decreasing and ids increasing, and a cursor that
// reads as nanoseconds; and written back as an answer, those trades must
// decode to the same.
func FuzzDecodeTrades(f *testing.F) {
	f.Add(tradesBody(realTrade, `"1688669597827736900"`))
	f.Add(tradesBody(realTrade+`,["30243.50000","0.00100000",1688669597.8277369,"s","l","",61044953]`, `"1688669597827736900"`))
	f.Add(tradesBody(``, `"1688669597827736900"`))
	f.Add([]byte(`{"error":["EAPI:Rate limit exceeded"]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		// The fast path accepts nothing encoding/json would refuse, and
		// reads what it accepts the same.
		if fast, ok := scanTrades(body, "XXBTZUSD", nil); ok {
			slow, aerr := decodeTradesSlowly(body, "XXBTZUSD", nil)
			if aerr != nil {
				t.Fatalf("fast path accepted what the slow one refuses: %v", aerr.err)
			}
			if diff := cmp.Diff(slow, fast, cmp.AllowUnexported(tradesAnswer{})); diff != "" {
				t.Fatalf("fast path reads differently (-slow +fast):\n%s", diff)
			}
		}
		ans, aerr := decodeTrades(body, "XXBTZUSD", nil)
		if aerr != nil {
			if aerr.err == nil && len(aerr.codes) == 0 {
				t.Fatal("refused without a reason")
			}
			return
		}
		if n, err := strconv.ParseUint(ans.last, 10, 64); err != nil || n != ans.lastNs {
			t.Fatalf("cursor %q read as %d", ans.last, ans.lastNs)
		}
		for k, tr := range ans.trades {
			if !(tr.Price > 0) || !(tr.Volume > 0) || tr.Price > 1e308 || tr.Volume > 1e308 {
				t.Fatalf("trade %d: price %v volume %v", k, tr.Price, tr.Volume)
			}
			if (tr.Side != 'b' && tr.Side != 's') || (tr.Type != 'm' && tr.Type != 'l') || tr.ID <= 0 || tr.Time < 0 {
				t.Fatalf("trade %d: %+v", k, tr)
			}
			if k > 0 && (tr.Time < ans.trades[k-1].Time || tr.ID <= ans.trades[k-1].ID) {
				t.Fatalf("trade %d: %+v does not follow %+v", k, tr, ans.trades[k-1])
			}
		}
		again := encodeTrades(ans)
		got, aerr := decodeTrades(again, "XXBTZUSD", nil)
		if aerr != nil {
			t.Fatalf("re-encoded answer %s refused: %v", again, aerr.err)
		}
		if diff := cmp.Diff(ans, got, cmp.AllowUnexported(tradesAnswer{})); diff != "" {
			t.Fatalf("re-encoded answer decodes differently (-first +again):\n%s", diff)
		}
	})
}

// encodeTrades writes trades back as Kraken would answer them.
func encodeTrades(ans tradesAnswer) []byte {
	b := []byte(`{"error":[],"result":{"XXBTZUSD":[`)
	for k, tr := range ans.trades {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, `["`...)
		b = strconv.AppendFloat(b, tr.Price, 'f', -1, 64)
		b = append(b, `","`...)
		b = strconv.AppendFloat(b, tr.Volume, 'f', -1, 64)
		b = append(b, `",`...)
		b = append(b, formatNanos(tr.Time)...)
		b = append(b, ',', '"', tr.Side, '"', ',', '"', tr.Type, '"', ',', '"', '"', ',')
		b = strconv.AppendInt(b, tr.ID, 10)
		b = append(b, ']')
	}
	b = append(b, `],"last":"`...)
	b = append(b, ans.last...)
	return append(b, `"}}`...)
}
