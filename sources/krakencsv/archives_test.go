package krakencsv

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// scanSources scans a dump and returns how to open each member, by path.
func scanSources(t *testing.T, path string) map[string]Source {
	t.Helper()
	inv, err := scanOne(t, DumpSpec{Name: "d", Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Source{}
	for _, m := range inv.Dumps[0].Members {
		out[m.Path] = SourceOf(inv.Dumps[0], m)
	}
	return out
}

func readSource(t *testing.T, a *Archives, src Source) (int, error) {
	t.Helper()
	f, err := a.Open(context.Background(), src)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	rows, err := readAll(t, f)
	return len(rows), err
}

// Members of one zip, opened from several goroutines at once, all share one
// open zip and read whole.
func TestArchivesShareOneOpenZip(t *testing.T) {
	xbt, eth := fixture(t, xbt1440v2022), fixture(t, eth1440)
	path := writeFile(t, t.TempDir(), "Kraken_OHLCVT.zip", buildZip(t, []zipEntry{
		{name: "XBTUSD_1440.csv", data: xbt},
		{name: "master/ETHUSD_1440.csv", data: eth, store: true},
	}))
	sources := scanSources(t, path)
	want := map[string]int{"XBTUSD_1440.csv": len(wantCandles(t, xbt)), "master/ETHUSD_1440.csv": len(wantCandles(t, eth))}
	a := NewArchives()
	defer a.Close()
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		got = map[string][]int{}
	)
	for range 4 {
		for member, src := range sources {
			wg.Go(func() {
				n, err := readSource(t, a, src)
				if err != nil {
					t.Errorf("%s: %v", member, err)
				}
				mu.Lock()
				got[member] = append(got[member], n)
				mu.Unlock()
			})
		}
	}
	wg.Wait()
	for member, n := range want {
		if diff := cmp.Diff([]int{n, n, n, n}, got[member]); diff != "" {
			t.Errorf("%s rows (-want +got):\n%s", member, diff)
		}
	}
	if len(a.open) != 1 || len(a.retired) != 0 {
		t.Errorf("%d zips open, %d retired; want the one zip opened once", len(a.open), len(a.retired))
	}
}

// A zip replaced on disk after it was opened is opened afresh: a member
// that is the same reads as before, one that changed is refused with
// ErrChanged, exactly as without Archives.
func TestArchivesReopenAReplacedZip(t *testing.T) {
	xbt := fixture(t, xbt1440v2022)
	dir := t.TempDir()
	path := writeFile(t, dir, "Kraken_OHLCVT.zip", buildZip(t, []zipEntry{{name: "XBTUSD_1440.csv", data: xbt}}))
	src := scanSources(t, path)["XBTUSD_1440.csv"]
	a := NewArchives()
	defer a.Close()
	if _, err := readSource(t, a, src); err != nil {
		t.Fatal(err)
	}
	first := a.open[path]

	// The same member in a new file (as a re-download writes it).
	replace := func(entries []zipEntry) {
		t.Helper()
		tmp := writeFile(t, dir, "download.tmp", buildZip(t, entries))
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}
	replace([]zipEntry{{name: "other/ETHUSD_1440.csv", data: fixture(t, eth1440)}, {name: "XBTUSD_1440.csv", data: xbt}})
	if n, err := readSource(t, a, src); err != nil || n != len(wantCandles(t, xbt)) {
		t.Fatalf("after an identical replacement: %d rows, %v", n, err)
	}
	if a.open[path] == first || len(a.retired) != 1 {
		t.Errorf("the replaced zip was not reopened")
	}

	changed := []byte(strings.Replace(string(xbt), "\n", "\n\n", 1)) // other size, other CRC
	replace([]zipEntry{{name: "XBTUSD_1440.csv", data: changed}})
	_, err := readSource(t, a, src)
	if !errors.Is(err, ErrChanged) || !strings.HasPrefix(err.Error(), "open Kraken_OHLCVT.zip/XBTUSD_1440.csv: changed since it was planned (fingerprint crc32:") {
		t.Fatalf("error = %v; want ErrChanged naming the member", err)
	}

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	_, err = readSource(t, a, src)
	if !errors.Is(err, os.ErrNotExist) || !strings.HasPrefix(err.Error(), "open Kraken_OHLCVT.zip/XBTUSD_1440.csv: open zip ") {
		t.Fatalf("error = %v; want the missing zip named", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Open(context.Background(), src); !errors.Is(err, errArchivesClosed) {
		t.Errorf("open after close: %v; want errArchivesClosed", err)
	}
}

// Errors are Open's: a file that is not a zip, and plain files through the
// same Archives.
func TestArchivesErrorsAreOpens(t *testing.T) {
	dir := t.TempDir()
	notZip := writeFile(t, dir, "Kraken_OHLCVT.zip", []byte("not a zip at all"))
	src := Source{DumpPath: notZip, IsZip: true, Member: "XBTUSD_1440.csv"}
	a := NewArchives()
	defer a.Close()
	_, got := a.Open(context.Background(), src)
	_, want := Open(context.Background(), src)
	if got == nil || want == nil || got.Error() != want.Error() {
		t.Errorf("Archives.Open: %v; Open: %v; want one error", got, want)
	}
	folder := filepath.Join(dir, "folder")
	xbt := fixture(t, xbt1440v2022)
	writeFile(t, folder, "XBTUSD_1440.csv", xbt)
	if n, err := readSource(t, a, scanSources(t, folder)["XBTUSD_1440.csv"]); err != nil || n != len(wantCandles(t, xbt)) {
		t.Errorf("plain file: %d rows, %v", n, err)
	}
}
