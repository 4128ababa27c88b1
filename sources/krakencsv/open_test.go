package krakencsv

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// scanSource scans a one-member dump and returns how to open that member.
func scanSource(t *testing.T, path string) Source {
	t.Helper()
	inv, err := scanOne(t, DumpSpec{Name: "d", Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := inv.Dumps[0]
	if len(d.Members) != 1 {
		t.Fatalf("%d members; want 1", len(d.Members))
	}
	return SourceOf(d, d.Members[0])
}

func readFile(t *testing.T, src Source) ([]ohlc.Candle, error) {
	t.Helper()
	f, err := Open(context.Background(), src)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if want := (ohlc.Series{Pair: "XBTUSD", Interval: 1440}); f.Series() != want {
		t.Errorf("series %v; want %v", f.Series(), want)
	}
	return readAll(t, f)
}

func TestOpenReadsPlannedMembers(t *testing.T) {
	xbt := fixture(t, xbt1440v2022)
	want := wantCandles(t, xbt)
	folder := filepath.Join(t.TempDir(), "full_until_2022-07-01")
	writeFile(t, folder, "nested/XBTUSD_1440.csv", xbt)
	zipPath := writeFile(t, t.TempDir(), "Kraken_OHLCVT.zip", buildZip(t, []zipEntry{{name: "master_q4/XBTUSD_1440.csv", data: xbt}}))
	for name, path := range map[string]string{"folder": folder, "zip": zipPath} {
		t.Run(name, func(t *testing.T) {
			got, err := readFile(t, scanSource(t, path))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestOpenRefusesChangedMembers(t *testing.T) {
	xbt := fixture(t, xbt1440v2022)
	// Same length, same valid rows but one: only the fingerprint tells.
	changed := bytes.Clone(xbt)
	changed[len(changed)-2]++

	t.Run("plain file, same size and time", func(t *testing.T) {
		dir := t.TempDir()
		path := writeFile(t, dir, "XBTUSD_1440.csv", xbt)
		src := scanSource(t, dir)
		if err := os.WriteFile(path, changed, 0o644); err != nil {
			t.Fatal(err)
		}
		// Only the hash at the end can tell.
		if err := os.Chtimes(path, time.Time{}, time.Unix(0, src.ModTime)); err != nil {
			t.Fatal(err)
		}
		rows, err := readFile(t, src)
		if !errors.Is(err, ErrChanged) || !strings.HasPrefix(err.Error(), "read "+filepath.Base(dir)+"/XBTUSD_1440.csv: changed since it was planned") {
			t.Fatalf("error = %v; want the file named and ErrChanged", err)
		}
		if len(rows) == 0 {
			t.Error("no rows before the error: the check should come at the end")
		}
	})
	// A plain file of another size or time is refused before a row is read.
	for name, change := range map[string]func(path string, src Source) error{
		"plain file, other size": func(path string, src Source) error {
			if err := os.WriteFile(path, append(bytes.Clone(xbt), xbt[len(xbt)-50:]...), 0o644); err != nil {
				return err
			}
			return os.Chtimes(path, time.Time{}, time.Unix(0, src.ModTime))
		},
		"plain file, other time": func(path string, src Source) error {
			return os.Chtimes(path, time.Time{}, time.Unix(0, src.ModTime).Add(time.Second))
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeFile(t, dir, "XBTUSD_1440.csv", xbt)
			src := scanSource(t, dir)
			if src.Size != int64(len(xbt)) || src.ModTime != modTime(t, path) {
				t.Fatalf("source size %d, time %d; want the file's", src.Size, src.ModTime)
			}
			if err := change(path, src); err != nil {
				t.Fatal(err)
			}
			_, err := Open(context.Background(), src)
			if !errors.Is(err, ErrChanged) || !strings.HasPrefix(err.Error(), "open "+filepath.Base(dir)+"/XBTUSD_1440.csv: changed since it was planned (") {
				t.Fatalf("error = %v; want ErrChanged from Open, naming the file", err)
			}
			// Without the planned size and time, only the hash is checked.
			src.Size, src.ModTime = 0, 0
			f, err := Open(context.Background(), src)
			if err != nil {
				t.Fatalf("open without size and time: %v", err)
			}
			f.Close()
		})
	}
	t.Run("zip directory", func(t *testing.T) {
		path := writeFile(t, t.TempDir(), "Kraken_OHLCVT.zip", buildZip(t, []zipEntry{{name: "XBTUSD_1440.csv", data: xbt}}))
		src := scanSource(t, path)
		if err := os.WriteFile(path, buildZip(t, []zipEntry{{name: "XBTUSD_1440.csv", data: changed}}), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Open(context.Background(), src)
		if !errors.Is(err, ErrChanged) || !strings.HasPrefix(err.Error(), "open Kraken_OHLCVT.zip/XBTUSD_1440.csv: changed since it was planned") {
			t.Fatalf("error = %v; want ErrChanged naming the member", err)
		}
	})
	t.Run("zip member gone", func(t *testing.T) {
		path := writeFile(t, t.TempDir(), "Kraken_OHLCVT.zip", buildZip(t, []zipEntry{{name: "XBTUSD_1440.csv", data: xbt}}))
		src := scanSource(t, path)
		src.Member = "other/XBTUSD_1440.csv"
		if _, err := Open(context.Background(), src); !errors.Is(err, ErrChanged) {
			t.Fatalf("error = %v; want ErrChanged", err)
		}
	})
	t.Run("zip bytes failing their CRC", func(t *testing.T) {
		good := buildZip(t, []zipEntry{{name: "XBTUSD_1440.csv", data: xbt, store: true}})
		path := writeFile(t, t.TempDir(), "Kraken_OHLCVT.zip", good)
		src := scanSource(t, path)
		corrupt := bytes.Clone(good)
		corrupt[bytes.Index(corrupt, xbt)+len(xbt)-2]++
		if err := os.WriteFile(path, corrupt, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := readFile(t, src)
		if !errors.Is(err, zip.ErrChecksum) || !strings.Contains(err.Error(), "Kraken_OHLCVT.zip/XBTUSD_1440.csv") {
			t.Fatalf("error = %v; want zip's checksum error naming the member", err)
		}
	})
}

func TestOpenNamesTheMemberInParseErrors(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dl")
	lines := strings.SplitAfter(string(fixture(t, xbt1440v2022)), "\n")
	lines[4] = "1381449600,123.0,123.0,123.0\n"
	writeFile(t, dir, "sub/XBTUSD_1440.csv", []byte(strings.Join(lines, "")))
	src := scanSource(t, dir)
	_, err := readFile(t, src)
	if err == nil || err.Error() != "dl/sub/XBTUSD_1440.csv line 5: 4 fields, want 7" {
		t.Fatalf("error = %v; want the member and line 5 named", err)
	}
}

func TestOpenRefusesPathsOutsideTheFolder(t *testing.T) {
	_, err := Open(context.Background(), Source{DumpPath: t.TempDir(), Member: "../XBTUSD_1440.csv"})
	if err == nil || !strings.Contains(err.Error(), "not inside the folder") {
		t.Fatalf("error = %v; want a refusal", err)
	}
}

func TestOpenHonoursCancellation(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	cancel()
	if _, err := Open(ctx, Source{DumpPath: t.TempDir(), Member: "XBTUSD_1440.csv"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v; want context.Canceled", err)
	}
}
