package questdbtest

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A CountOnly server accepts and rejects exactly what a storing one does,
// with the same answer, and counts the rows the storing one stores.
func TestCountOnlyChecksWhatStoringChecks(t *testing.T) {
	const small = `CREATE TABLE 'small' (n INT, b BYTE, timestamp TIMESTAMP) TIMESTAMP(timestamp) PARTITION BY DAY`
	tests := []struct {
		name string
		body string
	}{
		{"good candles", candleLine("XBTUSD", 0, 1, "") + candleLine("XBTUSD", 1, 1.25, "") + candleLine("ETHUSD", 1, 3, "")},
		{"float into LONG", candleLine("XBTUSD", 2, 1, "") + "candles,pair=A,interval=60 trades=1.5 1704074400000000000\n"},
		{"float into LONG on a line shaped like the one before",
			candleLine("XBTUSD", 2, 1, "") + "candles,pair=XBTUSD,interval=60 open=1,high=2,low=0.5,close=1.5,volume=10,trades=3.5 1704074400000000000\n"},
		{"string into DOUBLE", candleLine("XBTUSD", 3, 1, "") + candleLine("XBTUSD", 4, 1, ",vwap=\"x\"")},
		{"integer beyond INT", "small n=1i,b=2i 1000\nsmall n=3000000000i,b=2i 2000\n"},
		{"integer beyond BYTE", "small n=1i,b=200i 1000\n"},
		{"integer into DOUBLE", candleLine("XBTUSD", 5, 1, ",vwap=7i")},
		{"repeated column keeps the first", candleLine("XBTUSD", 6, 1, ",open=\"x\"")},
		{"timestamp before 1970", "small n=1i -5000\n"},
		{"missing field value", candleLine("XBTUSD", 7, 1, "") + "candles,pair=A,interval=60 open= 1\n"},
		{"no fields", "candles,pair=A,interval=60 1\n"},
		{"new column and new table", candleLine("XBTUSD", 8, 1, ",extra=1") + "fresh,k=v x=1i,y=2.5 1000\nfresh,k=v x=2i,y=3 2000\n"},
		{"new table with a bad name", "bad?name x=1i 1000\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storing, counting := started(t, Options{}), started(t, Options{CountOnly: true})
			for _, s := range []*Server{storing, counting} {
				get(t, s, createCandles)
				get(t, s, small)
			}
			wantStatus, wantBody := post(t, storing, tt.body)
			status, body := post(t, counting, tt.body)
			if status != wantStatus {
				t.Fatalf("CountOnly answered %d %s, storing %d %s", status, body, wantStatus, wantBody)
			}
			if status != http.StatusNoContent {
				want, got := decodeILPError(t, wantBody), decodeILPError(t, body)
				want.ErrorID, got.ErrorID = "", ""
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("CountOnly's rejection differs from storing's (-storing +counting):\n%s", diff)
				}
			}
			for _, table := range []string{"candles", "small", "fresh"} {
				if n, rows := counting.Count(table), storing.Rows(table); n != int64(len(rows)) {
					t.Errorf("%s: counted %d rows, stored %d", table, n, len(rows))
				}
			}
			if _, cols := get(t, counting, "SHOW COLUMNS FROM candles"); cols != mustGet(t, storing, "SHOW COLUMNS FROM candles") {
				t.Errorf("columns differ: counting %s, storing %s", cols, mustGet(t, storing, "SHOW COLUMNS FROM candles"))
			}
		})
	}
}

func mustGet(t *testing.T, s *Server, query string) string {
	t.Helper()
	_, body := get(t, s, query)
	return body
}
