package krakencsv

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// readAll drains a Reader in small batches, so batch boundaries are crossed.
func readAll(t *testing.T, r interface {
	Read([]ohlc.Candle) (int, error)
}) ([]ohlc.Candle, error) {
	t.Helper()
	var out []ohlc.Candle
	buf := make([]ohlc.Candle, 97)
	for {
		n, err := r.Read(buf)
		if n > 0 && err != nil {
			t.Fatalf("Read returned %d rows and error %v; want one or the other", n, err)
		}
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

// wantCandles parses a file the slow, obvious way, as the reference.
func wantCandles(t *testing.T, data []byte) []ohlc.Candle {
	t.Helper()
	var out []ohlc.Candle
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		f := strings.Split(line, ",")
		if len(f) != 7 {
			t.Fatalf("reference split of %q: %d fields", line, len(f))
		}
		var v [7]float64
		for k := 1; k < 6; k++ {
			x, err := strconv.ParseFloat(f[k], 64)
			if err != nil {
				t.Fatal(err)
			}
			v[k] = x
		}
		ts, err1 := strconv.ParseInt(f[0], 10, 64)
		trades, err2 := strconv.ParseInt(f[6], 10, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("reference parse of %q: %v %v", line, err1, err2)
		}
		out = append(out, ohlc.Candle{Time: ts, Open: v[1], High: v[2], Low: v[3], Close: v[4], Volume: v[5], Trades: trades})
	}
	return out
}

// fixtureRows are the row counts and first/last rows of the fixtures.
var fixtureRows = map[string]Profile{
	"full_until_2020-10-01/XBTUSD_60.csv":   {Rows: 50378, First: 1381093200, Last: 1601506800},
	"full_until_2020-10-01/STORJUSD_60.csv": {Rows: 1508, First: 1594818000, Last: 1601506800},
	"full_until_2021-04-01/ADAUSD_1440.csv": {Rows: 916, First: 1538092800, Last: 1617148800},
	"full_until_2021-04-01/ETHUSD_1440.csv": {Rows: 2058, First: 1438905600, Last: 1617148800},
	"full_until_2021-04-01/XBTUSD_1440.csv": {Rows: 2722, First: 1381017600, Last: 1617148800},
	"full_until_2021-04-01/XMRUSD_1440.csv": {Rows: 1549, First: 1483315200, Last: 1617148800},
	"full_until_2022-07-01/XBTUSD_1440.csv": {Rows: 3178, First: 1381017600, Last: 1656547200},
}

func TestFixturesParseUnchanged(t *testing.T) {
	for rel, want := range fixtureRows {
		t.Run(rel, func(t *testing.T) {
			checkFixture(t, filepath.Join("testdata", filepath.FromSlash(rel)), &want)
		})
	}
}

// TestQuickstartFixtureParsesUnchanged checks the one real fixture that is
// not copied into testdata, from the quickstart's copy, so that every file
// of the real fixtures is checked.
func TestQuickstartFixtureParsesUnchanged(t *testing.T) {
	path := filepath.Join("..", "..", "examples", "quickstart", "data", "Kraken_OHLCVT_2020-10-01", "ETHUSD_60.csv")
	checkFixture(t, path, &Profile{Rows: 41688, First: 1438956000, Last: 1601506800})
}

func checkFixture(t *testing.T, path string, want *Profile) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	series, ok := ParseMemberName(path)
	if !ok {
		t.Fatalf("%s: not a member name", path)
	}
	got, err := readAll(t, NewReader(bytes.NewReader(data), filepath.Base(path), series.Interval))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantCandles(t, data), got); diff != "" {
		t.Fatalf("candles differ from strconv's (-want +got):\n%s", diff)
	}
	if want != nil {
		gotProfile := Profile{Rows: int64(len(got)), First: got[0].Time, Last: got[len(got)-1].Time}
		if diff := cmp.Diff(*want, gotProfile); diff != "" {
			t.Errorf("rows (-want +got):\n%s", diff)
		}
	}
}

const (
	row1 = "1381093200,122.0,122.0,122.0,122.0,0.1,1\n"
	row2 = "1381176000,123.61,123.61,123.61,123.61,0.1,1\n"
	row3 = "1381197600,123.91,123.91,123.9,123.9,1.9916,2\n"
)

