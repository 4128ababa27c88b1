package krakencsv

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
)

var (
	benchZipOnce sync.Once
	benchZip     []byte
	benchZipErr  error
)

// bigXBTUSD60Zip is bigXBTUSD60 deflated (compress/flate's default level,
// as Go and most zip tools write) as the one member XBTUSD_60.csv.
func bigXBTUSD60Zip() ([]byte, error) {
	benchZipOnce.Do(func() {
		data, _, err := bigXBTUSD60()
		if err != nil {
			benchZipErr = err
			return
		}
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "XBTUSD_60.csv", Method: zip.Deflate})
		if err == nil {
			_, err = w.Write(data)
		}
		if err == nil {
			err = zw.Close()
		}
		benchZip, benchZipErr = buf.Bytes(), err
	})
	return benchZip, benchZipErr
}

// BenchmarkParseZipMember reads and parses one big member straight out of
// a zip on disk, as a load does: through Archives (klauspost/compress,
// the zip kept open), and through archive/zip's own Open for comparison.
// Its rows/s sit next to BenchmarkParse's plain-file rate.
func BenchmarkParseZipMember(b *testing.B) {
	zipped, err := bigXBTUSD60Zip()
	if err != nil {
		b.Fatal(err)
	}
	data, rows, _ := bigXBTUSD60()
	path := filepath.Join(b.TempDir(), "Kraken_OHLCVT.zip")
	if err := os.WriteFile(path, zipped, 0o644); err != nil {
		b.Fatal(err)
	}
	src := Source{DumpPath: path, IsZip: true, Member: "XBTUSD_60.csv", Fingerprint: crcOf(data)}

	b.Run("archives", func(b *testing.B) {
		archives := NewArchives()
		defer archives.Close()
		benchmarkRows(b, int64(len(data)), rows, func() (io.Closer, func([]ohlc.Candle) (int, error)) {
			f, err := archives.Open(context.Background(), src)
			if err != nil {
				b.Fatal(err)
			}
			return f, f.Read
		})
	})
	b.Run("stdlib-zip", func(b *testing.B) {
		zr, err := zip.OpenReader(path)
		if err != nil {
			b.Fatal(err)
		}
		defer zr.Close()
		benchmarkRows(b, int64(len(data)), rows, func() (io.Closer, func([]ohlc.Candle) (int, error)) {
			rc, err := zr.File[0].Open()
			if err != nil {
				b.Fatal(err)
			}
			return rc, NewReader(rc, "XBTUSD_60.csv", 60).Read
		})
	})
}

// benchmarkRows reads every row of what open opens, once per iteration,
// and reports rows/s and rows/cpu-s as BenchmarkParse does.
func benchmarkRows(b *testing.B, size int64, rows int, open func() (io.Closer, func([]ohlc.Candle) (int, error))) {
	buf := make([]ohlc.Candle, 4096)
	b.SetBytes(size)
	b.ReportAllocs()
	var cpu time.Duration
	for b.Loop() {
		cpuStart := processCPUTime()
		closer, read := open()
		got := 0
		for {
			n, err := read(buf)
			got += n
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		if err := closer.Close(); err != nil {
			b.Fatal(err)
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

// BenchmarkInflate is inflating alone, the part of a zip load that parsing
// plain files does not pay: compress/flate (archive/zip's default) against
// klauspost/compress as openZipMember runs it.
func BenchmarkInflate(b *testing.B) {
	zipped, err := bigXBTUSD60Zip()
	if err != nil {
		b.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		b.Fatal(err)
	}
	member := zr.File[0]
	for name, open := range map[string]func() (io.ReadCloser, error){
		"compress-flate": member.Open,
		"klauspost":      func() (io.ReadCloser, error) { return openZipMember(member) },
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(member.UncompressedSize64))
			b.ReportAllocs()
			var cpu time.Duration
			for b.Loop() {
				cpuStart := processCPUTime()
				rc, err := open()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, rc); err != nil {
					b.Fatal(err)
				}
				rc.Close()
				cpu += processCPUTime() - cpuStart
			}
			if cpu > 0 {
				b.ReportMetric(float64(member.UncompressedSize64)*float64(b.N)/cpu.Seconds()/1e6, "MB/cpu-s")
			}
		})
	}
}
