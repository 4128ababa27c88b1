package krakencsv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

func profileString(input string) (Profile, error) {
	return profileStream(context.Background(), strings.NewReader(input), nil, newProfileScratch(), "XBTUSD_60.csv", 60)
}

// hourlyRows is n rows an hour apart from start, the first and every
// fourth row off the 4-hour boundaries as a real hourly file's are.
func hourlyRows(start int64, n int) string {
	var b strings.Builder
	for k := range n {
		fmt.Fprintf(&b, "%d,1.5,2,1,1.5,0.1,1\n", start+3600*int64(k))
	}
	return b.String()
}

func TestProfileStream(t *testing.T) {
	tests := []struct {
		name, input string
		want        Profile
	}{
		{"plain", row1 + row2 + row3, Profile{Rows: 3, First: 1381093200, Last: 1381197600}},
		{"no final line end", row1 + row2 + strings.TrimSuffix(row3, "\n"), Profile{Rows: 3, First: 1381093200, Last: 1381197600}},
		{"BOM and CRLF", "\xEF\xBB\xBF" + strings.ReplaceAll(row1+row2, "\n", "\r\n"), Profile{Rows: 2, First: 1381093200, Last: 1381176000}},
		{"one row", row1, Profile{Rows: 1, First: 1381093200, Last: 1381093200}},
		{"one row with BOM and no line end", "\xEF\xBB\xBF" + strings.TrimSuffix(row1, "\n"), Profile{Rows: 1, First: 1381093200, Last: 1381093200}},
		// Only the head and the last row are parsed; loading checks the rest.
		{"bad row in the middle", hourlyRows(1381093200, 200) + "oops\n" + hourlyRows(1381816800, 1), Profile{Rows: 202, First: 1381093200, Last: 1381816800}},
		// Longer than a read chunk, so the first and last rows are in
		// different chunks and the tail is kept across reads.
		{"long", hourlyRows(1381093200, profileChunkBytes/40), Profile{Rows: profileChunkBytes / 40, First: 1381093200, Last: 1381093200 + 3600*(profileChunkBytes/40-1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := profileString(tt.input)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestProfileStreamReusesScratch: a worker profiles member after member
// with one scratch; what an earlier, longer member left in it must not
// show in a later one's profile or errors.
func TestProfileStreamReusesScratch(t *testing.T) {
	long := row1 + strings.Repeat(row2, profileChunkBytes/len(row2)+10) + row3
	inputs := []string{long, row2 + row3, long, row1, "", row3}
	scratch := newProfileScratch()
	for i, input := range inputs {
		want, wantErr := profileString(input)
		got, err := profileStream(context.Background(), strings.NewReader(input), nil, scratch, "XBTUSD_60.csv", 60)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("input %d: (-fresh scratch +reused):\n%s", i, diff)
		}
		if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Errorf("input %d: error %v; with a fresh scratch %v", i, err, wantErr)
		}
	}
}

// TestProfileStreamRefusesBadEnds: a first or last row that loading would
// refuse gives no profile but the loader's own error.
func TestProfileStreamRefusesBadEnds(t *testing.T) {
	badLast := "1381197600,123.91,123.91,123.9,123.9,1.9916\n"
	tests := []struct {
		name, input, wantErr string
	}{
		{"empty", "", "XBTUSD_60.csv: no rows"},
		{"header", "timestamp,open,high,low,close,volume,trades\n" + row1, `XBTUSD_60.csv line 1: timestamp "timestamp" is not a whole number of seconds`},
		{"no timestamps", "a,b\nc,d\n", "XBTUSD_60.csv line 1: 2 fields, want 7"},
		{"bad last row", row1 + row2 + badLast, "XBTUSD_60.csv line 3: 6 fields, want 7"},
		{"bad last row without line end", row1 + strings.TrimSuffix(badLast, "\n"), "XBTUSD_60.csv line 2: 6 fields, want 7"},
		{"only blank lines", "\n\n", "XBTUSD_60.csv: no rows"},
		{"too many trailing blank lines", row1 + strings.Repeat("\n", MaxTrailingBlankLines+1), "XBTUSD_60.csv: more than 1000 blank lines at the end"},
		{"blank lines after a bad last row", row1 + badLast + "\n\n", "XBTUSD_60.csv line 2: 6 fields, want 7"},
		{"last row not aligned", row1 + "1381176060,123.61,123.61,123.61,123.61,0.1,1\n", "XBTUSD_60.csv line 2: timestamp 1381176060 is not aligned to the 60-minute interval"},
		{"last timestamp too long", row1 + "99999999999999999999,1,1,1,1,1,1\n", `XBTUSD_60.csv line 2: timestamp "99999999999999999999" is not a whole number of seconds`},
		{"last row before the first", row2 + row3 + row1, "XBTUSD_60.csv line 3: timestamp 1381093200 is not after the previous row's 1381197600: rows must be in strictly increasing time"},
		{"overlong first line", strings.Repeat("1", 5000) + "\n" + row1, "XBTUSD_60.csv line 1: line longer than 4096 bytes"},
		{"overlong last line", row1 + strings.Repeat("1", 1<<20), "XBTUSD_60.csv line 2: line longer than 4096 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := profileString(tt.input)
			var pe *ParseError
			if !errors.As(err, &pe) || err.Error() != tt.wantErr {
				t.Fatalf("error = %v; want the *ParseError %q", err, tt.wantErr)
			}
			if got != (Profile{}) {
				t.Errorf("profile %+v; want none", got)
			}
		})
	}
}

// TestProfileAgreesWithTheLoader: wherever the loader refuses the first or
// the last line, profiling refuses it with the same error, and wherever the
// loader accepts every line, profiling gives the rows it read. Line lengths
// around MaxLineBytes check that both draw the limit in the same place.
func TestProfileAgreesWithTheLoader(t *testing.T) {
	var inputs []string
	for _, n := range []int{MaxLineBytes - 2, MaxLineBytes - 1, MaxLineBytes, MaxLineBytes + 1} {
		long := strings.Repeat("1", n)
		inputs = append(inputs, long+"\n"+row1, long+"\r\n"+row1, row1+long+"\n", row1+long, row1+long+"\r\n", long, long+"\n")
	}
	inputs = append(inputs, row1+row2+row3, "\xEF\xBB\xBF"+row1, "\n", "\r\n", row1+"\r\n", row1+"1381176000,1,1,1,1,1,1E+1",
		// Trailing blank lines, up to and past the bound, and blank lines
		// that are not trailing.
		row1+row2+"\n", row1+row2+"\r\n\n\r", "\n"+row1, "\r\n\r\n",
		row1+strings.Repeat("\r\n", MaxTrailingBlankLines), row1+strings.Repeat("\r\n", MaxTrailingBlankLines+1),
		row1+strings.Repeat("\n", 5000), row1+"\r\r\n", row1+"\n\r\r\n")
	for _, input := range inputs {
		candles, loadErr := readAll(t, NewReader(strings.NewReader(input), "XBTUSD_60.csv", 60))
		got, err := profileString(input)
		if loadErr == nil {
			want := Profile{Rows: int64(len(candles)), First: candles[0].Time, Last: candles[len(candles)-1].Time}
			if err != nil || got != want {
				t.Errorf("%.40q…: profile %+v, %v; the loader read %+v", input, got, err, want)
			}
			continue
		}
		var pe *ParseError
		if !errors.As(loadErr, &pe) || loadErr == io.EOF {
			t.Fatalf("%.40q…: loader error %v", input, loadErr)
		}
		if err == nil || err.Error() != loadErr.Error() {
			t.Errorf("%.40q… (%d bytes): profile error %v; the loader says %v", input, len(input), err, loadErr)
		}
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
