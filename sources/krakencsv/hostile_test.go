package krakencsv

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const xbt60 = "full_until_2020-10-01/XBTUSD_60.csv"

// deflatedZeros is a deflate stream of mib MiB of zeros, about 1 KiB per
// MiB: one flushed MiB repeated (each copy's back-references land on
// zeros either way), then a final empty block.
func deflatedZeros(t *testing.T, mib int) []byte {
	t.Helper()
	var chunk bytes.Buffer
	w, err := flate.NewWriter(&chunk, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return append(bytes.Repeat(chunk.Bytes(), mib), 0x03, 0x00)
}

// rawZip is a zip of one deflated member whose header declares size
// inflated bytes, whatever stream inflates to; no CRC, as archive/zip
// allows.
func rawZip(t *testing.T, name string, stream []byte, size uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate,
		CompressedSize64: uint64(len(stream)), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(stream); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func deflated(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.DefaultCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A zip bomb is refused as a content error naming the member, by the
// scan (which would otherwise inflate all of it to count rows) and by a
// load, without inflating more than the header's size.
func TestZipBombsAreRefused(t *testing.T) {
	xbt := fixture(t, xbt1440v2022)
	fourGiB := deflatedZeros(t, 4096)
	tests := []struct {
		name    string
		stream  []byte
		size    uint64
		wantErr string // after "bomb.zip/XBTUSD_60.csv: "; PACKED is len(stream)
		atOpen  bool   // refused before a byte is read
	}{
		{"4 GiB of zeros in 4 MiB, honest header", fourGiB, 4 << 30,
			"refused as a zip bomb: its header says PACKED compressed bytes inflate to 4294967296, over 100 times (Kraken's CSV files inflate 2 to 3 times)", true},
		{"header claims 1 TiB", deflated(t, xbt), 1 << 40,
			"refused as a zip bomb: its header says PACKED compressed bytes inflate to 1099511627776, over 100 times (Kraken's CSV files inflate 2 to 3 times)", true},
		{"4 GiB of zeros, header says 2 MiB", fourGiB, 2 << 20,
			"refused as a zip bomb: it inflates past the 2097152 bytes its header declares", false},
		{"header says more than there is", deflated(t, xbt), uint64(len(xbt)) + 1,
			"unexpected EOF", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "bomb.zip", rawZip(t, "XBTUSD_60.csv", tt.stream, tt.size))
			wantErr := strings.Replace(tt.wantErr, "PACKED", strconv.Itoa(len(tt.stream)), 1)
			inv, err := scanOne(t, DumpSpec{Name: "d", Path: path}, nil)
			if err != nil {
				t.Fatalf("scan: %v; want the bomb left unprofiled, not the dump failed", err)
			}
			m := inv.Dumps[0].Members[0]
			if want := "bomb.zip/XBTUSD_60.csv: " + wantErr; m.Unprofiled != want {
				t.Errorf("unprofiled because %q; want %q", m.Unprofiled, want)
			}
			if len(inv.CacheUpdates) != 0 {
				t.Errorf("cached %+v; a bad member is not cached", inv.CacheUpdates)
			}

			archives := NewArchives()
			defer archives.Close()
			f, err := archives.Open(context.Background(), SourceOf(inv.Dumps[0], m))
			if tt.atOpen {
				if want := "open bomb.zip/XBTUSD_60.csv: " + wantErr; err == nil || err.Error() != want || !IsContentError(err) {
					t.Fatalf("open error = %v; want a content error %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := readAll(t, f); !IsContentError(err) {
				t.Errorf("read error = %v; want a content error", err)
			}
		})
	}
}

// However much a member inflates, reading it stops at its header's size.
func TestZipMemberReadsNoMoreThanItsHeaderSays(t *testing.T) {
	zipped := rawZip(t, "XBTUSD_60.csv", deflatedZeros(t, 4096), 2<<20)
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := openZipMember(zr.File[0])
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	n, err := io.Copy(io.Discard, rc)
	if !errors.Is(err, ErrZipBomb) || n > 2<<20 {
		t.Fatalf("read %d bytes, error %v; want at most 2 MiB and ErrZipBomb", n, err)
	}
}

// Member paths are labels, never places: a member named ../../etc/passwd
// is ignored (not PAIR_INTERVAL.csv) and one named ../../XBTUSD_60.csv is
// the XBTUSD hourly member by its base name, read in place; nothing is
// written anywhere.
func TestHostileMemberPaths(t *testing.T) {
	root := t.TempDir()
	xbt := fixture(t, xbt60)
	path := writeFile(t, root, "a/b/hostile.zip", buildZip(t, []zipEntry{
		{name: "../../etc/passwd", data: []byte("root:x:0:0:root:/root:/bin/sh\n")},
		{name: "../../XBTUSD_60.csv", data: xbt},
	}))
	inv, err := scanOne(t, DumpSpec{Name: "d", Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := inv.Dumps[0]
	if diff := cmp.Diff([]string{"../../etc/passwd"}, d.Ignored); diff != "" {
		t.Errorf("ignored (-want +got):\n%s", diff)
	}
	if len(d.Members) != 1 || d.Members[0].Path != "../../XBTUSD_60.csv" || d.Members[0].Profile != fixtureRows[xbt60] {
		t.Fatalf("members %+v; want ../../XBTUSD_60.csv, profiled", d.Members)
	}
	archives := NewArchives()
	defer archives.Close()
	f, err := archives.Open(context.Background(), SourceOf(d, d.Members[0]))
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(t, f)
	f.Close()
	if err != nil || len(got) != int(fixtureRows[xbt60].Rows) {
		t.Errorf("read %d rows, %v; want all %d", len(got), err, fixtureRows[xbt60].Rows)
	}
	_, err = archives.Open(context.Background(), Source{DumpPath: path, IsZip: true, Member: "../../etc/passwd"})
	if err == nil || !strings.Contains(err.Error(), "is not named PAIR_INTERVAL.csv") {
		t.Errorf("opening ../../etc/passwd: %v; want a refusal by name", err)
	}
	for _, p := range []string{"XBTUSD_60.csv", "etc", "a/XBTUSD_60.csv", "a/etc"} {
		if _, err := os.Lstat(filepath.Join(root, p)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s exists: members must never be written", p)
		}
	}
}

// Matching by base name is consistent: a hostile path naming a series the
// zip already holds is a second file for it, and the dump is refused.
func TestHostilePathDuplicatingASeries(t *testing.T) {
	xbt := fixture(t, xbt60)
	path := writeFile(t, t.TempDir(), "hostile.zip", buildZip(t, []zipEntry{
		{name: "XBTUSD_60.csv", data: xbt},
		{name: "../../XBTUSD_60.csv", data: xbt},
	}))
	_, err := scanOne(t, DumpSpec{Name: "d", Path: path}, nil)
	if want := `dump "d": two files for XBTUSD/60: XBTUSD_60.csv and ../../XBTUSD_60.csv`; err == nil || err.Error() != want {
		t.Fatalf("error = %v; want %s", err, want)
	}
}

// A symlink loop in a dump folder ends the walk: a looping folder link is
// not followed (ignored), and a looping file link is an error naming it.
func TestScanSymlinkLoops(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "STORJUSD_60.csv", fixture(t, storj60))
	if err := os.Symlink(".", filepath.Join(dir, "again")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	// Links of other names that loop or dangle are ignored unopened: they
	// must not stop the scan.
	for _, link := range [][2]string{{"loop", "loop"}, {"notes.txt", "/nonexistent/x.csv"}} {
		if err := os.Symlink(link[1], filepath.Join(dir, link[0])); err != nil {
			t.Fatal(err)
		}
	}
	inv, err := scanOne(t, DumpSpec{Name: "d", Path: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := inv.Dumps[0]; len(d.Members) != 1 || !cmp.Equal(d.Ignored, []string{"again", "loop", "notes.txt"}) {
		t.Errorf("members %+v, ignored %q; want STORJUSD_60.csv and the links ignored", d.Members, d.Ignored)
	}

	for _, link := range [][2]string{{"XBTUSD_60.csv", "ETHUSD_60.csv"}, {"ETHUSD_60.csv", "XBTUSD_60.csv"}} {
		if err := os.Symlink(link[1], filepath.Join(dir, link[0])); err != nil {
			t.Fatal(err)
		}
	}
	_, err = scanOne(t, DumpSpec{Name: "d", Path: dir}, nil)
	if err == nil || !strings.Contains(err.Error(), "ETHUSD_60.csv: too many levels of symbolic links") || !strings.HasPrefix(err.Error(), `dump "d": `) {
		t.Fatalf("error = %v; want the looping link named", err)
	}
}
