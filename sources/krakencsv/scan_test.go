package krakencsv

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

const (
	xbt1440v2021 = "full_until_2021-04-01/XBTUSD_1440.csv"
	ada1440      = "full_until_2021-04-01/ADAUSD_1440.csv"
	eth1440      = "full_until_2021-04-01/ETHUSD_1440.csv"
	xmr1440      = "full_until_2021-04-01/XMRUSD_1440.csv"
	xbt1440v2022 = "full_until_2022-07-01/XBTUSD_1440.csv"
	storj60      = "full_until_2020-10-01/STORJUSD_60.csv"
)

func fixture(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// writeFile writes data at dir/rel, making folders as needed.
func writeFile(t *testing.T, dir, rel string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type zipEntry struct {
	name  string
	data  []byte
	store bool // no compression, so tests can corrupt the bytes in place
}

func buildZip(t *testing.T, entries []zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		method := zip.Deflate
		if e.store {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func modTime(t *testing.T, path string) int64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.ModTime().UnixNano()
}

func sha256Of(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func crcOf(data []byte) string {
	return fmt.Sprintf("crc32:%08x:%d", crc32.ChecksumIEEE(data), len(data))
}

func scanOne(t *testing.T, spec DumpSpec, known map[string]CacheEntry) (*Inventory, error) {
	t.Helper()
	return Scan(context.Background(), []DumpSpec{spec}, known)
}

// 2021-04-01 00:00 UTC: the day after the last daily candle of the 2021 files.
const april2021 = 1617235200

func TestScanFolderFindsNestedMembersAndIgnoresTheRest(t *testing.T) {
	dir := t.TempDir()
	xbt, ada := fixture(t, xbt1440v2021), fixture(t, ada1440)
	xbtPath := writeFile(t, dir, "master_q4/XBTUSD_1440.csv", xbt)
	adaPath := writeFile(t, dir, "ADAUSD_1440.csv", ada)
	for _, ignored := range []string{"README.txt", "notes/xbtusd_60.csv", "XBTUSD_2.csv", "XBTUSD_10080.csv", "XBT-USD_60.csv"} {
		writeFile(t, dir, ignored, []byte("x"))
	}
	inv, err := scanOne(t, DumpSpec{Name: "full", Path: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := inv.Dumps[0]
	want := &Dump{
		Spec: DumpSpec{Name: "full", Path: dir}, Kind: FullHistory, Cutoff: april2021,
		Members: []Member{
			{Dump: "full", Path: "ADAUSD_1440.csv", Series: ohlc.Series{Pair: "ADAUSD", Interval: 1440}, Size: int64(len(ada)),
				Fingerprint: sha256Of(ada), ModTime: modTime(t, adaPath), Profile: fixtureRows[ada1440]},
			{Dump: "full", Path: "master_q4/XBTUSD_1440.csv", Series: ohlc.Series{Pair: "XBTUSD", Interval: 1440}, Size: int64(len(xbt)),
				Fingerprint: sha256Of(xbt), ModTime: modTime(t, xbtPath), Profile: fixtureRows[xbt1440v2021]},
		},
		Ignored: []string{"README.txt", "XBT-USD_60.csv", "XBTUSD_10080.csv", "XBTUSD_2.csv", "notes/xbtusd_60.csv"},
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("dump (-want +got):\n%s", diff)
	}
	if len(inv.CacheUpdates) != 2 || !strings.HasPrefix(inv.CacheUpdates[0].Key, "file:") {
		t.Errorf("cache updates = %+v; want one file: entry per member", inv.CacheUpdates)
	}
	if len(inv.Digest) != 64 {
		t.Errorf("digest %q is not a SHA-256", inv.Digest)
	}
	if got := d.Covers(ohlc.Series{Pair: "XBTUSD", Interval: 1440}); got != (ohlc.Span{Start: 0, End: april2021}) {
		t.Errorf("Covers = %v", got)
	}
}

func TestScanZipReadsMembersInPlace(t *testing.T) {
	dir := t.TempDir()
	xbt, eth, ada, xmr := fixture(t, xbt1440v2021), fixture(t, eth1440), fixture(t, ada1440), fixture(t, xmr1440)
	zipPath := writeFile(t, dir, "dl/Kraken_OHLCVT.zip", buildZip(t, []zipEntry{
		{name: "master_q4/"},
		{name: "master_q4/XBTUSD_1440.csv", data: xbt},
		{name: "master_q4/ETHUSD_1440.csv", data: eth, store: true},
		{name: "../escape/ADAUSD_1440.csv", data: ada},
		{name: "/abs/XMRUSD_1440.csv", data: xmr},
		{name: "master_q4/readme.txt", data: []byte("hello")},
	}))
	inv, err := scanOne(t, DumpSpec{Name: "full", Path: zipPath}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := inv.Dumps[0]
	type row struct {
		Path, Fingerprint string
		Profile           Profile
	}
	var got []row
	for _, m := range d.Members {
		got = append(got, row{m.Path, m.Fingerprint, m.Profile})
	}
	want := []row{
		{"../escape/ADAUSD_1440.csv", crcOf(ada), fixtureRows[ada1440]},
		{"master_q4/ETHUSD_1440.csv", crcOf(eth), fixtureRows[eth1440]},
		{"master_q4/XBTUSD_1440.csv", crcOf(xbt), fixtureRows[xbt1440v2021]},
		{"/abs/XMRUSD_1440.csv", crcOf(xmr), fixtureRows[xmr1440]},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"master_q4/readme.txt"}, d.Ignored); diff != "" {
		t.Errorf("ignored (-want +got):\n%s", diff)
	}
	if !d.IsZip || d.Kind != FullHistory || d.Cutoff != april2021 {
		t.Errorf("IsZip %v, Kind %q, Cutoff %d; want a full zip with cutoff %d", d.IsZip, d.Kind, d.Cutoff, april2021)
	}
	for _, p := range []string{filepath.Join(dir, "escape"), filepath.Join(dir, "dl", "master_q4")} {
		if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s exists: scanning must not extract anything", p)
		}
	}
}

func TestScanKindAndQuarter(t *testing.T) {
	dir := t.TempDir()
	member := []zipEntry{{name: "XBTUSD_1440.csv", data: fixture(t, xbt1440v2021)}}
	q3 := ohlc.Span{Start: 1609459200, End: 1617235200} // 2021-01-01 → 2021-04-01, the files' last quarter
	q1 := ohlc.Span{Start: 1601510400, End: 1609459200} // 2020-10-01 → 2021-01-01
	tests := []struct {
		name        string
		file        string // zip file name; empty = a folder
		folder      string // the folder's name, when it matters
		spec        DumpSpec
		wantKind    Kind
		wantQuarter ohlc.Span
		wantCutoff  int64
		wantErr     string
	}{
		{name: "quarterly by name", file: "Kraken_OHLCVT_Q1_2021.zip", wantKind: Quarterly, wantQuarter: q3},
		{name: "name in other case", file: "kraken_ohlcvt_q1_2021.ZIP", wantKind: Quarterly, wantQuarter: q3},
		{name: "declared quarter wins", file: "Kraken_OHLCVT_Q1_2021.zip", spec: DumpSpec{Quarter: q1}, wantKind: Quarterly, wantQuarter: q1},
		{name: "declared full wins", file: "Kraken_OHLCVT_Q1_2021.zip", spec: DumpSpec{Kind: FullHistory}, wantKind: FullHistory, wantCutoff: april2021},
		{name: "other names are full", file: "Kraken_OHLCVT.zip", wantKind: FullHistory, wantCutoff: april2021},
		{name: "declared until", file: "Kraken_OHLCVT.zip", spec: DumpSpec{Until: 1600000000}, wantKind: FullHistory, wantCutoff: 1600000000},
		{name: "declared quarterly folder", spec: DumpSpec{Kind: Quarterly, Quarter: q1}, wantKind: Quarterly, wantQuarter: q1},
		// An unzipped quarterly download is a folder named like the zip.
		{name: "quarterly folder by name", folder: "Kraken_OHLCVT_Q1_2021", wantKind: Quarterly, wantQuarter: q3},
		{name: "quarterly folder in other case", folder: "KRAKEN_ohlcvt_q1_2021", wantKind: Quarterly, wantQuarter: q3},
		{name: "quarterly folder declared full", folder: "Kraken_OHLCVT_Q1_2021", spec: DumpSpec{Kind: FullHistory}, wantKind: FullHistory, wantCutoff: april2021},
		{name: "other folders are full", folder: "Kraken_OHLCVT_Q1_2021_old", wantKind: FullHistory, wantCutoff: april2021},
		{name: "quarterly without a quarter", spec: DumpSpec{Kind: Quarterly}, wantErr: "is not named like Kraken_OHLCVT_Q1_2024.zip"},
		// A declared quarter no row lies in would be covered as "no trades".
		{name: "quarter without rows", folder: "x", spec: DumpSpec{Kind: Quarterly, Quarter: ohlc.Span{Start: 1704067200, End: 1711929600}}, wantErr: "the declared quarter 2024-01-01 00:00 → 2024-04-01 00:00 holds no row of any of its files (the newest candle ends 2021-04-01 00:00)"},
		{name: "until far past the rows", file: "Kraken_OHLCVT.zip", spec: DumpSpec{Until: 1775001600}, wantErr: "until 2026-04-01 00:00 is 1826d after the newest candle ends (2021-04-01 00:00)"},
		{name: "unknown kind", file: "x.zip", spec: DumpSpec{Kind: "weekly"}, wantErr: `kind "weekly" is neither "full" nor "quarterly"`},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := tt.spec
			spec.Name = "d"
			if tt.file == "" {
				spec.Path = filepath.Join(dir, fmt.Sprint("folder", i), tt.folder)
				writeFile(t, spec.Path, "XBTUSD_1440.csv", fixture(t, xbt1440v2021))
			} else {
				spec.Path = writeFile(t, filepath.Join(dir, fmt.Sprint(i)), tt.file, buildZip(t, member))
			}
			inv, err := scanOne(t, spec, nil)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), `dump "d": `) {
					t.Fatalf("error = %v; want one naming the dump and containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d := inv.Dumps[0]
			type result struct {
				Kind    Kind
				Quarter ohlc.Span
				Cutoff  int64
			}
			if diff := cmp.Diff(result{tt.wantKind, tt.wantQuarter, tt.wantCutoff}, result{d.Kind, d.Quarter, d.Cutoff}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestScanRefusesBrokenDumps(t *testing.T) {
	dir := t.TempDir()
	xbt := fixture(t, xbt1440v2022)
	good := buildZip(t, []zipEntry{{name: "XBTUSD_1440.csv", data: xbt, store: true}})
	twice := filepath.Join(dir, "twice")
	writeFile(t, twice, "a/STORJUSD_60.csv", fixture(t, storj60))
	writeFile(t, twice, "b/STORJUSD_60.csv", fixture(t, storj60))

	tests := []struct {
		name, path, wantErr string
	}{
		{"truncated zip", writeFile(t, dir, "trunc.zip", good[:len(good)/2]), "trunc.zip is not a valid zip file (corrupt or truncated)"},
		{"csv given as a zip", writeFile(t, dir, "XBTUSD_1440.csv", xbt), "XBTUSD_1440.csv is not a valid zip file (corrupt or truncated)"},
		{"missing path", filepath.Join(dir, "nope.zip"), "no such file or directory"},
		{"two files of one series", twice, "two files for STORJUSD/60: a/STORJUSD_60.csv and b/STORJUSD_60.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scanOne(t, DumpSpec{Name: "broken", Path: tt.path}, nil)
			if err == nil || !strings.HasPrefix(err.Error(), `dump "broken": `) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v; want `dump \"broken\": …%s…`", err, tt.wantErr)
			}
		})
	}
}

// A damaged member fails its own load, not the scan of the whole dump.
func TestScanToleratesOneDamagedMember(t *testing.T) {
	dir := t.TempDir()
	xbt := fixture(t, xbt1440v2022)
	ada := fixture(t, ada1440)
	good := buildZip(t, []zipEntry{{name: "XBTUSD_1440.csv", data: xbt, store: true}, {name: "ADAUSD_1440.csv", data: ada}})
	// A stored member's bytes sit in the zip as they are: change one digit
	// of the last trade count, so the row stays valid but the CRC does not.
	corrupt := bytes.Clone(good)
	corrupt[bytes.Index(corrupt, xbt)+len(xbt)-2]++
	path := writeFile(t, dir, "crc.zip", corrupt)

	inv, err := scanOne(t, DumpSpec{Name: "d", Path: path}, nil)
	if err != nil {
		t.Fatalf("scan failed for one damaged member: %v", err)
	}
	d := inv.Dumps[0]
	if len(d.Members) != 2 || d.Members[1].Series.Pair != "XBTUSD" || d.Members[1].Profile != (Profile{}) ||
		d.Members[1].Unprofiled != "crc.zip/XBTUSD_1440.csv: zip: checksum error" {
		t.Fatalf("members = %+v; want both, the damaged one unprofiled", d.Members)
	}
	if len(inv.CacheUpdates) != 1 || inv.CacheUpdates[0].Fingerprint != d.Members[0].Fingerprint {
		t.Errorf("cache updates = %+v; want only the healthy member", inv.CacheUpdates)
	}
	if _, err := readFile(t, SourceOf(d, d.Members[1])); !errors.Is(err, zip.ErrChecksum) {
		t.Errorf("loading the damaged member: %v; want zip's checksum error", err)
	}
}

func TestScanEmptyFolderIsAnEmptyDump(t *testing.T) {
	inv, err := scanOne(t, DumpSpec{Name: "empty", Path: t.TempDir()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := inv.Dumps[0]; len(d.Members) != 0 || d.Cutoff != 0 || d.Kind != FullHistory {
		t.Errorf("dump = %+v; want a full dump with no members", d)
	}
}

func TestScanDoesNotFollowSymlinkedFolders(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "STORJUSD_60.csv", fixture(t, storj60))
	if err := os.Symlink(dir, filepath.Join(dir, "loop")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	inv, err := scanOne(t, DumpSpec{Name: "d", Path: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := inv.Dumps[0]; len(d.Members) != 1 || !cmp.Equal(d.Ignored, []string{"loop"}) {
		t.Errorf("members %+v, ignored %q; want STORJUSD_60.csv once and the link ignored", d.Members, d.Ignored)
	}
	// A dump path that is itself a link is followed.
	link := filepath.Join(t.TempDir(), "dl")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	inv, err = scanOne(t, DumpSpec{Name: "d", Path: link}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := inv.Dumps[0]; len(d.Members) != 1 || d.Members[0].Path != "STORJUSD_60.csv" {
		t.Errorf("through a link: members %+v; want STORJUSD_60.csv", d.Members)
	}
}

func TestScanCacheHitSkipsReading(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "STORJUSD_60.csv", fixture(t, storj60))
	spec := DumpSpec{Name: "d", Path: dir}
	first, err := scanOne(t, spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	// An entry no read of the file could give proves it was not read.
	known := map[string]CacheEntry{}
	for _, e := range first.CacheUpdates {
		e.Fingerprint = "sha256:known"
		e.Profile.Rows = 7
		known[e.Key] = e
	}
	second, err := scanOne(t, spec, known)
	if err != nil {
		t.Fatal(err)
	}
	if m := second.Dumps[0].Members[0]; m.Fingerprint != "sha256:known" || m.Profile.Rows != 7 {
		t.Errorf("member %+v: the file was read despite its cache entry", m)
	}
	if len(second.CacheUpdates) != 0 {
		t.Errorf("second scan: %d cache updates, want none", len(second.CacheUpdates))
	}
}

// A file rewritten in place with its size and modification time put back
// is read again: the cache key holds the inode's change time, which no
// user call can set back.
func TestScanCacheMissesRewriteKeepingSizeAndTime(t *testing.T) {
	dir := t.TempDir()
	storj := fixture(t, storj60)
	path := writeFile(t, dir, "STORJUSD_60.csv", storj)
	spec := DumpSpec{Name: "d", Path: dir}
	first, err := scanOne(t, spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]CacheEntry{}
	for _, e := range first.CacheUpdates {
		known[e.Key] = e
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, bytes.Repeat([]byte{'x'}, len(storj)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, time.Time{}, info.ModTime()); err != nil {
		t.Fatal(err)
	}
	second, err := scanOne(t, spec, known)
	if err != nil {
		t.Fatal(err)
	}
	if second.Dumps[0].Members[0].Fingerprint == first.Dumps[0].Members[0].Fingerprint {
		t.Error("a rewrite keeping size and modification time kept the cached fingerprint")
	}
}

func TestScanZipCacheHitUsesTheKnownProfile(t *testing.T) {
	xbt := fixture(t, xbt1440v2022)
	path := writeFile(t, t.TempDir(), "Kraken_OHLCVT.zip", buildZip(t, []zipEntry{{name: "XBTUSD_1440.csv", data: xbt}}))
	// A profile no read of the member could give proves it was not read.
	planted := Profile{Rows: 7, First: 86400, Last: 7 * 86400}
	known := map[string]CacheEntry{crcOf(xbt): {Key: crcOf(xbt), Fingerprint: crcOf(xbt), Profile: planted}}
	inv, err := scanOne(t, DumpSpec{Name: "z", Path: path}, known)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(planted, inv.Dumps[0].Members[0].Profile); diff != "" {
		t.Errorf("profile (-want +got):\n%s", diff)
	}
	if len(inv.CacheUpdates) != 0 || inv.Dumps[0].Cutoff != 8*86400 {
		t.Errorf("cache updates %v, cutoff %d; want none and %d", inv.CacheUpdates, inv.Dumps[0].Cutoff, 8*86400)
	}
}

func TestScanHonoursCancellation(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "STORJUSD_60.csv", fixture(t, storj60))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Scan(ctx, []DumpSpec{{Name: "d", Path: dir}}, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v; want context.Canceled", err)
	}
}

func TestDigestDependsOnContent(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a/XBTUSD_1440.csv", fixture(t, xbt1440v2021))
	b := writeFile(t, dir, "b/XBTUSD_1440.csv", fixture(t, xbt1440v2022))
	digest := func(path string) string {
		inv, err := scanOne(t, DumpSpec{Name: "d", Path: filepath.Dir(path)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return inv.Digest
	}
	if digest(a) == digest(b) {
		t.Error("two dumps with different content have the same digest")
	}
	if digest(a) != digest(a) {
		t.Error("the digest of one dump is not stable")
	}
}

// TestZipFingerprint: the fingerprint built by hand reads exactly as
// "crc32:%08x:%d" would, leading zeros included.
func TestZipFingerprint(t *testing.T) {
	tests := []struct {
		crc  uint32
		size uint64
	}{
		{0, 0}, {1, 1}, {0xdeadbeef, 123456789}, {0x0000abcd, 1 << 40}, {0xffffffff, 1<<64 - 1},
	}
	for _, tt := range tests {
		want := fmt.Sprintf("crc32:%08x:%d", tt.crc, tt.size)
		got := zipFingerprint(&zip.File{FileHeader: zip.FileHeader{CRC32: tt.crc, UncompressedSize64: tt.size}})
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
}

// TestSortMembers: sorting through an index orders members by series as
// sorting the structs does, whatever order the dump listed them in.
func TestSortMembers(t *testing.T) {
	var want []Member
	for _, pair := range []string{"ADAUSD", "ETHUSD", "XBTUSD"} {
		for _, iv := range []ohlc.Interval{1, 5, 15, 60, 1440} {
			want = append(want, Member{Path: fmt.Sprintf("%s_%d.csv", pair, iv), Series: ohlc.Series{Pair: pair, Interval: iv}})
		}
	}
	for _, order := range [][]int{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14},
		{14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
		{10, 0, 4, 2, 1, 3, 14, 5, 9, 8, 7, 6, 12, 11, 13}, // as a zip lists names: _1, _1440, _15, _5, _60
	} {
		got := make([]Member, len(order))
		for i, k := range order {
			got[i] = want[k]
		}
		sortMembers(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("order %v: (-want +got):\n%s", order, diff)
		}
	}
}