func TestParseRefusesBadRows(t *testing.T) {
	tests := []struct {
		name, input string
		wantLine    int
		wantErr     string
	}{
		{"6 fields", row1 + "1381176000,123.61,123.61,123.61,123.61,0.1\n", 2, "6 fields, want 7"},
		{"8 fields", row1 + row2 + "1381197600,123.91,123.91,123.9,123.9,1.9916,2,7\n", 3, "8 fields, want 7"},
		{"header", "timestamp,open,high,low,close,volume,trades\n" + row1, 1, `timestamp "timestamp" is not a whole number of seconds`},
		{"non-numeric price", row1 + "1381176000,abc,123.61,123.61,123.61,0.1,1\n", 2, `open "abc" is not a plain decimal number`},
		{"negative volume", row1 + "1381176000,123.61,123.61,123.61,123.61,-0.1,1\n", 2, `volume "-0.1" is negative`},
		{"NaN", row1 + "1381176000,NaN,123.61,123.61,123.61,0.1,1\n", 2, `open "NaN" is not a plain decimal number`},
		{"Inf", row1 + "1381176000,123.61,Inf,123.61,123.61,0.1,1\n", 2, `high "Inf" is not a plain decimal number`},
		{"exponent without digits", row1 + "1381176000,123.61,123.61,123.61,123.61,1E+,1\n", 2, `volume "1E+" is not a plain decimal number`},
		{"huge exponent", row1 + "1381176000,123.61,123.61,123.61,123.61,1E+99999,1\n", 2, `volume "1E+99999" is not a plain decimal number`},
		{"exponent overflow", row1 + "1381176000,123.61,123.61,123.61,123.61,1E+999,1\n", 2, `volume "1E+999" is out of range`},
		{"bare point", row1 + "1381176000,123.61,123.61,123.61,123.61,.1,1\n", 2, `volume ".1" is not a plain decimal number`},
		{"overflow", row1 + "1381176000,123.61," + strings.Repeat("9", 400) + ",123.61,123.61,0.1,1\n", 2, "high \"" + strings.Repeat("9", 400) + "\" is out of range"},
		{"timestamp not aligned", row1 + "1381176060,123.61,123.61,123.61,123.61,0.1,1\n", 2, "timestamp 1381176060 is not aligned to the 60-minute interval"},
		{"timestamp not integer", row1 + "1381176000.0,123.61,123.61,123.61,123.61,0.1,1\n", 2, `timestamp "1381176000.0" is not a whole number of seconds`},
		{"timestamps backwards", row2 + row1, 2, "timestamp 1381093200 is not after the previous row's 1381176000: rows must be in strictly increasing time"},
		{"timestamps equal", row1 + row2 + row2, 3, "timestamp 1381176000 is not after the previous row's 1381176000: rows must be in strictly increasing time"},
		{"low above open", row1 + "1381176000,123.61,123.61,123.62,123.62,0.1,1\n", 2, "low 123.62 is above open 123.61 or close 123.62"},
		{"close above high", row1 + "1381176000,123.61,123.61,123.61,123.70,0.1,1\n", 2, "high 123.61 is below open 123.61 or close 123.7"},
		{"non-integer trades", row1 + "1381176000,123.61,123.61,123.61,123.61,0.1,1.5\n", 2, `trades "1.5" is not a non-negative whole number`},
		{"negative trades", row1 + "1381176000,123.61,123.61,123.61,123.61,0.1,-1\n", 2, `trades "-1" is not a non-negative whole number`},
		{"blank line", row1 + "\n" + row2, 2, "empty line"},
		{"blank lines before a row", row1 + "\n\r\n\n" + row2 + "\n", 2, "empty line"},
		{"only blank lines", "\n\r\n", 0, "no rows"},
		{"too many trailing blank lines", row1 + strings.Repeat("\r\n", MaxTrailingBlankLines+1), 0, "more than 1000 blank lines at the end"},
		{"space in field", row1 + "1381176000, 123.61,123.61,123.61,123.61,0.1,1\n", 2, `open " 123.61" is not a plain decimal number`},
		{"empty file", "", 0, "no rows"},
		{"overlong line", row1 + strings.Repeat("1", 5000) + "\n" + row2, 2, "line longer than 4096 bytes"},
		{"overlong last line", row1 + strings.Repeat("1", 1<<20), 2, "line longer than 4096 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readAll(t, NewReader(strings.NewReader(tt.input), "XBTUSD_60.csv", 60))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if diff := cmp.Diff(ParseError{File: "XBTUSD_60.csv", Line: tt.wantLine}, ParseError{File: pe.File, Line: pe.Line}); diff != "" {
				t.Errorf("where (-want +got):\n%s", diff)
			}
			want := "XBTUSD_60.csv line " + strconv.Itoa(tt.wantLine) + ": " + tt.wantErr
			if tt.wantLine == 0 {
				want = "XBTUSD_60.csv: " + tt.wantErr
			}
			if diff := cmp.Diff(want, err.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseAcceptsLineEndVariants(t *testing.T) {
	plain := row1 + row2 + row3
	want := wantCandles(t, []byte(plain))
	for name, input := range map[string]string{
		"no final line end":            strings.TrimSuffix(plain, "\n"),
		"CRLF":                         strings.ReplaceAll(plain, "\n", "\r\n"),
		"BOM":                          "\xEF\xBB\xBF" + plain,
		"BOM and CRLF":                 "\xEF\xBB\xBF" + strings.ReplaceAll(plain, "\n", "\r\n"),
		"BOM, CRLF, no final line end": "\xEF\xBB\xBF" + strings.TrimSuffix(strings.ReplaceAll(plain, "\n", "\r\n"), "\r\n"),
		"mixed line ends":              row1 + strings.TrimSuffix(row2, "\n") + "\r\n" + row3,
		// A re-saved file often ends in blank lines; they hold no candle.
		"a trailing blank line":            plain + "\n",
		"trailing blank CRLF lines":        strings.ReplaceAll(plain, "\n", "\r\n") + "\r\n\r\n",
		"a last blank line without an end": plain + "\r",
		"the most trailing blank lines":    plain + strings.Repeat("\n", MaxTrailingBlankLines),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := readAll(t, NewReader(strings.NewReader(input), "XBTUSD_60.csv", 60))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadReturnsRowsBeforeTheError(t *testing.T) {
	r := NewReader(strings.NewReader(row1+row2+"oops\n"+row3), "XBTUSD_60.csv", 60)
	buf := make([]ohlc.Candle, 10)
	n, err := r.Read(buf)
	if n != 2 || err != nil {
		t.Fatalf("first Read = %d, %v; want 2 rows and no error", n, err)
	}
	for range 2 { // the error is sticky
		n, err = r.Read(buf)
		if n != 0 || err == nil || err.Error() != "XBTUSD_60.csv line 3: 1 fields, want 7" {
			t.Fatalf("Read = %d, %v; want 0 and the line 3 error", n, err)
		}
	}
}

type failingReader struct{ data io.Reader }

func (f failingReader) Read(p []byte) (int, error) {
	n, err := f.data.Read(p)
	if err == io.EOF {
		return n, errors.New("disk on fire")
	}
	return n, err
}

func TestReadSurfacesSourceErrors(t *testing.T) {
	_, err := readAll(t, NewReader(failingReader{strings.NewReader(row1 + row2)}, "XBTUSD_60.csv", 60))
	if err == nil || err.Error() != "read XBTUSD_60.csv: disk on fire" {
		t.Fatalf("error = %v; want the source's error", err)
	}
}

// repeatReader yields n copies of one byte without holding them, so a test
// can feed a huge line while measuring what the parser itself allocates.
type repeatReader struct {
	b byte
	n int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n)
	for i := range p[:k] {
		p[i] = r.b
	}
	r.n -= k
	return k, nil
}

// countingReader counts the bytes taken from the source.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestParseRefusesTenMegabyteLine: a 10 MB line, alone or amid good rows,
// is refused at that line, after the rows before it, without reading the
// rest of the file or holding the line in memory.
func TestParseRefusesTenMegabyteLine(t *testing.T) {
	const huge = 10 << 20
	tests := []struct {
		name           string
		before, after  string
		wantRows, line int
	}{
		{"single line", "", "", 0, 1},
		{"single line with line end", "", "\n", 0, 1},
		{"amid valid rows", row1 + row2, "\n" + row3, 2, 3},
		{"amid valid rows, CRLF and BOM", "\xEF\xBB\xBF" + strings.ReplaceAll(row1+row2, "\n", "\r\n"), "\r\n" + row3, 2, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &countingReader{r: io.MultiReader(strings.NewReader(tt.before), &repeatReader{b: '1', n: huge}, strings.NewReader(tt.after))}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			got, err := readAll(t, NewReader(src, "XBTUSD_60.csv", 60))
			runtime.ReadMemStats(&after)

			want := "XBTUSD_60.csv line " + strconv.Itoa(tt.line) + ": line longer than 4096 bytes"
			var pe *ParseError
			if !errors.As(err, &pe) || err.Error() != want {
				t.Fatalf("error = %v; want the *ParseError %q", err, want)
			}
			if len(got) != tt.wantRows {
				t.Errorf("%d rows before the error; want %d", len(got), tt.wantRows)
			}
			// The reader's window is 256 KiB: it must stop there, not
			// read (let alone keep) the rest of the line.
			if src.n > 2*readBufferBytes {
				t.Errorf("read %d bytes of the source; want at most %d", src.n, 2*readBufferBytes)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
				t.Errorf("allocated %d bytes to refuse the line; want well under the line's %d", alloc, huge)
			}
		})
	}
}
