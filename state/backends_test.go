package state

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// postgresDSNEnv names a PostgreSQL server the tests may create schemas in.
const postgresDSNEnv = "CANDLEKEEP_TEST_POSTGRES_DSN"

// forEachBackend runs fn against a fresh, empty store configuration on
// SQLite, and on PostgreSQL when postgresDSNEnv is set. Each PostgreSQL
// test gets its own schema, so tests are independent.
func forEachBackend(t *testing.T, fn func(t *testing.T, cfg Config)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, Config{Backend: BackendSQLite, Path: filepath.Join(t.TempDir(), "state", "state.db")})
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv(postgresDSNEnv)
		if dsn == "" {
			t.Skipf("%s is not set", postgresDSNEnv)
		}
		t.Parallel()
		fn(t, Config{Backend: BackendPostgres, DSN: freshSchema(t, dsn)})
	})
}

var schemaSeq struct {
	sync.Mutex
	n int
}

// freshSchema creates a schema only this test uses and returns a DSN whose
// search_path selects it.
func freshSchema(t *testing.T, dsn string) string {
	t.Helper()
	schemaSeq.Lock()
	schemaSeq.n++
	name := fmt.Sprintf("ck_test_%d_%d_%s", os.Getpid(), schemaSeq.n, newRandomID()[:8])
	schemaSeq.Unlock()
	admin := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	t.Cleanup(func() { admin.Close() })
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+name); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+name+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + name
}

// openStore opens cfg and closes it when the test ends.
func openStore(t *testing.T, cfg Config) *Store {
	t.Helper()
	s, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func serialOf(t *testing.T, s *Store) int64 {
	t.Helper()
	snap, err := s.Snapshot(context.Background())
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	return snap.Serial
}

// fakeClock is a settable clock for the lock's timing.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// cfgFresh returns another empty store on cfg's backend, for subtests that
// each need their own.
func cfgFresh(t *testing.T, cfg Config) Config {
	t.Helper()
	if cfg.Backend == BackendPostgres {
		return Config{Backend: BackendPostgres, DSN: freshSchema(t, os.Getenv(postgresDSNEnv))}
	}
	return Config{Backend: BackendSQLite, Path: filepath.Join(t.TempDir(), "state.db")}
}
