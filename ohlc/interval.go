package ohlc

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Interval is a candle length in minutes.
type Interval int

// Intervals lists every candle length Kraken publishes, in either source.
var Intervals = []Interval{1, 5, 15, 30, 60, 240, 720, 1440, 10080, 21600}

// Valid reports whether Kraken publishes candles of this length at all.
func (i Interval) Valid() bool {
	for _, v := range Intervals {
		if v == i {
			return true
		}
	}
	return false
}

// Seconds is the candle length in seconds.
func (i Interval) Seconds() int64 { return int64(i) * 60 }

// Duration is the candle length as a time.Duration.
func (i Interval) Duration() time.Duration { return time.Duration(i) * time.Minute }

// InCSV reports whether Kraken's CSV history downloads carry this interval.
func (i Interval) InCSV() bool {
	switch i {
	case 1, 5, 15, 30, 60, 240, 720, 1440:
		return true
	}
	return false
}

// InAPI reports whether Kraken's REST OHLC endpoint serves this interval.
func (i Interval) InAPI() bool {
	switch i {
	case 1, 5, 15, 30, 60, 240, 1440, 10080, 21600:
		return true
	}
	return false
}

// AlignDown returns the start of the candle that contains t. It is the one
// place candlekeep aligns candles: to whole multiples of the interval since
// the Unix epoch, as Kraken's candles are up to a day. Weekly candles so
// aligned start on Thursdays (1970-01-01 was one) and 15-day candles on
// multiples of 15 days; that Kraken aligns 10080 and 21600 the same way is
// an assumption no recorded answer confirms (docs/decisions.md, "Candle
// alignment"), which the REST decoder already relies on.
func (i Interval) AlignDown(t int64) int64 {
	s := i.Seconds()
	r := t % s
	if r < 0 {
		r += s
	}
	return t - r
}

// AlignUp returns the first candle start at or after t.
func (i Interval) AlignUp(t int64) int64 {
	d := i.AlignDown(t)
	if d == t {
		return t
	}
	return d + i.Seconds()
}

// String renders the interval in minutes, as Kraken names it.
func (i Interval) String() string { return strconv.Itoa(int(i)) }

// Label is a short human form: "60" → "1h", "1440" → "1d".
func (i Interval) Label() string {
	switch {
	case i%10080 == 0:
		return fmt.Sprintf("%dw", i/10080)
	case i%1440 == 0:
		return fmt.Sprintf("%dd", i/1440)
	case i%60 == 0:
		return fmt.Sprintf("%dh", i/60)
	}
	return fmt.Sprintf("%dm", int(i))
}

// ParseInterval accepts minutes ("60") or a length with a unit
// ("1m", "5m", "1h", "4h", "12h", "1d", "1w", "15d"), and refuses lengths
// Kraken does not publish.
func ParseInterval(s string) (Interval, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty interval")
	}
	mult := 1
	num := s
	switch s[len(s)-1] {
	case 'm':
		num = s[:len(s)-1]
	case 'h':
		mult, num = 60, s[:len(s)-1]
	case 'd':
		mult, num = 1440, s[:len(s)-1]
	case 'w':
		mult, num = 10080, s[:len(s)-1]
	}
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("interval %q is not a number of minutes or a length like \"1h\" or \"1d\"; use one of %s", s, intervalList())
	}
	// Checked before multiplying, which could wrap around to a valid length.
	if n > int(Intervals[len(Intervals)-1]) {
		return 0, fmt.Errorf("interval %q is longer than any Kraken publishes; use one of %s", s, intervalList())
	}
	iv := Interval(n * mult)
	if !iv.Valid() {
		return 0, fmt.Errorf("interval %q (%d minutes) is not one Kraken publishes; use one of %s", s, int(iv), intervalList())
	}
	return iv, nil
}

func intervalList() string {
	parts := make([]string, len(Intervals))
	for k, v := range Intervals {
		parts[k] = v.String()
	}
	return strings.Join(parts, ", ")
}
