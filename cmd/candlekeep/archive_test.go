package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/feefifofunds/candlekeep/bench/archive"
)

// TestWholeArchiveScaledDown plans and applies an archive shaped like
// Kraken's full history (bench/archive), scaled down: 264 members flat
// under master_q4/, an AppleDouble twin of each under __MACOSX/, some
// pairs lacking some intervals. The twins are one note, every member
// loads, the sink holds every row, and the next plan has nothing to do.
// bench/archive.sh runs the full size by hand.
func TestWholeArchiveScaledDown(t *testing.T) {
	rows, err := os.ReadFile("../../examples/quickstart/data/Kraken_OHLCVT_2020-10-01/XBTUSD_60.csv")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "Kraken_OHLCVT.zip"))
	if err != nil {
		t.Fatal(err)
	}
	members, err := archive.Write(f, archive.Spec{Pairs: 40, Scale: 0.002, Rows: rows})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, m := range members {
		total += m.Rows
	}
	config := archive.Config("Kraken_OHLCVT.zip", 40)
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	cli := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"-chdir=" + dir}, args...), strings.NewReader(""), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}

	code, stdout, stderr := cli("apply", "-auto-approve", "-no-color", "-now=2025-02-01")
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if want := "Note: dump \"full\": ignored 264 macOS metadata files (__MACOSX/, ._*)\n"; len(members) != 264 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, want) {
		t.Errorf("%d members; stderr should be the one note %q:\n%s", len(members), want, stderr)
	}
	// Every fifth pair lacks 240 and 720: those series are unfillable.
	for _, want := range []string{"Apply complete: 264 CSV loads, 31,590 candles written", "16 unfillable gaps recorded"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("apply output lacks %q:\n%s", want, stdout)
		}
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, ".candlekeep", "candles.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var stored int
	if err := db.QueryRow("SELECT count(*) FROM candles").Scan(&stored); err != nil || stored != total || total != 31590 {
		t.Errorf("the sink holds %d candles (%v); the archive has %d", stored, err, total)
	}
	if code, stdout, _ := cli("plan", "-no-color", "-now=2025-02-01", "-detailed-exitcode"); code != 0 || !strings.HasPrefix(stdout, "No changes.") {
		t.Errorf("plan after apply: exit %d\n%s", code, stdout)
	}
}
