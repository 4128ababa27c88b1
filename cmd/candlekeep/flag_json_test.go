package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestJSONFlagIsFormatJSON: on a command with -format, -json prints the
// same document as -format=json, and contradicts any other format.
func TestJSONFlagIsFormatJSON(t *testing.T) {
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
	chdir := "-chdir=" + filepath.Join(dir, "fresh")
	out := func(args ...string) (string, int) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{chdir}, args...), nil, &stdout, &stderr)
		return stdout.String() + stderr.String(), code
	}
	for _, cmd := range []string{"check", "plan", "report"} {
		want, wantCode := out(cmd, "-format=json", "-now=2021-03-29T12:00:00Z")
		got, code := out(cmd, "-json", "-now=2021-03-29T12:00:00Z")
		if got != want || code != wantCode {
			t.Errorf("%s -json (exit %d):\n%s\nwant, as -format=json (exit %d):\n%s", cmd, code, got, wantCode, want)
		}
		if !strings.HasPrefix(strings.TrimSpace(got), "{") {
			t.Errorf("%s -json printed no JSON document:\n%s", cmd, got)
		}
		msg, code := out(cmd, "-json", "-format=markdown")
		if code != 1 || !strings.Contains(msg, "contradict") {
			t.Errorf("%s -json -format=markdown: exit %d, %s", cmd, code, msg)
		}
	}
}
