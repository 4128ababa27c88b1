package config

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

func TestAPIBlock(t *testing.T) {
	tests := []struct {
		name  string
		block string
		want  API
	}{
		{name: "no block", block: "", want: DefaultAPI()},
		{name: "empty block", block: "api {\n}\n", want: DefaultAPI()},
		{
			name: "every attribute",
			block: `api {
  enabled       = false
  base_url      = "http://127.0.0.1:8080/kraken/"
  rate_limit    = "30/m"
  burst         = 3
  max_retries   = 0
  timeout       = "2m"
  empty_candles = "keep"
  margin        = 1
  settle        = "90m"
}
`,
			want: API{Enabled: false, BaseURL: "http://127.0.0.1:8080/kraken", RateLimit: 0.5, Burst: 3,
				MaxRetries: 0, Timeout: 2 * time.Minute, KeepEmpty: true, Margin: 1, Settle: 90 * time.Minute, Rebuild: DefaultRebuild()},
		},
		{
			name:  "fractional rate, upper bounds, explicit omit",
			block: "api {\n  rate_limit = \"0.5/s\"\n  max_retries = 20\n  margin = 700\n  empty_candles = \"omit\"\n  enabled = true\n}\n",
			want: API{Enabled: true, BaseURL: DefaultAPIBaseURL, RateLimit: 0.5, Burst: 1, MaxRetries: 20,
				Timeout: 30 * time.Second, Margin: 700, Settle: time.Hour, Rebuild: DefaultRebuild()},
		},
		{
			name:  "values from functions and variables",
			block: "variable \"rps\" { default = 10 }\napi {\n  rate_limit = \"${var.rps}/s\"\n  burst = var.rps / 2\n  base_url = env(\"KRAKEN\", \"https://api.kraken.com\")\n}\n",
			want: API{Enabled: true, BaseURL: DefaultAPIBaseURL, RateLimit: 10, Burst: 5, MaxRetries: 5,
				Timeout: 30 * time.Second, Margin: 10, Settle: time.Hour, Rebuild: DefaultRebuild()},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"main.hcl": tt.block + okCoverage})
			cfg := mustLoad(t, dir, LoadOptions{})
			if diff := cmp.Diff(tt.want, cfg.API); diff != "" {
				t.Errorf("API (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAPIBlockErrors: every mistake in an api block is reported at once,
// on the attribute's value, with a message that says what is allowed.
func TestAPIBlockErrors(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.hcl": `api {
  enabled       = "yes please"
  base_url      = "api.kraken.com"
  rate_limit    = "1 per second"
  burst         = 0
  max_retries   = 21
  timeout       = "0s"
  empty_candles = "drop"
  margin        = 2.5
  retries       = 3
}
api {
  base_url = "https://api.kraken.com/?x=1"
}
`})
	_, diags := Load(dir, LoadOptions{})
	want := []diagSummary{
		{hcl.DiagError, "Incorrect value type", "main.hcl", 2},
		{hcl.DiagError, "Invalid base_url", "main.hcl", 3},
		{hcl.DiagError, "Invalid rate_limit", "main.hcl", 4},
		{hcl.DiagError, "Invalid burst", "main.hcl", 5},
		{hcl.DiagError, "Invalid max_retries", "main.hcl", 6},
		{hcl.DiagError, "Invalid timeout", "main.hcl", 7},
		{hcl.DiagError, "Invalid empty_candles", "main.hcl", 8},
		{hcl.DiagError, "Invalid margin", "main.hcl", 9},
		{hcl.DiagError, "Unsupported argument", "main.hcl", 10},
		{hcl.DiagError, "Duplicate api block", "main.hcl", 12},
	}
	if diff := cmp.Diff(want, summarize(diags)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s\n%s", diff, diags.Error())
	}
	// Each points at the value, not the whole line.
	if d := diags[1]; d.Subject.Start.Column != 19 {
		t.Errorf("base_url diagnostic starts at column %d, want 19 (the value)", d.Subject.Start.Column)
	}
	var details []string
	for _, d := range diags {
		details = append(details, d.Detail)
	}
	text := strings.Join(details, "\n")
	for _, detail := range []string{
		`must be an absolute http or https URL, such as "https://api.kraken.com"`,
		`such as "1/s", "0.5/s" or "30/m"`,
		"at least 1, not 0",
		"between 0 (no retries) and 20, not 21",
		`"0s" must be longer than zero`,
		`must be "omit"`,
		"margin must be a whole number, not 2.5",
	} {
		if !strings.Contains(text, detail) {
			t.Errorf("diagnostics lack %q:\n%s", detail, text)
		}
	}
}

func TestAPIBaseURL(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{in: "https://api.kraken.com", want: "https://api.kraken.com"},
		{in: "https://api.kraken.com/", want: "https://api.kraken.com"},
		{in: "http://localhost:9999/fake", want: "http://localhost:9999/fake"},
		{in: "ftp://api.kraken.com", err: "absolute http or https URL"},
		{in: "/0/public", err: "absolute http or https URL"},
		{in: "https://", err: "absolute http or https URL"},
		{in: "https://api.kraken.com?", err: "query string"},
		{in: "https://api.kraken.com/0?pair=XBTUSD", err: "query string"},
		{in: "https://api.kraken.com#x", err: "fragment"},
		{in: "https://api.kraken.com/#", err: "fragment"},
		{in: "https://me:secret@api.kraken.com", err: "credentials"},
		{in: "https://api.kraken.com/%zz", err: "not a URL"},
	}
	for _, tt := range tests {
		got, err := parseBaseURL(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseBaseURL(%q) error %v, want one containing %q", tt.in, err, tt.err)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("parseBaseURL(%q) error echoes the password: %v", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseBaseURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		err  string
	}{
		{in: "1/s", want: 1},
		{in: "10/s", want: 10},
		{in: "0.5/s", want: 0.5},
		{in: ".5/s", want: 0.5},
		{in: "30/m", want: 0.5},
		{in: "3600/h", want: 1},
		{in: "90/h", want: 0.025},
		{in: "0/s", err: "more than zero"},
		{in: "0.0/m", err: "more than zero"},
		{in: "1/h", want: 1.0 / 3600},
		{in: "0.01/h", err: "less than one request a day"},
		{in: "0." + strings.Repeat("0", 320) + "5/h", err: "less than one request a day"},
		{in: "-1/s", err: "not a number of requests"},
		{in: "1/d", err: "not a number of requests"},
		{in: "1", err: "not a number of requests"},
		{in: "1e3/s", err: "not a number of requests"},
		{in: " 1/s", err: "not a number of requests"},
		{in: "", err: "not a number of requests"},
	}
	for _, tt := range tests {
		got, err := ParseRate(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseRate(%q) = %v, %v; want an error containing %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}
