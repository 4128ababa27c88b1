//go:build unix

package main

import (
	"bytes"
	"context"
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// State and candles are private whatever the umask: every file candlekeep
// creates for them (the databases and their -wal and -shm files) is 0600
// and every directory it creates for them 0700. The umask is cleared for
// the test, so a permissive mode cannot hide behind a strict umask.
func TestStateAndSinkFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)

	dir := t.TempDir()
	if err := copyQuickstart(dir); err != nil {
		t.Fatal(err)
	}
	// Besides the defaults under .candlekeep, state and sink in nested
	// directories that do not exist yet.
	extra := `
state {
  path = "private/state/ck.db"
}

sink "sqlite" {
  path = "private/sink/deep/candles.db"
}
`
	other := filepath.Join(t.TempDir(), "other")
	if err := copyQuickstart(other); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "paths.hcl"), []byte(extra), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{dir, other} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"-chdir=" + d, "apply", "-auto-approve", "-no-color", "-now=2026-11-28"}, strings.NewReader(""), &stdout, &stderr)
		if code != 0 {
			t.Fatalf("apply in %s: exit %d\n%s%s", d, code, stdout.String(), stderr.String())
		}
	}

	// SQLite removes the -wal and -shm files when the last connection
	// closes; holding one open brings them back, with the modes SQLite
	// gives them whoever opens the database.
	for _, db := range []string{
		filepath.Join(dir, ".candlekeep", "state.db"), filepath.Join(dir, ".candlekeep", "candles.db"),
		filepath.Join(other, "private", "state", "ck.db"), filepath.Join(other, "private", "sink", "deep", "candles.db"),
	} {
		conn, err := sql.Open("sqlite", "file:"+db)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var n int
		if err := conn.QueryRow("SELECT count(*) FROM sqlite_master").Scan(&n); err != nil || n == 0 {
			t.Fatalf("%s: %d tables, %v", db, n, err)
		}
	}

	created := map[string][]string{
		dir:   {".candlekeep"},
		other: {"private"},
	}
	var got []string
	for root, tops := range created {
		for _, top := range tops {
			err := filepath.WalkDir(filepath.Join(root, top), func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				info, err := d.Info()
				if err != nil {
					return err
				}
				rel, _ := filepath.Rel(root, path)
				if info.Mode().Perm()&0o077 != 0 {
					t.Errorf("%s has mode %v: group or others may read it", rel, info.Mode().Perm())
				}
				got = append(got, filepath.ToSlash(rel))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	// The walk must have seen every file the databases use, or the modes
	// checked prove nothing.
	for _, want := range []string{
		".candlekeep/state.db", ".candlekeep/state.db-wal", ".candlekeep/state.db-shm",
		".candlekeep/candles.db", ".candlekeep/candles.db-wal", ".candlekeep/candles.db-shm",
		"private", "private/state", "private/state/ck.db", "private/state/ck.db-wal", "private/state/ck.db-shm",
		"private/sink", "private/sink/deep", "private/sink/deep/candles.db", "private/sink/deep/candles.db-wal", "private/sink/deep/candles.db-shm",
	} {
		if !contains(got, want) {
			t.Errorf("%s was not created; saw %q", want, got)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
