package sinktest

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// The fixtures are the first rows of real Kraken daily files: ADAUSD has no
// missing days, XBTUSD's early history has some.
//
//go:embed testdata/*.csv
var fixtures embed.FS

// Fixture returns the candles of one embedded Kraken CSV file
// ("ADAUSD_1440.csv" or "XBTUSD_1440.csv"), oldest first.
func Fixture(t testing.TB, name string) []ohlc.Candle {
	t.Helper()
	data, err := fixtures.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	candles, err := parseCSV(data)
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return candles
}

// parseCSV reads Kraken's timestamp,open,high,low,close,volume,trades rows.
// It is deliberately tiny: the real parser lives in sources and must not be
// what the sink contract depends on.
func parseCSV(data []byte) ([]ohlc.Candle, error) {
	var out []ohlc.Candle
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		f := strings.Split(sc.Text(), ",")
		if len(f) != 7 {
			return nil, fmt.Errorf("line %d: %d fields, want 7", line, len(f))
		}
		var c ohlc.Candle
		var err error
		if c.Time, err = strconv.ParseInt(f[0], 10, 64); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		for k, dst := range []*float64{&c.Open, &c.High, &c.Low, &c.Close, &c.Volume} {
			if *dst, err = strconv.ParseFloat(f[k+1], 64); err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
		}
		if c.Trades, err = strconv.ParseInt(f[6], 10, 64); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, c)
	}
	return out, sc.Err()
}
