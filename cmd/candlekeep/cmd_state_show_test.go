package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestStateShowUnknownSeriesExitsOne: a series state knows nothing about
// is an error (status 1, said on stderr), before and after an apply.
func TestStateShowUnknownSeriesExitsOne(t *testing.T) {
	dir := t.TempDir()
	if err := copyQuickstart(dir); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		args []string
		want int
	}{
		{"no state yet", []string{"-chdir=" + dir, "state", "show", "XBTUSD/60"}, 1},
		{"apply", []string{"-chdir=" + dir, "apply", "-auto-approve", "-no-color", "-now=2026-11-28"}, 0},
		{"known series", []string{"-chdir=" + dir, "state", "show", "XBTUSD/60"}, 0},
		{"unknown series", []string{"-chdir=" + dir, "state", "show", "DOGEUSD/60"}, 1},
		{"not a series", []string{"-chdir=" + dir, "state", "show", "XBTUSD"}, 1},
		{"two series", []string{"-chdir=" + dir, "state", "show", "XBTUSD/60", "ETHUSD/60"}, 1},
	}
	for _, s := range steps {
		var stdout, stderr bytes.Buffer
		got := run(context.Background(), s.args, strings.NewReader(""), &stdout, &stderr)
		if got != s.want {
			t.Fatalf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", s.name, got, s.want, stdout.String(), stderr.String())
		}
		if s.want == 1 && !strings.HasPrefix(stderr.String(), "Error: ") {
			t.Errorf("%s: stderr %q does not say why", s.name, stderr.String())
		}
	}
}
