package state

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/feefifofunds/candlekeep/internal/sqlitefile"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/pgdriver"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// Backends.
const (
	BackendSQLite   = "sqlite"
	BackendPostgres = "postgres"
)

// Store is an open state store. It is safe for concurrent use.
type Store struct {
	db      *bun.DB
	backend string
	// sink is the sink whose coverage reads and writes concern (UseSink).
	sink int64
	// readOnly: opened by OpenReadOnly; every write is refused.
	readOnly bool
	// legacy: a read-only store whose schema predates sink identities.
	legacy bool
	// empty: stands in, in memory, for a store that does not exist.
	empty bool
	// where names the store in errors: the SQLite file, or "postgres".
	where string
	// path is the SQLite file ("" for PostgreSQL), for the heartbeat's
	// own connection.
	path string
	lockTiming
}

// lockTiming holds the lock's clock and intervals, replaced in tests so
// they need not sleep.
type lockTiming struct {
	now            func() time.Time
	staleAfter     time.Duration // a heartbeat older than this looks dead
	heartbeatEvery time.Duration
	retryMin       time.Duration // first wait between attempts to take a held lock
	retryMax       time.Duration
	onLockBusy     func() // called each time Lock finds the lock held
	onBeat         func() // called after each heartbeat update
	// processAlive says whether a process of this host runs; tests replace
	// it so they need no dead process.
	processAlive func(pid int) bool
	// pidNS is this process's PID namespace (pidNamespace), recorded in
	// the lock it takes; tests replace it to play another namespace.
	pidNS string
	// onLockWait is OnLockWait's callback.
	onLockWait func(holder LockInfo)
}

// StaleAfter is how old a lock's heartbeat must be for its holder to count
// as stopped; the heartbeat is renewed every 15 seconds.
const StaleAfter = 2 * time.Minute

func defaultLockTiming() lockTiming {
	return lockTiming{
		now:            time.Now,
		staleAfter:     StaleAfter,
		heartbeatEvery: 15 * time.Second,
		retryMin:       250 * time.Millisecond,
		retryMax:       5 * time.Second,
		processAlive:   processAlive,
		pidNS:          pidNamespace(),
	}
}

// Open opens (creating if needed) the store and runs pending migrations.
// A SQLite path in a directory that cannot be created or written is an
// error naming the path. A PostgreSQL DSN never appears in an error.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	var (
		db  *bun.DB
		err error
	)
	switch cfg.Backend {
	case "", BackendSQLite:
		db, err = openSQLite(cfg.Path)
		if err != nil {
			return nil, err
		}
		if err := migrateStore(ctx, db); err != nil {
			db.Close()
			return nil, fmt.Errorf("open state %s: %w", cfg.Path, err)
		}
	case BackendPostgres:
		if db, err = openPostgres(cfg.DSN); err != nil {
			return nil, err
		}
		if err := migrateStore(ctx, db); err != nil {
			db.Close()
			return nil, redact(fmt.Errorf("open postgres state: %w", err), cfg.DSN)
		}
	default:
		return nil, fmt.Errorf("open state: unknown backend %q (want %q or %q)", cfg.Backend, BackendSQLite, BackendPostgres)
	}
	return &Store{db: db, backend: cfgBackend(cfg), where: cfgWhere(cfg), path: cfg.Path, lockTiming: defaultLockTiming()}, nil
}

func cfgWhere(cfg Config) string {
	if cfgBackend(cfg) == BackendPostgres {
		return "postgres state"
	}
	return "state " + cfg.Path
}

// busy reports whether err is SQLite saying another connection holds the
// database's lock.
func busy(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "database is locked") || strings.Contains(err.Error(), "SQLITE_BUSY"))
}

// openPostgres prepares a connection pool; nothing is sent until the first
// query. Its errors never hold the DSN.
func openPostgres(dsn string) (*bun.DB, error) {
	if dsn == "" {
		return nil, errors.New("open postgres state: no dsn given")
	}
	conn, err := pgConnector(dsn)
	if err != nil {
		return nil, redact(fmt.Errorf("open postgres state: %w", err), dsn)
	}
	return bun.NewDB(sql.OpenDB(conn), pgdialect.New()), nil
}

// pgConnector turns pgdriver's panic on a malformed DSN into an error.
func pgConnector(dsn string) (conn *pgdriver.Connector, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("invalid dsn: %v", r)
		}
	}()
	return pgdriver.NewConnector(pgdriver.WithDSN(dsn)), nil
}

func cfgBackend(cfg Config) string {
	if cfg.Backend == "" {
		return BackendSQLite
	}
	return cfg.Backend
}

func openSQLite(path string) (*bun.DB, error) {
	if path == "" {
		return nil, errors.New("open state: no sqlite path given")
	}
	// State is private: 0700 for a directory created here, 0600 for the
	// file, whose mode SQLite copies to its -wal and -shm files.
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open state %s: %w", path, unwrapPathError(err))
	}
	// Creating the file ourselves gives a clear reason (permission denied,
	// not a directory) where SQLite would only say "unable to open".
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open state %s: %w", path, unwrapPathError(err))
	}
	f.Close()
	// Its disk errors name the file, and say when the disk is full.
	sqldb := sqlitefile.Open(sqliteDSN(path), path)
	// One connection: SQLite has one writer anyway, and pragmas set per
	// connection then hold for every query.
	sqldb.SetMaxOpenConns(1)
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}

// unwrapPathError drops the *PathError wrapper, whose message repeats the
// path the caller already names.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func sqliteDSN(path string) string {
	return sqlitefile.URI(path, "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate")
}

// redact removes the DSN, and its password on its own, from an error
// message. The error chain is dropped with it, since inner errors may
// quote the DSN too.
func redact(err error, dsn string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	secrets := []string{dsn}
	if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			secrets = append(secrets, pw, url.QueryEscape(pw), url.PathEscape(pw))
		}
	}
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "***")
		}
	}
	if msg == err.Error() {
		return err
	}
	return errors.New(msg)
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// Backend says which backend the store uses.
func (s *Store) Backend() string { return s.backend }

// write runs fn in one transaction after bumping the serial. Bumping first
// takes the meta row's lock on PostgreSQL, so writers serialise and each
// sees what the previous one committed.
func (s *Store) write(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	if err := s.writable(); err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := bumpSerial(ctx, tx); err != nil {
			return err
		}
		return fn(ctx, tx)
	})
}

func bumpSerial(ctx context.Context, tx bun.Tx) error {
	if _, err := tx.NewUpdate().Model((*metaRow)(nil)).Set("serial = serial + 1").Where("id = 1").Exec(ctx); err != nil {
		return fmt.Errorf("bump serial: %w", err)
	}
	return nil
}

// readTx is the options of a consistent read: on PostgreSQL a repeatable
// read transaction sees one snapshot across statements; SQLite's
// transactions always do.
func (s *Store) readTx() *sql.TxOptions {
	if s.backend == BackendPostgres {
		return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	return nil
}

func newRandomID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// utc normalises a time for storage: UTC, microsecond precision (what
// PostgreSQL keeps), so what is read back equals what was written.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}
