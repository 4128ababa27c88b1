package krakencsv

import (
	"bytes"
	"io"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/feefifofunds/candlekeep/bench/synth"
	"github.com/feefifofunds/candlekeep/ohlc"
)

var (
	benchInputOnce sync.Once
	benchInput     []byte
	benchRows      int
	benchErr       error
)

// bigXBTUSD60 is the real XBTUSD_60.csv repeated with its timestamps shifted
// forward each time until it holds at least 3 million rows: real row shapes,
// still strictly increasing.
func bigXBTUSD60() ([]byte, int, error) {
	benchInputOnce.Do(func() {
		data, err := os.ReadFile("testdata/full_until_2020-10-01/XBTUSD_60.csv")
		if err != nil {
			benchErr = err
			return
		}
		benchInput, benchRows, benchErr = synth.RepeatShifted(data, 3_000_000, 3600)
	})
	return benchInput, benchRows, benchErr
}

func BenchmarkParse(b *testing.B) {
	data, rows, err := bigXBTUSD60()
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]ohlc.Candle, 4096)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var cpu time.Duration
	for b.Loop() {
		cpuStart := processCPUTime()
		r := NewReader(bytes.NewReader(data), "XBTUSD_60.csv", 60)
		got := 0
		for {
			n, err := r.Read(buf)
			got += n
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		cpu += processCPUTime() - cpuStart
		if got != rows {
			b.Fatalf("read %d rows, want %d", got, rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	if cpu > 0 {
		b.ReportMetric(float64(rows)*float64(b.N)/cpu.Seconds(), "rows/cpu-s")
	}
}
