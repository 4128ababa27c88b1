package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// Two checkouts, each with its own SQLite sink, share one PostgreSQL
// state: each gets its own complete load, since coverage belongs to the
// sink it was confirmed in. Then a role that may only SELECT runs every
// read-only command against that state: each works, and none creates,
// migrates or writes anything.
func TestPostgresStateSharedBySinksAndReadOnlyRole(t *testing.T) {
	admin := os.Getenv(postgresDSNEnv)
	if admin == "" {
		t.Skipf("%s is not set", postgresDSNEnv)
	}
	dsn, db := freshPostgresSchema(t, admin)
	first, second := t.TempDir(), t.TempDir()
	for _, dir := range []string{first, second} {
		if err := copyQuickstart(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "state.hcl"), []byte(postgresStateConfig), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("SECRETS_STATE_DSN", dsn)

	cli := func(dir string, want int, args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"-chdir=" + dir}, args...), strings.NewReader(""), &stdout, &stderr)
		if code != want {
			t.Fatalf("candlekeep %s in %s: exit %d, want %d\n%s%s", strings.Join(args, " "), dir, code, want, stdout.String(), stderr.String())
		}
		return stdout.String() + stderr.String()
	}
	const now = "-now=2026-11-28"
	if out := cli(first, 0, "apply", "-auto-approve", "-no-color", now); !strings.Contains(out, "Apply complete: 7 CSV loads, 53,333 candles written") {
		t.Fatalf("first apply:\n%s", out)
	}
	// The second checkout's sink is empty: its plan is not "No changes".
	if out := cli(second, 2, "plan", "-no-color", "-detailed-exitcode", now); !strings.Contains(out, "Plan: 7 CSV loads") {
		t.Fatalf("second plan:\n%s", out)
	}
	if out := cli(second, 0, "apply", "-auto-approve", "-no-color", now); !strings.Contains(out, "Apply complete: 7 CSV loads, 53,333 candles written") {
		t.Fatalf("second apply:\n%s", out)
	}
	for _, dir := range []string{first, second} {
		if got := countSQLiteCandles(t, filepath.Join(dir, ".candlekeep", "candles.db")); got != 53333 {
			t.Errorf("the sink of %s holds %d candles, want 53333", dir, got)
		}
		if out := cli(dir, 0, "plan", "-no-color", "-detailed-exitcode", now); !strings.Contains(out, "No changes.") {
			t.Errorf("plan in %s after its apply:\n%s", dir, out)
		}
	}

	// A role that may only read the state's tables.
	role := fmt.Sprintf("ck_reader_%d_%d", os.Getpid(), time.Now().UnixNano())
	schema := strings.TrimPrefix(dsn[strings.LastIndex(dsn, "search_path="):], "search_path=")
	for _, stmt := range []string{
		"CREATE ROLE " + role + " LOGIN PASSWORD 'reader-pw'",
		"GRANT USAGE ON SCHEMA " + schema + " TO " + role,
		"GRANT SELECT ON ALL TABLES IN SCHEMA " + schema + " TO " + role,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	t.Cleanup(func() {
		if _, err := db.Exec("REVOKE SELECT ON ALL TABLES IN SCHEMA " + schema + " FROM " + role + "; REVOKE USAGE ON SCHEMA " + schema + " FROM " + role + "; DROP ROLE " + role); err != nil {
			t.Errorf("drop role: %v", err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(role, "reader-pw")
	t.Setenv("SECRETS_STATE_DSN", u.String())
	reader := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(u.String())))
	defer reader.Close()
	if _, err := reader.Exec("UPDATE meta SET serial = serial"); err == nil {
		t.Fatal("the reader role may write: the test proves nothing")
	}

	tablesBefore := schemaTables(t, db)
	serialBefore := stateSerial(t, db)
	for _, args := range [][]string{
		{"validate", "-no-color"},
		{"plan", "-no-color", now},
		{"plan", "-refresh", "-no-color", now},
		{"plan", "-format=json", now},
		{"plan", "-format=markdown", now},
		{"plan", "-no-color", now, "-out=reviewed.plan"},
		{"show", "-no-color", "reviewed.plan"},
		{"report", "-no-color", now},
		{"report", "-format=json", now},
		{"check", "-no-color", now},
		{"state", "list", "-no-color"},
		{"state", "show", "-no-color", "XBTUSD/60"},
		{"state", "runs", "-no-color"},
		{"state", "gaps", "-no-color"},
		{"gc", "-dry-run", "-no-color", now},
	} {
		out := cli(first, 0, args...)
		if strings.Contains(out, "permission denied") {
			t.Errorf("candlekeep %s:\n%s", strings.Join(args, " "), out)
		}
	}
	if out := cli(first, 0, "plan", "-no-color", "-detailed-exitcode", now); !strings.Contains(out, "No changes.") {
		t.Errorf("the reader's plan does not see the first checkout's coverage:\n%s", out)
	}
	if diff := slices.Compare(tablesBefore, schemaTables(t, db)); diff != 0 {
		t.Errorf("read-only commands changed the tables: %v → %v", tablesBefore, schemaTables(t, db))
	}
	if got := stateSerial(t, db); got != serialBefore {
		t.Errorf("read-only commands wrote state: serial %d → %d", serialBefore, got)
	}
	// A command that writes fails clearly, and loses nothing.
	if out := cli(first, 1, "apply", "-auto-approve", "-no-color", now); !strings.Contains(out, "permission denied") {
		t.Errorf("apply as the reader:\n%s", out)
	}
}

func schemaTables(t *testing.T, db *sql.DB) []string {
	t.Helper()
	names, err := queryStrings(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name")
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func stateSerial(t *testing.T, db *sql.DB) int64 {
	t.Helper()
	var serial int64
	if err := db.QueryRow("SELECT serial FROM meta WHERE id = 1").Scan(&serial); err != nil {
		t.Fatal(err)
	}
	return serial
}

func countSQLiteCandles(t *testing.T, path string) int64 {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow("SELECT count(*) FROM candles").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
