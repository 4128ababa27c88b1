// Package archive writes a synthetic Kraken full-history archive shaped
// like the real Kraken_OHLCVT.zip: every member flat under master_q4/,
// PAIR_INTERVAL.csv for seven intervals, a __MACOSX/ AppleDouble twin of
// every member, not every pair holding every interval, and per-interval
// sizes in the real archive's proportions (most bytes in one-minute
// files). Rows are the real fixture's, on a dense clock ending at the
// archive's cutoff, so files load as Kraken's do.
package archive

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/feefifofunds/candlekeep/bench/synth"
)

// Cutoff is where every member's rows end: the end of 2024's fourth
// quarter, as master_q4 of the real archive.
var Cutoff = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix()

// Intervals are the real archive's, in minutes.
var Intervals = []int{1, 5, 15, 60, 240, 720, 1440}

// fill is the share of an interval's slots a typical pair has a candle
// in: most pairs are thin, so minutes are mostly empty and days full.
var fill = map[int]float64{1: 0.11, 5: 0.3, 15: 0.5, 60: 0.8, 240: 0.95, 720: 1, 1440: 1}

// Spec is the archive to write.
type Spec struct {
	Pairs int     // pairs; about 1,715 make the real archive's ~12,000 members
	Scale float64 // share of the realistic row counts to write (1 is ~26 GB)
	Rows  []byte  // a real Kraken CSV file whose rows are repeated
}

// Member is one file written: its name, series and rows.
type Member struct {
	Name     string
	Pair     string
	Interval int
	Rows     int
}

// Pair is the i-th pair's name.
func Pair(i int) string { return fmt.Sprintf("P%05dUSD", i) }

// Years is how many years of history pair i has: one to six, as Kraken's
// pairs were listed over the years.
func Years(i int) int { return 1 + i%6 }

// Has says whether pair i has interval iv: every fifth pair lacks 240 and
// 720, as older listings in the real archive lack some intervals.
func Has(i, iv int) bool { return i%5 != 0 || (iv != 240 && iv != 720) }

// Write writes the archive as a zip to w and returns its members.
func Write(w io.Writer, spec Spec) ([]Member, error) {
	zw := zip.NewWriter(w)
	var out []Member
	for i := range spec.Pairs {
		for _, iv := range Intervals {
			if !Has(i, iv) {
				continue
			}
			slots := float64(Years(i)) * 365 * 1440 / float64(iv)
			rows := max(1, int(slots*fill[iv]*spec.Scale))
			step := int64(iv) * 60
			body, n, err := synth.Resequence(spec.Rows, rows, Cutoff-int64(rows)*step, step)
			if err != nil {
				return nil, err
			}
			m := Member{Name: fmt.Sprintf("%s_%d.csv", Pair(i), iv), Pair: Pair(i), Interval: iv, Rows: n}
			if err := add(zw, "master_q4/"+m.Name, body); err != nil {
				return nil, err
			}
			if err := add(zw, "__MACOSX/master_q4/._"+m.Name, appleDouble); err != nil {
				return nil, err
			}
			out = append(out, m)
		}
	}
	return out, zw.Close()
}

func add(zw *zip.Writer, name string, body []byte) error {
	w, err := zw.Create(name)
	if err != nil {
		return fmt.Errorf("add %s: %w", name, err)
	}
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("add %s: %w", name, err)
	}
	return nil
}

// appleDouble is the head of an AppleDouble file as macOS's zip writes
// beside each file: magic 0x00051607, version 2, filler, no entries.
var appleDouble = append([]byte{0, 5, 0x16, 7, 0, 2, 0, 0}, []byte("Mac OS X        \x00\x00")...)

// Config wants every pair of the archive at every interval over its
// whole history, from the zip as a full-history dump; the API is off, so
// what a pair lacks is reported, not fetched.
func Config(zip string, pairs int) string {
	names := make([]string, pairs)
	for i := range names {
		names[i] = fmt.Sprintf("%q", Pair(i))
	}
	return fmt.Sprintf(`dump "full" {
  path  = %q
  until = "2025-01-01"
}

api {
  enabled = false
}

coverage "all" {
  pairs     = [%s]
  intervals = ["1m", "5m", "15m", "1h", "4h", "12h", "1d"]
  from      = "2019-01-01"
  to        = "2025-01-01"
}
`, zip, strings.Join(names, ", "))
}
