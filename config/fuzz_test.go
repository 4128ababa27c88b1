package config

import (
	"math"
	"math/big"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// The parsers below read what a user writes in the configuration. Each
// fuzz target holds one to: no panic, accepted values in range, and
// format then parse giving the value back where there is a format.

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30d", "12h", "2w", "90m", "45s", "1d12h", "1w1d1h1m1s", "0d", "", "1.5h", "-1d", "99999999999999w", "15250w", "9223372036s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		if d < 0 || d%time.Second != 0 {
			t.Fatalf("ParseDuration(%q) = %v: negative or not whole seconds", s, d)
		}
		// The sum of the parts, computed without overflow, must be d.
		if want := durationSum(t, s); want.Cmp(big.NewInt(int64(d))) != 0 {
			t.Fatalf("ParseDuration(%q) = %d, want %s", s, d, want)
		}
		text := formatDuration(d)
		again, err := ParseDuration(text)
		if err != nil || again != d {
			t.Fatalf("ParseDuration(%q) = %v; written as %q it reads %v, %v", s, d, text, again, err)
		}
	})
}

// durationSum adds up "NuNu…" with big integers; s is known to parse.
func durationSum(t *testing.T, s string) *big.Int {
	sum := new(big.Int)
	for i := 0; i < len(s); {
		start := i
		for s[i] >= '0' && s[i] <= '9' {
			i++
		}
		n, ok := new(big.Int).SetString(s[start:i], 10)
		if !ok {
			t.Fatalf("%q: bad number %q", s, s[start:i])
		}
		sum.Add(sum, n.Mul(n, big.NewInt(int64(durationUnits[s[i]]))))
		i++
	}
	return sum
}

// formatDuration writes d in the largest units first, as a user would.
func formatDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	for _, u := range []struct {
		name byte
		len  time.Duration
	}{{'w', 7 * 24 * time.Hour}, {'d', 24 * time.Hour}, {'h', time.Hour}, {'m', time.Minute}, {'s', time.Second}} {
		if n := d / u.len; n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10))
			b.WriteByte(u.name)
			d -= n * u.len
		}
	}
	return b.String()
}

func FuzzParseInterval(f *testing.F) {
	for _, s := range []string{"60", "1m", "5m", "1h", "4h", "12h", "1d", "1w", "15d", " 1h ", "0", "-1h", "+60", "2h", "1y", "", "576460752303423495d", "9223372036854775807"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		iv, err := ohlc.ParseInterval(s)
		if err != nil {
			return
		}
		if !iv.Valid() {
			t.Fatalf("ParseInterval(%q) = %d, not an interval Kraken publishes", s, iv)
		}
		// The number times the unit, without overflow, must be iv.
		trimmed := strings.TrimSpace(s)
		num, mult := trimmed, int64(1)
		if unit := strings.IndexByte("mhdw", trimmed[len(trimmed)-1]); unit >= 0 {
			num, mult = trimmed[:len(trimmed)-1], []int64{1, 60, 1440, 10080}[unit]
		}
		n, ok := new(big.Int).SetString(strings.TrimPrefix(num, "+"), 10)
		if !ok || n.Mul(n, big.NewInt(mult)).Cmp(big.NewInt(int64(iv))) != 0 {
			t.Fatalf("ParseInterval(%q) = %d minutes, which is not what it says", s, iv)
		}
		for _, text := range []string{iv.String(), iv.Label()} {
			if again, err := ohlc.ParseInterval(text); err != nil || again != iv {
				t.Fatalf("ParseInterval(%q) = %d; written as %q it reads %d, %v", s, iv, text, again, err)
			}
		}
		if series, err := ohlc.ParseSeries("XBTUSD/" + s); err != nil || series.Interval != iv {
			t.Fatalf("ParseSeries(XBTUSD/%q) = %v, %v; want interval %d", s, series, err, iv)
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2020-01-01", "2020-01-01T10:00:00Z", "2020-01-01 10:00", "2020-01-01T10:00", "2020-01-01 10:00:05",
		"2020-01-01T10:00:00+02:00", "2020-01-01T10:00:00.5Z", "2020-01-01T10:00:30", "2020-01-01 10:00Z", "2024-03-31 02:30+02:00", "2020-01-01 10", "0000-01-01T00:00:00+01:00", "9999-12-31T23:59:59-23:59", "2020-02-30", "now"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := ohlc.ParseTime(s)
		if err != nil {
			return
		}
		if y := time.Unix(ts, 0).UTC().Year(); y < 0 || y > 9999 {
			t.Fatalf("ParseTime(%q) = %d, in year %d", s, ts, y)
		}
		// FormatTime keeps minutes: it is how times are shown, and windows
		// are aligned to candles of a minute or more anyway.
		text := ohlc.FormatTime(ts)
		again, err := ohlc.ParseTime(text)
		if want := ts - ((ts%60)+60)%60; err != nil || again != want {
			t.Fatalf("ParseTime(%q) = %d; written as %q it reads %d, %v; want %d", s, ts, text, again, err, want)
		}
	})
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"1/s", "0.5/s", "30/m", "1/h", ".5/s", "0/s", "1/d", "1e3/s", "-1/s", "1/ s",
		"0." + strings.Repeat("0", 320) + "5/h", strings.Repeat("9", 400) + "/s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			return
		}
		if !(r > 0) || math.IsInf(r, 0) {
			t.Fatalf("ParseRate(%q) = %v, not a positive finite rate", s, r)
		}
		text := strconv.FormatFloat(r, 'f', -1, 64) + "/s"
		if again, err := ParseRate(text); err != nil || again != r {
			t.Fatalf("ParseRate(%q) = %v; written as %q it reads %v, %v", s, r, text, again, err)
		}
	})
}

func FuzzParseBaseURL(f *testing.F) {
	for _, s := range []string{"https://api.kraken.com", "https://api.kraken.com/", "http://localhost:9999/fake", "ftp://api.kraken.com",
		"https://", "https://api.kraken.com?", "https://api.kraken.com#x", "https://me:secret@api.kraken.com", "https://api.kraken.com/%zz", "http://127.0.0.1:1/a//"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		base, err := parseBaseURL(s)
		if err != nil {
			return
		}
		if again, err := parseBaseURL(base); err != nil || again != base {
			t.Fatalf("parseBaseURL(%q) = %q, which reads %q, %v", s, base, again, err)
		}
		// The client appends endpoint paths: they must stay paths of the
		// same host, not become part of a fragment or of another host.
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		endpoint, err := url.Parse(base + "/0/public/OHLC")
		if err != nil {
			t.Fatalf("parseBaseURL(%q) = %q; an endpoint under it does not parse: %v", s, base, err)
		}
		if endpoint.Host != u.Host || endpoint.Scheme != u.Scheme || !strings.HasSuffix(endpoint.Path, "/0/public/OHLC") || endpoint.RawQuery != "" || endpoint.Fragment != "" {
			t.Fatalf("parseBaseURL(%q) = %q; the endpoint under it is %#v", s, base, endpoint)
		}
	})
}
