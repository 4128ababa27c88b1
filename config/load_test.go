package config

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

const (
	jan2020 = int64(1577836800) // 2020-01-01
	jan2024 = int64(1704067200) // 2024-01-01
)

func TestLoadDefaults(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.hcl": `
coverage "c" {
  pairs     = ["XBTUSD"]
  intervals = [60]
  from      = "2020-01-01"
}
`,
	})
	cfg := mustLoad(t, dir, LoadOptions{})
	want := &Config{
		Dir:   dir,
		State: State{Backend: "sqlite", Path: filepath.Join(dir, ".candlekeep", "state.db")},
		Sink:  Sink{Type: "sqlite", Path: filepath.Join(dir, ".candlekeep", "candles.db"), Table: "candles"},
		Coverage: []Coverage{{Name: "c", Pairs: []string{"XBTUSD"}, Intervals: []ohlc.Interval{60},
			Window: Window{From: jan2020, ToNow: true}}},
		API:       DefaultAPI(),
		Retention: DefaultRetention(),
		Variables: map[string]string{},
	}
	if diff := cmp.Diff(want, cfg, ignoreRanges); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestLoadEveryBlock(t *testing.T) {
	dir := writeTree(t, map[string]string{
		// Two files form one configuration.
		"a_store.hcl": `
state {
  backend = "postgres"
  dsn     = env("PG_DSN")
}
sink "sqlite" {
  path  = "/var/lib/candles.db"
  table = "ohlc_1"
}
dump "full" {
  path  = "dl/Kraken_OHLCVT.zip"
  until = "2024-07-01T12:00:00Z"
}
dump "q1" {
  path = "dl/kraken_ohlcvt_q1_2023.ZIP"
}
dump "folder" {
  path = "dl/csv"
}
dump "folder_q" {
  path    = "dl/csv"
  quarter = "2024-Q2"
}
dump "unzipped_q" {
  path = "dl/Kraken_OHLCVT_Q4_2018/"
}
`,
		"b_want.hcl": `
tier "TIER1" { pairs = ["XBTUSD", "ETHUSD"] }
tier "TIER2" { pairs = ["XBTUSD", "SOLUSD"] }
coverage "both" {
  tiers     = ["TIER2", "TIER1"]
  pairs     = ["ADAUSD", "ETHUSD"]
  intervals = ["1d", 60, "1h", 5, "1w"]
  from      = "2020-01-01"
  to        = "2024-01-01"
}
coverage "recent" {
  pairs     = ["XBTUSD"]
  intervals = [1]
  lookback  = "1d12h"
}
`,
		"dl/Kraken_OHLCVT.zip":         "",
		"dl/kraken_ohlcvt_q1_2023.ZIP": "",
		"dl/csv/":                      "",
		"dl/Kraken_OHLCVT_Q4_2018/":    "",
	})
	cfg := mustLoad(t, dir, LoadOptions{Environ: []string{"PG_DSN=postgres://u:p@db/ck"}})
	want := &Config{
		Dir:   dir,
		State: State{Backend: "postgres", DSN: "postgres://u:p@db/ck"},
		Sink:  Sink{Type: "sqlite", Path: "/var/lib/candles.db", Table: "ohlc_1"},
		Dumps: []Dump{
			{Name: "full", Path: filepath.Join(dir, "dl", "Kraken_OHLCVT.zip"), Kind: FullHistory, Until: 1719835200},
			{Name: "q1", Path: filepath.Join(dir, "dl", "kraken_ohlcvt_q1_2023.ZIP"), Kind: Quarterly,
				Quarter: ohlc.Span{Start: 1672531200, End: 1680307200}},
			{Name: "folder", Path: filepath.Join(dir, "dl", "csv"), Kind: FullHistory},
			{Name: "folder_q", Path: filepath.Join(dir, "dl", "csv"), Kind: Quarterly,
				Quarter: ohlc.Span{Start: 1711929600, End: 1719792000}},
			{Name: "unzipped_q", Path: filepath.Join(dir, "dl", "Kraken_OHLCVT_Q4_2018"), Kind: Quarterly,
				Quarter: ohlc.Span{Start: 1538352000, End: 1546300800}},
		},
		Tiers: []Tier{
			{Name: "TIER1", Pairs: []string{"XBTUSD", "ETHUSD"}},
			{Name: "TIER2", Pairs: []string{"XBTUSD", "SOLUSD"}},
		},
		Coverage: []Coverage{
			{Name: "both", Tiers: []string{"TIER2", "TIER1"}, Pairs: []string{"ADAUSD", "ETHUSD", "SOLUSD", "XBTUSD"},
				Intervals: []ohlc.Interval{5, 60, 1440, 10080}, Window: Window{From: jan2020, To: jan2024}},
			{Name: "recent", Pairs: []string{"XBTUSD"}, Intervals: []ohlc.Interval{1},
				Window: Window{ToNow: true, Lookback: 36 * 3600}},
		},
		API:       DefaultAPI(),
		Retention: DefaultRetention(),
		Variables: map[string]string{},
	}
	if diff := cmp.Diff(want, cfg, ignoreRanges); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := filepath.Base(cfg.Coverage[1].DeclRange.Filename); got != "b_want.hcl" {
		t.Errorf("coverage declared in %s, want b_want.hcl", got)
	}
}

// TestVariablePrecedence: default < CANDLEKEEP_VAR_ < -var-file (in order)
// < -var (in order).
func TestVariablePrecedence(t *testing.T) {
	files := map[string]string{
		"main.hcl": `
variable "from" {
  type    = string
  default = "2020-01-01"
}
variable "days" {
  type    = number
  default = 1
}
variable "pairs" {
  type    = list(string)
  default = ["XBTUSD"]
}
variable "note" {}
coverage "a" {
  pairs     = var.pairs
  intervals = [60]
  from      = var.from
}
coverage "b" {
  pairs     = ["XBTUSD"]
  intervals = [60]
  lookback  = "${var.days}d"
}
`,
		"one.vars": "from = \"2021-01-01\"\ndays = 2\n",
		"two.vars": "from = \"2022-01-01\"\npairs = [\"ETHUSD\", \"XBTUSD\"]\n",
	}
	dir := writeTree(t, files)
	one, two := filepath.Join(dir, "one.vars"), filepath.Join(dir, "two.vars")
	tests := []struct {
		name      string
		opts      LoadOptions
		wantFrom  string
		wantDays  string
		wantPairs string
	}{
		{"defaults; an undeclared environment variable is ignored",
			LoadOptions{Vars: []string{"note=x"}, Environ: []string{"CANDLEKEEP_VAR_nope=1"}}, "2020-01-01", "1", `["XBTUSD"]`},
		{"environment over default",
			LoadOptions{Environ: []string{"CANDLEKEEP_VAR_note=x", "CANDLEKEEP_VAR_from=2023-05-01", "CANDLEKEEP_VAR_days=3"}},
			"2023-05-01", "3", `["XBTUSD"]`},
		{"var file over environment",
			LoadOptions{Environ: []string{"CANDLEKEEP_VAR_note=x", "CANDLEKEEP_VAR_from=2023-05-01"}, VarFiles: []string{one}},
			"2021-01-01", "2", `["XBTUSD"]`},
		{"later var file wins", LoadOptions{Vars: []string{"note=x"}, VarFiles: []string{one, two}},
			"2022-01-01", "2", `["ETHUSD", "XBTUSD"]`},
		{"-var over var file, last -var wins",
			LoadOptions{VarFiles: []string{one, two}, Vars: []string{"note=x", "from=2019-01-01", "from=2018-01-01", `pairs=["SOLUSD"]`, "days=4"}},
			"2018-01-01", "4", `["SOLUSD"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustLoad(t, dir, tt.opts)
			got := map[string]string{"from": cfg.Variables["from"], "days": cfg.Variables["days"], "pairs": cfg.Variables["pairs"]}
			want := map[string]string{"from": tt.wantFrom, "days": tt.wantDays, "pairs": tt.wantPairs}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("variables (-want +got):\n%s", diff)
			}
			from, _ := ohlc.ParseTime(tt.wantFrom)
			if cfg.Coverage[0].Window.From != from {
				t.Errorf("var.from reached the coverage as %d, want %d", cfg.Coverage[0].Window.From, from)
			}
		})
	}
}

