package config

import (
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFormatFile(t *testing.T) {
	misaligned := "tier \"TIER1\" {\npairs=[\"XBTUSD\",\"ETHUSD\"]\n}\ncoverage \"c\" {\n  tiers = [\"TIER1\"]\n  intervals   = [60]\n      lookback = \"30d\"\n}\n"
	want := "tier \"TIER1\" {\n  pairs = [\"XBTUSD\", \"ETHUSD\"]\n}\ncoverage \"c\" {\n  tiers     = [\"TIER1\"]\n  intervals = [60]\n  lookback  = \"30d\"\n}\n"
	got, diags := FormatFile("main.hcl", []byte(misaligned))
	if diags.HasErrors() {
		t.Fatalf("format: %s", diags.Error())
	}
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("formatted (-want +got):\n%s", diff)
	}
	again, _ := FormatFile("main.hcl", got)
	if diff := cmp.Diff(string(got), string(again)); diff != "" {
		t.Errorf("formatting is not idempotent (-first +second):\n%s", diff)
	}
}

func TestFormatFileRefusesBrokenFile(t *testing.T) {
	out, diags := FormatFile("broken.hcl", []byte("tier \"T\" {\n  pairs = [\"XBTUSD\"\n"))
	if out != nil {
		t.Errorf("formatted a broken file: %q", out)
	}
	if !diags.HasErrors() || diags[0].Subject == nil || diags[0].Subject.Filename != "broken.hcl" {
		t.Errorf("want a syntax error in broken.hcl, got %v", diags)
	}
}

func TestConfigFiles(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"b.hcl": "", "a.hcl": "", ".hidden.hcl": "", "#a.hcl#": "", "c.hcl~": "", "vars.tfvars": "",
		"sub/d.hcl": "", "dir.hcl/": "",
	})
	got, err := ConfigFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "a.hcl"), filepath.Join(dir, "b.hcl")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := ConfigFiles(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing directory: got %v, want a not-exist error", err)
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"30d", 30 * 24 * time.Hour, false},
		{"12h", 12 * time.Hour, false},
		{"2w", 14 * 24 * time.Hour, false},
		{"90m", 90 * time.Minute, false},
		{"45s", 45 * time.Second, false},
		{"1d12h", 36 * time.Hour, false},
		{"1w1d1h1m1s", 8*24*time.Hour + time.Hour + time.Minute + time.Second, false},
		{"0d", 0, false},
		{"", 0, true},
		{"30", 0, true},
		{"d", 0, true},
		{"1.5h", 0, true},
		{"-1d", 0, true},
		{"1y", 0, true},
		{"1d ", 0, true},
		{"99999999999999w", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseDuration(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseDuration(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
