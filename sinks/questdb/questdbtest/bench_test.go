package questdbtest

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// clientBody is n candle lines written as go-questdb-client writes them
// (floats in Go's %G form, integers with i, nanosecond timestamps).
func clientBody(n int) []byte {
	var sb strings.Builder
	g := func(f float64) string { return strconv.FormatFloat(f, 'G', -1, 64) }
	for i := range n {
		price := 42000 + float64(i%1000)/10
		sb.WriteString("candles,pair=XBTUSD,interval=1 open=" + g(price) + ",high=" + g(price+12.5) + ",low=" + g(price-7.25) +
			",close=" + g(price+1.1) + ",volume=" + g(0.00012345*float64(i%97+1)) + ",trades=" + strconv.Itoa(i%50) + "i,vwap=" + g(price+0.37) +
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
	for b.Loop() {
		if err := s.apply(body, precisionNanos); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(lines*b.N)/b.Elapsed().Seconds(), "lines/s")
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
