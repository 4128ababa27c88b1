package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runMainEnv makes the test binary run candlekeep itself, so a test can
// run it as another user.
const runMainEnv = "CANDLEKEEP_TEST_RUN_MAIN"

// Every read-only command works for a user who may read the workspace but
// not write it, and leaves no file behind. Root can write anywhere, so the
// commands run as nobody through setpriv; the test skips where it cannot.
func TestReadOnlyCommandsInAReadOnlyDirectory(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to run candlekeep as another user (CI runs as root)")
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("needs setpriv (util-linux) to run candlekeep as another user")
	}
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	if err := copyQuickstart(ws); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if code := run(context.Background(), []string{"-chdir=" + ws, "apply", "-auto-approve", "-no-color", "-now=2026-11-28"}, strings.NewReader(""), &out, &out); code != 0 {
		t.Fatalf("apply: exit %d\n%s", code, out.String())
	}
	// Readable by everyone, writable by root only; the binary too.
	bin := filepath.Join(dir, "candlekeep")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chmod(p, 0o755)
		}
		if p == bin {
			return nil
		}
		return os.Chmod(p, 0o644)
	}); err != nil {
		t.Fatal(err)
	}
	// t.TempDir's parent is private; nobody must reach the workspace.
	if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	before := listing(t, ws)
	asNobody := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(setpriv, append([]string{"--reuid=65534", "--regid=65534", "--clear-groups", bin, "-chdir=" + ws}, args...)...)
		cmd.Env = append(os.Environ(), runMainEnv+"=1", "HOME="+dir)
		got, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("candlekeep %s as nobody: %v\n%s", strings.Join(args, " "), err, got)
		}
		return string(got)
	}
	// The user cannot write here: the test proves nothing otherwise.
	probe := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "touch", filepath.Join(ws, ".candlekeep", "probe"))
	if probe.Run() == nil {
		t.Fatal("nobody may write the workspace: the test proves nothing")
	}
	for _, args := range [][]string{
		{"validate", "-no-color"},
		{"plan", "-no-color", "-now=2026-11-28"},
		{"plan", "-refresh", "-no-color", "-now=2026-11-28"},
		{"plan", "-format=markdown", "-now=2026-11-28"},
		{"report", "-no-color", "-now=2026-11-28"},
		{"check", "-no-color", "-now=2026-11-28"},
		{"state", "list", "-no-color"},
		{"state", "show", "-no-color", "XBTUSD/60"},
		{"state", "runs", "-no-color"},
		{"state", "gaps", "-no-color"},
		{"gc", "-dry-run", "-no-color", "-now=2026-11-28"},
	} {
		asNobody(args...)
	}
	if got := asNobody("plan", "-no-color", "-now=2026-11-28"); !strings.Contains(got, "No changes.") {
		t.Errorf("plan as nobody does not see the applied state:\n%s", got)
	}
	if after := listing(t, ws); after != before {
		t.Errorf("read-only commands changed the workspace:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// listing names every file under dir with its size and modification time.
func listing(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	if err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %d %d\n", p, info.Size(), info.ModTime().UnixNano())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
