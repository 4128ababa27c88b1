package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDetailedExitCode follows Terraform: 2 while there is work, 0 once only
// unfillable gaps remain (they are not changes), 1 on error.
func TestDetailedExitCode(t *testing.T) {
	dir := t.TempDir()
	if err := copyQuickstart(dir); err != nil {
		t.Fatal(err)
	}
	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, "main.hcl"), []byte("tier \"T\" {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		args []string
		want int
	}{
		{"changes pending", []string{"-chdir=" + dir, "plan", "-detailed-exitcode", "-now=2026-11-28"}, 2},
		{"plain plan with changes", []string{"-chdir=" + dir, "plan", "-now=2026-11-28"}, 0},
		{"apply", []string{"-chdir=" + dir, "apply", "-auto-approve", "-now=2026-11-28"}, 0},
		{"only unfillable gaps left", []string{"-chdir=" + dir, "plan", "-detailed-exitcode", "-now=2026-11-28"}, 0},
		{"config error", []string{"-chdir=" + broken, "plan", "-detailed-exitcode"}, 1},
		{"unknown flag", []string{"-chdir=" + dir, "plan", "-bogus"}, 1},
		{"unknown command", []string{"-chdir=" + dir, "plna"}, 1},
		{"bad -now", []string{"-chdir=" + dir, "plan", "-now=yesterday"}, 1},
	}
	for _, s := range steps {
		var stdout, stderr bytes.Buffer
		got := run(context.Background(), s.args, strings.NewReader(""), &stdout, &stderr)
		if got != s.want {
			t.Fatalf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", s.name, got, s.want, stdout.String(), stderr.String())
		}
		if s.want == 1 && stderr.Len() == 0 {
			t.Errorf("%s: failed without saying why", s.name)
		}
	}
}
