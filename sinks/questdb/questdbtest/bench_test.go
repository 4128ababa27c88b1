package questdbtest

import (
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// clientBody is n candle lines written as go-questdb-client writes them
// (floats in Go's %G form, integers with i, nanosecond timestamps), with
// values as short as Kraken's: prices to a tenth, volumes to 1e-8.
func clientBody(n int) []byte {
	var sb strings.Builder
	g := func(f float64) string { return strconv.FormatFloat(f, 'G', -1, 64) }
	for i := range n {
		tenths := 420000 + i%1000 // prices as Kraken gives them, to a tenth
		price := func(d int) string { return g(float64(tenths+d) / 10) }
		sb.WriteString("candles,pair=XBTUSD,interval=1 open=" + price(0) + ",high=" + price(125) + ",low=" + price(-72) +
			",close=" + price(11) + ",volume=" + g(float64(i%99991+1)/1e8) + ",trades=" + strconv.Itoa(i%50) + "i,vwap=" + price(3) +
			" " + strconv.FormatInt((1704067200+int64(i)*60)*1_000_000_000, 10) + "\n")
	}
	return []byte(sb.String())
}

// BenchmarkCountOnlyWrite measures what one /write costs the stand-in in
// CountOnly mode, parsing and checking included, without HTTP.
func BenchmarkCountOnlyWrite(b *testing.B) {
	const lines = 10_000
	s := New(Options{CountOnly: true})
	defer s.Close()
	if _, err := s.exec(createCandles); err != nil {
		b.Fatal(err)
	}
	body := clientBody(lines)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if err := s.apply(body, precisionNanos); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(lines*b.N)/b.Elapsed().Seconds(), "lines/s")
	// On a shared machine wall time varies with the neighbours; lines per
	// second of this process's CPU does not.
	b.ReportMetric(float64(lines*b.N)/(cpuTime()-cpu).Seconds(), "lines/cpu-s")
	b.ReportMetric(float64(len(body))/lines, "bytes/line")
}

// BenchmarkCountOnlyWriteHTTP adds loopback HTTP, as a sink sees it.
func BenchmarkCountOnlyWriteHTTP(b *testing.B) {
	const lines = 10_000
	s := New(Options{CountOnly: true})
	defer s.Close()
	if _, err := s.exec(createCandles); err != nil {
		b.Fatal(err)
	}
	body := string(clientBody(lines))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		resp, err := http.Post("http://"+s.Addr()+"/write", "text/plain", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	b.ReportMetric(float64(lines*b.N)/b.Elapsed().Seconds(), "lines/s")
}
