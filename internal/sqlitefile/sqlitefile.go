// Package sqlitefile opens SQLite databases whose disk errors say which
// file they concern and, when it is the cause, that its file system is
// full. SQLite itself only says "database or disk is full (13)" or, when
// it cannot grow its shared-memory file, "disk I/O error (4874)", and the
// statement that met it rarely names the file.
package sqlitefile

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"path/filepath"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// DiskError is a SQLite error about the file itself: its disk is full, or
// reading or writing it failed. Unwrap gives SQLite's error.
type DiskError struct {
	Path    string
	NoSpace bool // the file system holding Path has no space left
	Err     error
}

func (e *DiskError) Error() string {
	if e.NoSpace {
		return fmt.Sprintf("no space left on the file system holding %s (%v)", e.Path, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *DiskError) Unwrap() error { return e.Err }

// Open is sql.Open("sqlite", dsn) for the database file at path, with its
// disk errors made *DiskError. Other errors pass unchanged.
func Open(dsn, path string) *sql.DB {
	return sql.OpenDB(&connector{dsn: dsn, path: path, drv: sqliteDriver()})
}

// sqliteDriver is the driver modernc.org/sqlite registers as "sqlite".
func sqliteDriver() driver.Driver {
	db, _ := sql.Open("sqlite", "") // sql.Open only looks the driver up
	defer db.Close()
	return db.Driver()
}

// Explain makes err a *DiskError if it is SQLite's error about a full disk
// or a failed read or write of the file at path, and returns it unchanged
// otherwise.
func Explain(err error, path string) error {
	var se *sqlite.Error
	if err == nil || !errors.As(err, &se) {
		return err
	}
	var de *DiskError
	if errors.As(err, &de) {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
		return &DiskError{Path: path, NoSpace: noSpaceLeft(filepath.Dir(path)), Err: err}
	}
	return err
}

type connector struct {
	dsn, path string
	drv       driver.Driver
}

func (c *connector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, Explain(err, c.path)
	}
	return &conn_{inner: conn, path: c.path}, nil
}

func (c *connector) Driver() driver.Driver { return c.drv }
