package sqlitefile

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"modernc.org/sqlite"
)

// TestDiskErrorsNameTheFile: SQLite's "full" error, here from a page limit
// on a disk that has space, names the file and does not claim the disk is
// full; other errors pass unchanged; SQLite's error stays in the chain.
func TestDiskErrorsNameTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	db := Open(path, path)
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{"CREATE TABLE t (x BLOB)", "PRAGMA max_page_count = 3"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	_, err := db.Exec("INSERT INTO t VALUES (zeroblob(100000))")
	var de *DiskError
	var se *sqlite.Error
	if !errors.As(err, &de) || !errors.As(err, &se) {
		t.Fatalf("error %v (%T); want a *DiskError holding SQLite's", err, err)
	}
	if want := path + ": database or disk is full (13)"; err.Error() != want || de.NoSpace {
		t.Errorf("error %q (no space: %v); want %q", err, de.NoSpace, want)
	}
	_, err = db.Exec("SELEKT 1")
	if errors.As(err, &de) || err == nil || !strings.Contains(err.Error(), "syntax error") {
		t.Errorf("a syntax error became %v", err)
	}
}
