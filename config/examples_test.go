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

// TestNightlyExample loads examples/nightly as a user's machine would see
// it: the downloads it names exist and the state DSN is in the
// environment. It must load without a single diagnostic.
func TestNightlyExample(t *testing.T) {
	const dsn = "postgres://candlekeep:pw@db.internal/candlekeep"
	cfg, dir := loadExample(t, "nightly", []string{"CANDLEKEEP_STATE_DSN=" + dsn})

	if diff := cmp.Diff(State{Backend: "postgres", DSN: dsn}, cfg.State); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
	wantAPI := API{Enabled: true, BaseURL: "https://api.kraken.com", RateLimit: 1, Burst: 1, MaxRetries: 5,
		Timeout: 30 * time.Second, Margin: 10, Settle: time.Hour, Rebuild: DefaultRebuild()}
	if diff := cmp.Diff(wantAPI, cfg.API); diff != "" {
		t.Errorf("api (-want +got):\n%s", diff)
	}
	wantDumps := []Dump{
		{Name: "full", Path: filepath.Join(dir, "downloads", "Kraken_OHLCVT.zip"), Kind: FullHistory},
		{Name: "q3_2026", Path: filepath.Join(dir, "downloads", "Kraken_OHLCVT_Q3_2026"), Kind: Quarterly,
			Quarter: ohlc.Span{Start: 1782864000, End: 1790812800}}, // 2026-07-01 to 2026-10-01
	}
	if diff := cmp.Diff(wantDumps, cfg.Dumps, ignoreRanges); diff != "" {
		t.Errorf("dumps (-want +got):\n%s", diff)
	}

	got := coverageSummary(cfg)
	want := []coverageLine{
		{"hourly", 6, []ohlc.Interval{60}, Window{From: 1640995200, ToNow: true}},   // 2022-01-01
		{"daily", 10, []ohlc.Interval{1440}, Window{From: 1609459200, ToNow: true}}, // 2021-01-01
		{"recent", 2, []ohlc.Interval{5, 15}, Window{ToNow: true, Lookback: 7 * 86400}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("coverage (-want +got):\n%s", diff)
	}
	if cfg.Variables["downloads"] != "downloads" {
		t.Errorf("downloads variable = %q, want its default", cfg.Variables["downloads"])
	}
}

// TestQuestDBExample loads examples/questdb with the QuestDB credentials
// and the state DSN in the environment, as its README sets them.
func TestQuestDBExample(t *testing.T) {
	const dsn = "postgres://candlekeep:pw@db.internal/candlekeep"
	cfg, dir := loadExample(t, "questdb", []string{"CANDLEKEEP_STATE_DSN=" + dsn,
		"QDB_ADDR=questdb.internal:9000", "QDB_USER=candlekeep", "QDB_PASSWORD=Pw9xQ;Zr7kM"})

	if diff := cmp.Diff(State{Backend: "postgres", DSN: dsn}, cfg.State); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
	wantSink := Sink{Type: "questdb", Table: "candles",
		Conf: "https::addr=questdb.internal:9000;username=candlekeep;password=Pw9xQ;;Zr7kM;"}
	if diff := cmp.Diff(wantSink, cfg.Sink); diff != "" {
		t.Errorf("sink (-want +got):\n%s", diff)
	}
	wantDumps := []Dump{
		{Name: "full", Path: filepath.Join(dir, "downloads", "Kraken_OHLCVT.zip"), Kind: FullHistory},
		{Name: "q3_2026", Path: filepath.Join(dir, "downloads", "Kraken_OHLCVT_Q3_2026"), Kind: Quarterly,
			Quarter: ohlc.Span{Start: 1782864000, End: 1790812800}}, // 2026-07-01 to 2026-10-01
	}
	if diff := cmp.Diff(wantDumps, cfg.Dumps, ignoreRanges); diff != "" {
		t.Errorf("dumps (-want +got):\n%s", diff)
	}
	if !cfg.API.Enabled || cfg.API.RateLimit != 1 {
		t.Errorf("api = %+v, want enabled at 1 request per second", cfg.API)
	}
	got := coverageSummary(cfg)
	want := []coverageLine{
		{"hourly", 6, []ohlc.Interval{60}, Window{From: 1609459200, ToNow: true}},   // 2021-01-01
		{"daily", 10, []ohlc.Interval{1440}, Window{From: 1546300800, ToNow: true}}, // 2019-01-01
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("coverage (-want +got):\n%s", diff)
	}
}

// loadExample copies examples/NAME's configuration files into a fresh
// directory holding the downloads both examples name, as on a user's
// machine, and loads it with environ. It must load without a single
// diagnostic, and its files must be canonically formatted.
// coverageLine is what the example tests check of a coverage block.
type coverageLine struct {
	Name      string
	Pairs     int
	Intervals []ohlc.Interval
	Window    Window
}

func coverageSummary(cfg *Config) []coverageLine {
	var out []coverageLine
	for _, c := range cfg.Coverage {
		out = append(out, coverageLine{c.Name, len(c.Pairs), c.Intervals, c.Window})
	}
	return out
}

func loadExample(t *testing.T, name string, environ []string) (*Config, string) {
	t.Helper()
	src := filepath.Join("..", "examples", name)
	names, err := ConfigFiles(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatalf("no configuration files in %s", src)
	}
	files := map[string]string{
		"downloads/Kraken_OHLCVT.zip":      "", // a tiny valid zip
		"downloads/Kraken_OHLCVT_Q3_2026/": "",
	}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		formatted, diags := FormatFile(filepath.Base(name), b)
		if diags.HasErrors() || string(formatted) != string(b) {
			t.Errorf("%s is not canonically formatted; run candlekeep fmt on it", name)
		}
		files[filepath.Base(name)] = string(b)
	}
	dir := writeTree(t, files)
	cfg, diags := Load(dir, LoadOptions{Environ: environ})
	if len(diags) > 0 {
		var b strings.Builder
		_ = WriteDiagnostics(&b, cfg.Files, diags, 0, false)
		t.Fatalf("diagnostics:\n%s", b.String())
	}
	return cfg, dir
}
