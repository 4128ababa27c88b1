package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestCheckExitStatus runs the files of testdata/script/check.txtar and
// checks the exact exit statuses, which a script's "! exec" cannot.
func TestCheckExitStatus(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "script", "check.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		p := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fresh := "-chdir=" + filepath.Join(dir, "fresh")
	steps := []struct {
		name string
		args []string
		want int
	}{
		{"before any load every series errors", []string{fresh, "check", "-now=2021-04-01T05:00:00Z"}, exitStale},
		{"apply", []string{fresh, "apply", "-auto-approve", "-now=2021-04-01T05:00:00Z"}, 0},
		{"one series beyond error_after", []string{fresh, "check", "-now=2021-04-01T05:00:00Z"}, exitStale},
		{"json too", []string{fresh, "check", "-format=json", "-now=2021-04-01T05:00:00Z"}, exitStale},
		{"warnings only", []string{fresh, "check", "-now=2021-03-31T23:59:00Z"}, 0},
		{"all pass", []string{fresh, "check", "-now=2021-03-29T12:00:00Z"}, 0},
		{"bad format", []string{fresh, "check", "-format=xml"}, 1},
		{"bad clock", []string{fresh, "check", "-now=yesterday"}, 1},
	}
	for _, s := range steps {
		var stdout, stderr bytes.Buffer
		if got := run(context.Background(), s.args, nil, &stdout, &stderr); got != s.want {
			t.Errorf("%s: exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", s.name, got, s.want, stdout.String(), stderr.String())
		}
	}
}

func TestFormatAge(t *testing.T) {
	for sec, want := range map[int64]string{0: "0s", -5: "0s", 59: "59.0s", 2700: "45m", 93600: "1d2h", 90061: "1d1h"} {
		if got := formatAge(sec); got != want {
			t.Errorf("formatAge(%d) = %q, want %q", sec, got, want)
		}
	}
}

// TestCheckUnitAlertsOnStale keeps the example check unit failing on exit
// status 4, so that OnFailure= alerts on stale data.
func TestCheckUnitAlertsOnStale(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "systemd", "candlekeep-check.service"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "SuccessExitStatus=") && slices.Contains(strings.Fields(strings.TrimPrefix(line, "SuccessExitStatus=")), "4") {
			t.Errorf("%s: exit status 4 (stale) must fail the unit", line)
		}
	}
	if !strings.Contains(string(data), "\nOnFailure=candlekeep-alert@%n.service\n") {
		t.Error("candlekeep-check.service lacks OnFailure=candlekeep-alert@%n.service")
	}
	if !strings.Contains(string(data), "ExecStart=/usr/local/bin/candlekeep check ") {
		t.Error("candlekeep-check.service does not run candlekeep check")
	}
}
