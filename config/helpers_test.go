package config

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"
)

// writeTree creates files under a fresh directory: a name ending in "/" is
// an empty directory, one ending in ".zip" gets a small valid zip when its
// content is empty.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(path, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".zip") && content == "" {
			writeZip(t, path)
			continue
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// writeZip writes a zip holding one real Kraken CSV row.
func writeZip(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, err := zw.Create("XBTUSD_1440.csv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("1381017600,122.0,122.0,122.0,122.0,0.1,1\n")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// ignoreRanges leaves declaration ranges and parsed files out of
// comparisons; the tests on diagnostics check ranges themselves.
var ignoreRanges = cmp.Options{
	cmpopts.IgnoreFields(Config{}, "Files", "Digest"),
	cmpopts.IgnoreFields(Dump{}, "DeclRange"),
	cmpopts.IgnoreFields(Coverage{}, "DeclRange"),
	cmpopts.EquateEmpty(),
}

// diagSummary is the part of a diagnostic the error tests compare.
type diagSummary struct {
	Severity hcl.DiagnosticSeverity
	Summary  string
	File     string // base name, "" without a subject
	Line     int
}

func summarize(diags hcl.Diagnostics) []diagSummary {
	var out []diagSummary
	for _, d := range diags {
		s := diagSummary{Severity: d.Severity, Summary: d.Summary}
		if d.Subject != nil {
			s.File, s.Line = filepath.Base(d.Subject.Filename), d.Subject.Start.Line
		}
		out = append(out, s)
	}
	return out
}

func mustLoad(t *testing.T, dir string, opts LoadOptions) *Config {
	t.Helper()
	cfg, diags := Load(dir, opts)
	if diags.HasErrors() {
		var b strings.Builder
		_ = WriteDiagnostics(&b, cfg.Files, diags, 0, false)
		t.Fatalf("load: %s", b.String())
	}
	return cfg
}
