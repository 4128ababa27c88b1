package krakencsv

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

func TestProfileStream(t *testing.T) {
	tests := []struct {
		name, input string
		want        Profile
	}{
		{"plain", row1 + row2 + row3, Profile{Rows: 3, First: 1381093200, Last: 1381197600}},
		{"no final line end", row1 + row2 + strings.TrimSuffix(row3, "\n"), Profile{Rows: 3, First: 1381093200, Last: 1381197600}},
		{"BOM and CRLF", "\xEF\xBB\xBF" + strings.ReplaceAll(row1+row2, "\n", "\r\n"), Profile{Rows: 2, First: 1381093200, Last: 1381176000}},
		{"one row", row1, Profile{Rows: 1, First: 1381093200, Last: 1381093200}},
		{"empty", "", Profile{}},
		{"no timestamps", "a,b\nc,d\n", Profile{Rows: 2}},
		// Longer than a read chunk, so the first and last rows are in
		// different chunks and the tail is kept across reads.
		{"long", row1 + strings.Repeat(row2, profileChunkBytes/len(row2)+10) + row3, Profile{Rows: int64(profileChunkBytes/len(row2) + 12), First: 1381093200, Last: 1381197600}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := profileStream(context.Background(), strings.NewReader(tt.input), nil, make([]byte, profileChunkBytes))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzRowPaths checks that the one-pass fast path never accepts a row the
// strict parser refuses, nor reads a different value from it.
func FuzzRowPaths(f *testing.F) {
	for _, seed := range []string{row1, row2, row3, "1381176000,123.61,123.61,123.61,123.61,1E+1,1", "1381176000,1.5,1,2,1,0,0"} {
		f.Add(strings.TrimSuffix(seed, "\n"))
	}
	f.Fuzz(func(t *testing.T, line string) {
		fast := &Reader{name: "f", step: 3600, line: 1}
		strict := &Reader{name: "f", step: 3600, line: 1}
		var a, b ohlc.Candle
		if !fast.parseRowFast([]byte(line), &a) {
			return
		}
		if err := strict.parseRow([]byte(line), &b); err != nil {
			t.Fatalf("fast path accepted %q, strict parser says %v", line, err)
		}
		if a != b {
			t.Fatalf("%q: fast %+v, strict %+v", line, a, b)
		}
	})
}
