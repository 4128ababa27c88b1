package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSystemdUnitsVerify checks examples/systemd with systemd-analyze when
// the machine has it. ExecStart points at a binary that exists here, since
// verify insists on it.
func TestSystemdUnitsVerify(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join("..", "..", "examples", "systemd")
	dir := t.TempDir()
	units := []string{"candlekeep-apply.service", "candlekeep-apply.timer", "candlekeep-alert@.service",
		"candlekeep-check.service", "candlekeep-check.timer"}
	var paths []string
	for _, u := range units {
		data, err := os.ReadFile(filepath.Join(src, u))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(data), "/usr/local/bin/candlekeep", self)
		p := filepath.Join(dir, u)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out, err := exec.Command(analyze, append([]string{"verify"}, paths...)...).CombinedOutput()
	if err != nil || strings.Contains(string(out), "candlekeep") {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}
