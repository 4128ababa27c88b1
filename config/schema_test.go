package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// TestSchemaReference decodes the repository's schema.hcl, so that the
// reference cannot drift from what Load accepts.
func TestSchemaReference(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "schema.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	dir := writeTree(t, map[string]string{
		"schema.hcl":                          string(src),
		"downloads/Kraken_OHLCVT.zip":         "",
		"downloads/Kraken_OHLCVT_Q3_2024.zip": "",
		"downloads/q4-2024/":                  "",
	})
	cfg := mustLoad(t, dir, LoadOptions{})

	day := int64(86400)
	want := &Config{
		Dir:   dir,
		State: State{Backend: "sqlite", Path: filepath.Join(dir, ".candlekeep/state.db")},
		Sink:  Sink{Type: "sqlite", Path: filepath.Join(dir, ".candlekeep/candles.db"), Table: "candles"},
		Dumps: []Dump{
			{Name: "full", Path: filepath.Join(dir, "downloads/Kraken_OHLCVT.zip"), Kind: FullHistory, Until: 1719792000},
			{Name: "q3_2024", Path: filepath.Join(dir, "downloads/Kraken_OHLCVT_Q3_2024.zip"), Kind: Quarterly,
				Quarter: ohlc.Span{Start: 1719792000, End: 1727740800}},
			{Name: "q4_2024", Path: filepath.Join(dir, "downloads/q4-2024"), Kind: Quarterly,
				Quarter: ohlc.Span{Start: 1727740800, End: 1735689600}},
		},
		Tiers: []Tier{
			{Name: "TIER1", Pairs: []string{"XBTUSD", "ETHUSD"}},
			{Name: "TIER2", Pairs: []string{"SOLUSD", "ADAUSD"}},
		},
		Coverage: []Coverage{
			{Name: "majors", Tiers: []string{"TIER1"}, Pairs: []string{"ETHUSD", "SOLUSD", "XBTUSD"},
				Intervals: []ohlc.Interval{60, 1440}, Window: Window{From: 1577836800, ToNow: true}},
			{Name: "recent", Tiers: []string{"TIER1", "TIER2"}, Pairs: []string{"ADAUSD", "DOTUSD", "ETHUSD", "SOLUSD", "XBTUSD"},
				Intervals: []ohlc.Interval{5, 15}, Window: Window{ToNow: true, Lookback: 30 * day},
				Freshness: Freshness{WarnAfter: 2 * time.Hour, ErrorAfter: 26 * time.Hour}, LostSeverity: SeverityError},
			{Name: "halfdays", Tiers: []string{"TIER1"}, Pairs: []string{"ETHUSD", "XBTUSD"},
				Intervals: []ohlc.Interval{720}, Window: Window{From: 1704067200, ToNow: true}, DeriveFrom: []ohlc.Interval{60, 240}},
		},
		API: API{Enabled: true, BaseURL: "https://api.kraken.com", RateLimit: 50.0 / 60, Burst: 1,
			MaxRetries: 8, Timeout: time.Minute, Margin: 20, Settle: time.Hour,
			Rebuild: Rebuild{Enabled: true, MaxRequests: 1800, MaxDuration: 30 * time.Minute, PairRateLimit: 0.5, TradesPerDay: 50000}},
		Retention: Retention{Gaps: 60 * 24 * time.Hour, Runs: DefaultRunRetention},
		Variables: map[string]string{"history_from": "2020-01-01", "recent_days": "30", "extra_pairs": `["dotusd"]`},
	}
	if diff := cmp.Diff(want, cfg, ignoreRanges); diff != "" {
		t.Errorf("schema.hcl decoded wrong (-want +got):\n%s", diff)
	}
	formatted, diags := FormatFile("schema.hcl", src)
	if diags.HasErrors() || string(formatted) != string(src) {
		t.Errorf("schema.hcl is not canonically formatted; run candlekeep fmt on it")
	}
	if len(cfg.Digest) != 64 {
		t.Errorf("digest %q is not a SHA-256 hex", cfg.Digest)
	}
}

// TestSchemaReferenceQuestDB decodes the commented-out questdb sink of
// schema.hcl, so that the alternative it shows stays valid too.
func TestSchemaReferenceQuestDB(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "schema.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	block := commentedBlock(t, string(src), `# sink "questdb" {`)
	dir := writeTree(t, map[string]string{"main.hcl": block})
	environ := []string{"QDB_ADDR=questdb.internal:9000", "QDB_USER=ingest", "QDB_PASSWORD=a;b"}
	cfg := mustLoad(t, dir, LoadOptions{Environ: environ})
	want := Sink{Type: "questdb", Table: "candles",
		Conf: "https::addr=questdb.internal:9000;username=ingest;password=a;;b;"}
	if diff := cmp.Diff(want, cfg.Sink); diff != "" {
		t.Errorf("questdb sink of schema.hcl decoded wrong (-want +got):\n%s", diff)
	}
}

// commentedBlock returns the block of src that starts at the comment line
// first and ends at the next "# }", uncommented.
func commentedBlock(t *testing.T, src, first string) string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(src, "\n") {
		if len(out) == 0 && line != first {
			continue
		}
		out = append(out, strings.TrimPrefix(strings.TrimPrefix(line, "#"), " "))
		if line == "# }" {
			return strings.Join(out, "\n") + "\n"
		}
	}
	t.Fatalf("no block %q ... \"# }\" in schema.hcl", first)
	return ""
}