func TestDigest(t *testing.T) {
	src := `
variable "from" { default = "2020-01-01" }
coverage "c" {
  pairs     = ["XBTUSD"]
  intervals = [60]
  from      = var.from
}
`
	a := mustLoad(t, writeTree(t, map[string]string{"main.hcl": src}), LoadOptions{})
	b := mustLoad(t, writeTree(t, map[string]string{"main.hcl": src}), LoadOptions{})
	c := mustLoad(t, writeTree(t, map[string]string{"main.hcl": src}), LoadOptions{Vars: []string{"from=2021-01-01"}})
	d := mustLoad(t, writeTree(t, map[string]string{"other.hcl": src}), LoadOptions{})
	if a.Digest != b.Digest {
		t.Errorf("same files in another directory changed the digest")
	}
	if a.Digest == c.Digest {
		t.Errorf("a different variable value kept the digest")
	}
	if a.Digest == d.Digest {
		t.Errorf("a different file name kept the digest")
	}
}

// TestFunctions evaluates env() and the stdlib functions in real attributes.
func TestFunctions(t *testing.T) {
	environ := []string{"FROM=2021-06-01", "EMPTY=", "PAIRS=ethusd,xbtusd"}
	tests := []struct {
		name      string
		pairs     string
		from      string
		wantPairs []string
		wantFrom  string
	}{
		{"env", `["XBTUSD"]`, `env("FROM")`, []string{"XBTUSD"}, "2021-06-01"},
		{"env default unused", `["XBTUSD"]`, `env("FROM", "2000-01-01")`, []string{"XBTUSD"}, "2021-06-01"},
		{"env default", `["XBTUSD"]`, `env("NOT_SET", "2019-01-01")`, []string{"XBTUSD"}, "2019-01-01"},
		{"env set but empty", `["XBTUSD"]`, `env("EMPTY") == "" ? "2018-01-01" : "2000-01-01"`, []string{"XBTUSD"}, "2018-01-01"},
		{"split upper", `split(",", upper(env("PAIRS")))`, `"2020-01-01"`, []string{"ETHUSD", "XBTUSD"}, "2020-01-01"},
		{"concat distinct sort", `sort(distinct(concat(["XBTUSD"], ["ADAUSD", "XBTUSD"])))`, `"2020-01-01"`, []string{"ADAUSD", "XBTUSD"}, "2020-01-01"},
		{"timeadd formatdate", `["XBTUSD"]`, `formatdate("YYYY-MM-DD", timeadd("2020-01-01T00:00:00Z", "48h"))`, []string{"XBTUSD"}, "2020-01-03"},
		{"format join replace", `[replace(join("", ["XBT", "EUR"]), "EUR", "USD")]`, `format("%04d-01-01", max(2017, 2015))`, []string{"XBTUSD"}, "2017-01-01"},
		{"trimspace lower title", `[upper(trimspace("  ethusd "))]`, `"2020-01-01"`, []string{"ETHUSD"}, "2020-01-01"},
		{"substr length", `[substr("XBTUSDT", 0, strlen("XBTUSD"))]`, `"2020-01-01"`, []string{"XBTUSD"}, "2020-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"main.hcl": fmt.Sprintf(`
coverage "c" {
  pairs     = %s
  intervals = [60]
  from      = %s
}
`, tt.pairs, tt.from)})
			cfg := mustLoad(t, dir, LoadOptions{Environ: environ})
			from, _ := ohlc.ParseTime(tt.wantFrom)
			want := Coverage{Name: "c", Pairs: tt.wantPairs, Intervals: []ohlc.Interval{60}, Window: Window{From: from, ToNow: true}}
			if diff := cmp.Diff(want, cfg.Coverage[0], ignoreRanges); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
