package config

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

const okCoverage = `
tier "TIER1" { pairs = ["XBTUSD"] }
tier "TIER2" { pairs = ["ETHUSD"] }
`

// TestLoadErrors checks that each mistake is a diagnostic naming the right
// file and line with a helpful message, and that several mistakes are
// reported together.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		opts    LoadOptions
		want    []diagSummary
		details []string // each must appear in some diagnostic's detail
	}{
		{
			name:  "syntax errors in two files",
			files: map[string]string{"a.hcl": "tier \"T\" {\n  pairs = [\"XBTUSD\"\n}\n", "b.hcl": "\n\ncoverage {\n"},
			want: []diagSummary{
				{hcl.DiagError, "Missing item separator", "a.hcl", 3},
				{hcl.DiagError, "Unclosed configuration block", "b.hcl", 3},
			},
		},
		{
			name: "unknown tier",
			files: map[string]string{"main.hcl": okCoverage + `
coverage "c" {
  tiers     = ["TIER1", "TEIR2"]
  intervals = [60]
  from      = "2020-01-01"
}
`},
			want:    []diagSummary{{hcl.DiagError, "Unknown tier", "main.hcl", 6}},
			details: []string{`No tier "TEIR2" is declared. Did you mean "TIER2"?`},
		},
		{
			name: "interval 3",
			files: map[string]string{"main.hcl": `
coverage "c" {
  pairs     = ["XBTUSD"]
  intervals = [60,
    3]
  from      = "2020-01-01"
}
`},
			want:    []diagSummary{{hcl.DiagError, "Invalid interval", "main.hcl", 5}},
			details: []string{"not one Kraken publishes; use one of 1, 5, 15, 30, 60, 240, 720, 1440, 10080, 21600"},
		},
		{
			name: "from after to",
			files: map[string]string{"main.hcl": `
coverage "c" {
  pairs     = ["XBTUSD"]
  intervals = [60]
  from      = "2024-02-01"
  to        = "2024-01-01"
}
`},
			want:    []diagSummary{{hcl.DiagError, "Empty window", "main.hcl", 5}},
			details: []string{"from (2024-02-01) is not before to (2024-01-01)."},
		},
		{
			name: "from and lookback together",
			files: map[string]string{"main.hcl": `
coverage "c" {
  pairs     = ["XBTUSD"]
  intervals = [60]
  from      = "2024-02-01"
  lookback  = "30d"
}
`},
			want:    []diagSummary{{hcl.DiagError, "Conflicting window arguments", "main.hcl", 6}},
			details: []string{"either from (with an optional to) or lookback, not both"},
		},
		{
			name: "no window",
			files: map[string]string{"main.hcl": `
coverage "c" {
  pairs     = ["XBTUSD"]
  intervals = [60]
}
`},
			want: []diagSummary{{hcl.DiagError, "Missing window", "main.hcl", 2}},
		},
		{
			name:    "dump path missing",
			files:   map[string]string{"main.hcl": "dump \"full\" {\n  path = \"downloads/Kraken_OHLCVT.zip\"\n}\n"},
			want:    []diagSummary{{hcl.DiagError, "Dump path does not exist", "main.hcl", 2}},
			details: []string{"Kraken_OHLCVT.zip"},
		},
		{
			name:  "dump path not a zip",
			files: map[string]string{"main.hcl": "dump \"full\" {\n  path = \"notes.txt\"\n}\n", "notes.txt": "x"},
			want:  []diagSummary{{hcl.DiagError, "Dump path is not a zip or a directory", "main.hcl", 2}},
		},
		{
			name: "quarterly dump without a quarter; until and quarter in the wrong places",
			files: map[string]string{"main.hcl": `
dump "q" {
  path = "csv"
  kind = "quarterly"
}
dump "q2" {
  path  = "csv"
  kind  = "quarterly"
  quarter = "2024-Q2"
  until = "2024-01-01"
}
dump "f" {
  path    = "csv"
  kind    = "full"
  quarter = "2024-Q2"
}
dump "bad" {
  path    = "csv"
  kind    = "monthly"
}
`, "csv/": ""},
			want: []diagSummary{
				{hcl.DiagError, "Missing quarter", "main.hcl", 2},
				{hcl.DiagError, "Argument not allowed for a quarterly dump", "main.hcl", 10},
				{hcl.DiagError, "Argument not allowed for a full dump", "main.hcl", 15},
				{hcl.DiagError, "Invalid dump kind", "main.hcl", 19},
			},
		},
		{
			name: "duplicate names",
			files: map[string]string{"a.hcl": okCoverage + `
dump "d" { path = "csv" }
coverage "c" {
  pairs     = ["XBTUSD"]
  intervals = [60]
  lookback  = "1d"
}
`, "b.hcl": `tier "TIER1" { pairs = ["XBTUSD"] }
dump "d" { path = "csv" }
coverage "c" {
  pairs     = ["XBTUSD"]
  intervals = [60]
  lookback  = "1d"
}
`, "csv/": ""},
			want: []diagSummary{
				{hcl.DiagError, `Duplicate tier "TIER1"`, "b.hcl", 1},
				{hcl.DiagError, `Duplicate dump "d"`, "b.hcl", 2},
				{hcl.DiagError, `Duplicate coverage "c"`, "b.hcl", 3},
			},
			details: []string{`A tier named "TIER1" was already declared at `},
		},
		{
			name:    "undeclared -var",
			files:   map[string]string{"main.hcl": "variable \"from\" { default = \"2020-01-01\" }\n"},
			opts:    LoadOptions{Vars: []string{"form=2021-01-01"}},
			want:    []diagSummary{{hcl.DiagError, "Value for undeclared variable", "", 0}},
			details: []string{`no variable "form" is declared`, `Did you mean "from"?`},
		},
		{
			name:  "undeclared variable in a var file",
			files: map[string]string{"main.hcl": "variable \"from\" { default = \"2020-01-01\" }\n", "prod.vars": "from = \"2021-01-01\"\nuntil = 1\n"},
			opts:  LoadOptions{VarFiles: []string{"prod.vars"}}, // made absolute below
			want:  []diagSummary{{hcl.DiagError, "Value for undeclared variable", "prod.vars", 2}},
		},
		{
			name:    "variable without a value",
			files:   map[string]string{"main.hcl": "\nvariable \"from\" {\n  type = string\n}\n"},
			want:    []diagSummary{{hcl.DiagError, "No value for required variable", "main.hcl", 2}},
			details: []string{"-var from=VALUE", "CANDLEKEEP_VAR_from"},
		},
		{
			name:    "typed variable from -var that does not parse",
			files:   map[string]string{"main.hcl": "variable \"days\" {\n  type = number\n  default = 1\n}\n"},
			opts:    LoadOptions{Vars: []string{"days=many"}},
			want:    []diagSummary{{hcl.DiagError, "Invalid value for variable", "", 0}},
			details: []string{`The -var option sets variable "days" to "many", which is not a valid number`},
		},
		{
			name: "lower-case and malformed pairs",
			files: map[string]string{"main.hcl": `tier "T" {
  pairs = ["XBTUSD",
    "xbtusd",
    "ETH/USD",
    "XBTUSD"]
}
`},
			want: []diagSummary{
				{hcl.DiagError, "Invalid pair", "main.hcl", 3},
				{hcl.DiagError, "Invalid pair", "main.hcl", 4},
				{hcl.DiagError, "Duplicate pair", "main.hcl", 5},
			},
			details: []string{`altnames are upper case. Did you mean "XBTUSD"?`, `Did you mean "ETHUSD"?`},
		},
		{
			name:    "env unset without default",
			files:   map[string]string{"main.hcl": "\nstate {\n  backend = \"postgres\"\n  dsn = env(\"CANDLEKEEP_STATE_DSN\")\n}\n"},
			want:    []diagSummary{{hcl.DiagError, "Environment variable not set", "main.hcl", 4}},
			details: []string{`environment variable "CANDLEKEEP_STATE_DSN" is not set`},
		},
		{
			name: "state arguments for the other backend",
			files: map[string]string{"a.hcl": "state {\n  backend = \"sqlite\"\n  dsn = \"x\"\n}\n",
				"b.hcl": "state {\n  backend = \"postgres\"\n}\n"},
			want: []diagSummary{
				{hcl.DiagError, "Argument not allowed for sqlite state", "a.hcl", 3},
				{hcl.DiagError, "Duplicate state block", "b.hcl", 1},
			},
		},
		{
			name:  "postgres without dsn",
			files: map[string]string{"main.hcl": "state {\n  backend = \"postgres\"\n}\n"},
			want:  []diagSummary{{hcl.DiagError, "Missing dsn for postgres state", "main.hcl", 1}},
		},
		{
			name:    "sink type not in this version",
			files:   map[string]string{"main.hcl": "sink \"questbd\" {\n  conf = \"http::addr=localhost:9000;\"\n}\n"},
			want:    []diagSummary{{hcl.DiagError, "Unsupported sink type", "main.hcl", 1}},
			details: []string{`Sink type "questbd" is not supported`, `Supported sink types: "sqlite", "questdb". Did you mean "questdb"?`},
		},
		{
			name:  "bad table name",
			files: map[string]string{"main.hcl": "sink \"sqlite\" {\n  table = \"candles; drop\"\n}\n"},
			want:  []diagSummary{{hcl.DiagError, "Invalid table name", "main.hcl", 2}},
		},
		{
			name:  "unknown block and attribute",
			files: map[string]string{"main.hcl": "provider {\n}\ntier \"T\" {\n  pairs = [\"XBTUSD\"]\n  pair = \"ETHUSD\"\n}\n"},
			want: []diagSummary{
				{hcl.DiagError, "Unsupported block type", "main.hcl", 1},
				{hcl.DiagError, "Unsupported argument", "main.hcl", 5},
			},
		},
		{
			name: "coverage without pairs or intervals",
			files: map[string]string{"main.hcl": `coverage "c" {
  intervals = []
  lookback  = "1x"
}
`},
			want: []diagSummary{
				{hcl.DiagError, "No pairs", "main.hcl", 1},
				{hcl.DiagError, "No intervals", "main.hcl", 2},
				{hcl.DiagError, "Invalid lookback", "main.hcl", 3},
			},
		},
		{
			name: "quarter differs from the file name",
			files: map[string]string{"main.hcl": "dump \"q\" {\n  path    = \"Kraken_OHLCVT_Q3_2024.zip\"\n  quarter = \"2024-Q4\"\n}\n",
				"Kraken_OHLCVT_Q3_2024.zip": ""},
			want: []diagSummary{{hcl.DiagWarning, "Quarter differs from the file name", "main.hcl", 3}},
		},
		{
			name: "undeclared variable in an expression",
			files: map[string]string{"main.hcl": `variable "from" { default = "2020-01-01" }
coverage "c" {
  pairs     = ["XBTUSD"]
  intervals = [60]
  from      = var.form
}
`},
			want:    []diagSummary{{hcl.DiagError, "Undeclared variable", "main.hcl", 5}},
			details: []string{`No variable "form" is declared`, `Did you mean "from"?`},
		},
		{
			name:  "no configuration files",
			files: map[string]string{"README.md": "x"},
			want:  []diagSummary{{hcl.DiagError, "No configuration files", "", 0}},
		},
		{
			name: "several errors across files",
			files: map[string]string{"a.hcl": okCoverage + `
coverage "c" {
  tiers     = ["TIER3"]
  intervals = [3]
  from      = "2024-02-01"
  to        = "2023-01-01"
}
`, "b.hcl": `dump "d" {
  path = "missing.zip"
}
tier "T" { pairs = ["ethusd"] }
`},
			want: []diagSummary{
				{hcl.DiagError, "Unknown tier", "a.hcl", 6},
				{hcl.DiagError, "Invalid interval", "a.hcl", 7},
				{hcl.DiagError, "Empty window", "a.hcl", 8},
				{hcl.DiagError, "Dump path does not exist", "b.hcl", 2},
				{hcl.DiagError, "Invalid pair", "b.hcl", 4},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, tt.files)
			opts := tt.opts
			for i, f := range opts.VarFiles {
				opts.VarFiles = append([]string(nil), opts.VarFiles...)
				opts.VarFiles[i] = filepath.Join(dir, f)
			}
			cfg, diags := Load(dir, opts)
			if cfg == nil || cfg.Dir != dir {
				t.Fatalf("Load returned config %+v, want one with Dir set", cfg)
			}
			for name := range tt.files {
				if strings.HasSuffix(name, ".hcl") && cfg.Files[filepath.Join(dir, name)] == nil {
					t.Errorf("Files lacks %s", name)
				}
			}
			if diff := cmp.Diff(tt.want, summarize(diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%s", diff, diags.Error())
			}
			var b strings.Builder
			if err := WriteDiagnostics(&b, cfg.Files, diags, 0, false); err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.details {
				if !strings.Contains(b.String(), want) {
					t.Errorf("diagnostics lack %q:\n%s", want, b.String())
				}
			}
		})
	}
}

// TestElementRange: a bad list element is pointed at exactly.
func TestElementRange(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.hcl": `tier "TIER1" { pairs = ["XBTUSD"] }
coverage "c" {
  tiers     = ["TIER1", "TIER9"]
  intervals = [60, 3]
  lookback  = "2w"
}
`})
	_, diags := Load(dir, LoadOptions{})
	type at struct {
		Summary          string
		Line, Start, End int
	}
	var got []at
	for _, d := range diags {
		got = append(got, at{d.Summary, d.Subject.Start.Line, d.Subject.Start.Column, d.Subject.End.Column})
	}
	want := []at{{"Unknown tier", 3, 25, 32}, {"Invalid interval", 4, 20, 21}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
