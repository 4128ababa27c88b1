package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/feefifofunds/candlekeep/internal/sqlitefile"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
)

// ErrReadOnly is in the chain of a write to a store opened read-only.
var ErrReadOnly = errors.New("state was opened read-only")

// ErrUpgradeNeeded is in the chain of an error from a store whose schema
// is older than this binary, where a command needs the current one.
var ErrUpgradeNeeded = errors.New("state needs an upgrade")

// OpenReadOnly opens the store for reading only: it creates no file,
// directory or table, runs no migration and takes no lock, so it works
// for a PostgreSQL role that may only SELECT and in a directory the user
// cannot write. A store that does not exist reads as empty; one whose
// schema predates sink identities is read as the upgrade would see it;
// one written by a newer candlekeep is refused.
func OpenReadOnly(ctx context.Context, cfg Config) (*Store, error) {
	st := &Store{backend: cfgBackend(cfg), where: cfgWhere(cfg), readOnly: true, lockTiming: defaultLockTiming()}
	switch st.backend {
	case BackendSQLite:
		if cfg.Path == "" {
			return nil, errors.New("open state: no sqlite path given")
		}
		if _, err := os.Stat(cfg.Path); errors.Is(err, os.ErrNotExist) {
			return openEmpty(ctx, st)
		}
		db, err := openSQLiteReadOnly(cfg.Path)
		if err != nil {
			return nil, fmt.Errorf("open state %s: %w", cfg.Path, err)
		}
		st.db = db
	case BackendPostgres:
		db, err := openPostgres(cfg.DSN)
		if err != nil {
			return nil, err
		}
		st.db = db
	default:
		return nil, fmt.Errorf("open state: unknown backend %q (want %q or %q)", cfg.Backend, BackendSQLite, BackendPostgres)
	}
	applied, exists, err := appliedMigrations(ctx, st.db)
	if err != nil {
		st.db.Close()
		return nil, redact(fmt.Errorf("open %s: %w", st.where, err), cfg.DSN)
	}
	if !exists {
		st.db.Close()
		return openEmpty(ctx, st)
	}
	if err := checkVersion(applied); err != nil {
		st.db.Close()
		return nil, fmt.Errorf("open %s: %w", st.where, err)
	}
	st.legacy = !slices.Contains(applied, migrationSinks)
	return st, nil
}

// openEmpty stands in for a store that does not exist: an in-memory one,
// created fresh, with no lineage (an apply creates the real one).
func openEmpty(ctx context.Context, st *Store) (*Store, error) {
	sqldb, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		return nil, fmt.Errorf("open empty state: %w", err)
	}
	sqldb.SetMaxOpenConns(1) // one connection: one in-memory database
	st.db = bun.NewDB(sqldb, sqlitedialect.New())
	st.backend, st.empty = BackendSQLite, true
	if err := migrateStore(ctx, st.db); err != nil {
		st.db.Close()
		return nil, fmt.Errorf("open empty state: %w", err)
	}
	if _, err := st.db.NewUpdate().Model((*metaRow)(nil)).Set("lineage = ''").Where("id = 1").Exec(ctx); err != nil {
		st.db.Close()
		return nil, fmt.Errorf("open empty state: %w", err)
	}
	return st, nil
}

// appliedMigrations lists the migrations a store has; exists is false for
// a store with no candlekeep tables at all.
func appliedMigrations(ctx context.Context, db *bun.DB) (names []string, exists bool, err error) {
	var tables int
	var q string
	if db.Dialect().Name().String() == "pg" {
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('bun_migrations', 'meta')"
	} else {
		q = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('bun_migrations', 'meta')"
	}
	if err := db.QueryRowContext(ctx, q).Scan(&tables); err != nil {
		return nil, false, fmt.Errorf("read schema: %w", err)
	}
	if tables < 2 {
		return nil, false, nil
	}
	if err := db.NewSelect().Table("bun_migrations").Column("name").Where("group_id > 0").Scan(ctx, &names); err != nil {
		return nil, false, fmt.Errorf("read schema version: %w", err)
	}
	return names, true, nil
}

// checkVersion refuses a store holding migrations this binary does not
// know: a newer candlekeep wrote it, and this one would misread it.
func checkVersion(applied []string) error {
	known := map[string]bool{}
	for _, m := range migrations().Sorted() {
		known[m.Name] = true
	}
	for _, name := range applied {
		if !known[name] {
			newest := migrations().Sorted()
			return fmt.Errorf("its schema version %s is newer than this candlekeep knows (newest %s): use the candlekeep that wrote it, or a newer one", name, newest[len(newest)-1].Name)
		}
	}
	return nil
}

// checkStoreVersion refuses, before any migration, a store written by a
// newer candlekeep.
func checkStoreVersion(ctx context.Context, db *bun.DB) error {
	applied, exists, err := appliedMigrations(ctx, db)
	if err != nil || !exists {
		return err
	}
	return checkVersion(applied)
}

// writable refuses writes to a read-only store.
func (s *Store) writable() error {
	if s.readOnly {
		return fmt.Errorf("write %s: %w", s.where, ErrReadOnly)
	}
	return nil
}

// openSQLiteReadOnly opens an existing state file for reading only.
func openSQLiteReadOnly(path string) (*bun.DB, error) {
	sqldb, err := sqlitefile.OpenReadOnly(path, 5000)
	if err != nil {
		return nil, err
	}
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}

// ReadOnly reports whether the store was opened read-only.
func (s *Store) ReadOnly() bool { return s.readOnly }

// ErrNoState is in the chain of an error from OpenExisting when there is
// no store yet.
var ErrNoState = errors.New("there is no state yet")

// OpenExisting opens an existing store for writing without creating or
// migrating it: for the commands that write state but do not upgrade it
// (refresh, gc, force-unlock). Only init and apply migrate. A store older
// than this binary is refused (ErrUpgradeNeeded) unless allowOld, for
// commands that touch only what every version has (the lock).
func OpenExisting(ctx context.Context, cfg Config, allowOld bool) (*Store, error) {
	if cfgBackend(cfg) == BackendSQLite {
		if _, err := os.Stat(cfg.Path); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("open state %s: %w", cfg.Path, ErrNoState)
		}
	}
	ro, err := OpenReadOnly(ctx, cfg)
	if err != nil {
		return nil, err
	}
	legacy, empty := ro.legacy, ro.empty
	ro.Close()
	switch {
	case empty:
		return nil, fmt.Errorf("open %s: %w", cfgWhere(cfg), ErrNoState)
	case legacy && !allowOld:
		return nil, fmt.Errorf("open %s: %w: its schema predates sink identities", cfgWhere(cfg), ErrUpgradeNeeded)
	}
	var db *bun.DB
	switch cfgBackend(cfg) {
	case BackendSQLite:
		if db, err = openSQLite(cfg.Path); err != nil {
			return nil, err
		}
	default:
		if db, err = openPostgres(cfg.DSN); err != nil {
			return nil, err
		}
	}
	return &Store{db: db, backend: cfgBackend(cfg), where: cfgWhere(cfg), legacy: legacy, lockTiming: defaultLockTiming()}, nil
}
