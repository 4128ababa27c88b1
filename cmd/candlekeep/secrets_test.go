package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
)

// plantedQuestDBPassword reaches candlekeep only through env() in the
// QuestDB conf string.
const plantedQuestDBPassword = "qdbPlanted-S3cret-4471"

// postgresDSNEnv names the PostgreSQL server .ci/run starts; its
// password is the planted PostgreSQL secret.
const postgresDSNEnv = "CANDLEKEEP_TEST_POSTGRES_DSN"

const secretsConfig = `
sink "questdb" {
  conf = "http::addr=${env("SECRETS_QDB_ADDR")};username=candlekeep;password=${env("SECRETS_QDB_PASSWORD")};request_timeout=300;"
}

api {
  base_url   = env("SECRETS_KRAKEN_URL")
  rate_limit = "50/s"
}

dump "daily_2022" {
  path  = "data/Kraken_OHLCVT_2022-07-01"
  until = "2022-07-01"
}

coverage "daily" {
  pairs     = ["XBTUSD"]
  intervals = ["1d"]
  from      = "2021-01-01"
  to        = "2022-07-01"
}

coverage "recent" {
  pairs     = ["ETHUSD"]
  intervals = ["1h"]
  lookback  = "1d"
}
`

const postgresStateConfig = `
state {
  backend = "postgres"
  dsn     = env("SECRETS_STATE_DSN")
}
`

// leakCheck collects every output channel of a run and looks for secrets
// in each.
type leakCheck struct {
	t       *testing.T
	dir     string
	secrets []string
	now     string
}

// secretForms are the ways a secret may appear: as is, and escaped for a
// URL's user info, path or query.
func secretForms(secret string) []string {
	return []string{secret, url.QueryEscape(secret), url.PathEscape(secret), url.UserPassword("u", secret).String()}
}

func (c *leakCheck) find(channel, text string) {
	c.t.Helper()
	for _, s := range c.secrets {
		for _, form := range secretForms(s) {
			if strings.Contains(text, form) {
				c.t.Errorf("%s holds the secret %q:\n%s", channel, s, text)
				return
			}
		}
	}
}

// run runs one command, requires one of the exit statuses allowed (so a
// command that failed early proves nothing) and checks stdout and stderr.
func (c *leakCheck) run(allowed []int, args ...string) string {
	c.t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"-chdir=" + c.dir}, args...), strings.NewReader(""), &stdout, &stderr)
	ok := false
	for _, a := range allowed {
		ok = ok || a == code
	}
	if !ok {
		c.t.Errorf("candlekeep %s: exit %d, want one of %v\n%s%s", strings.Join(args, " "), code, allowed, stdout.String(), stderr.String())
	}
	c.find("stdout of "+strings.Join(args, " "), stdout.String())
	c.find("stderr of "+strings.Join(args, " "), stderr.String())
	return stdout.String() + stderr.String()
}

// files checks every file under the workspace, the SQLite databases
// byte by byte (text is stored as is).
func (c *leakCheck) files() {
	c.t.Helper()
	seen := 0
	err := filepath.WalkDir(c.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		seen++
		c.find("file "+path, string(data))
		return nil
	})
	if err != nil {
		c.t.Fatal(err)
	}
	if seen == 0 {
		c.t.Fatal("no files to check")
	}
}

// tables checks every text column of every table of a state database.
func (c *leakCheck) tables(db *sql.DB, tableQuery string) {
	c.t.Helper()
	names, err := queryStrings(db, tableQuery)
	if err != nil {
		c.t.Fatal(err)
	}
	if len(names) < 5 {
		c.t.Fatalf("found only tables %v", names)
	}
	for _, table := range names {
		rows, err := db.Query(`SELECT * FROM "` + table + `"`) // names read from the catalogue
		if err != nil {
			c.t.Fatal(err)
		}
		cols, err := rows.Columns()
		if err != nil {
			c.t.Fatal(err)
		}
		var dump strings.Builder
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				c.t.Fatal(err)
			}
			for _, v := range vals {
				switch v := v.(type) {
				case string:
					dump.WriteString(v + "\n")
				case []byte:
					dump.Write(v)
					dump.WriteString("\n")
				}
			}
		}
		if err := rows.Err(); err != nil {
			c.t.Fatal(err)
		}
		rows.Close()
		c.find("state table "+table, dump.String())
	}
}

func queryStrings(db *sql.DB, q string) ([]string, error) {
	rows, err := db.Query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Secrets given through env() — the QuestDB password, the PostgreSQL
// password in the state DSN — appear in no output of a full cycle: not on
// stdout or stderr of any command (plans, saved and shown plans, JSON
// events, JSON logs, state inspection, reports, checks, errors from a
// wrong password and an unreachable server), not in any file written, and
// not in any column of any state table.
func TestSecretsNeverLeak(t *testing.T) {
	t.Run("sqlite state", func(t *testing.T) { testSecretsNeverLeak(t, "") })
	t.Run("postgres state", func(t *testing.T) {
		admin := os.Getenv(postgresDSNEnv)
		if admin == "" {
			t.Skipf("%s is not set", postgresDSNEnv)
		}
		testSecretsNeverLeak(t, admin)
	})
}

// A PostgreSQL DSN that cannot be used — nothing listening, a port that
// is not a number, a wrong password — fails every command
// with an error that does not show its password.
func TestPostgresDSNNeverInErrors(t *testing.T) {
	const secret = "pgPlanted-S3cret-8812"
	dsns := []string{
		"postgres://candlekeep:" + secret + "@127.0.0.1:1/candlekeep?sslmode=disable",
		"postgres://candlekeep:" + secret + "@127.0.0.1:notaport/candlekeep",
	}
	// With a real server, also a wrong password.
	if admin, err := url.Parse(os.Getenv(postgresDSNEnv)); err == nil && admin.Host != "" {
		admin.User = url.UserPassword(admin.User.Username(), secret)
		dsns = append(dsns, admin.String())
	}
	for _, dsn := range dsns {
		dir := t.TempDir()
		if err := copyQuickstart(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "state.hcl"), []byte(postgresStateConfig), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Setenv("SECRETS_STATE_DSN", dsn)
		c := &leakCheck{t: t, dir: dir, secrets: []string{secret, dsn}}
		for _, args := range [][]string{
			{"init", "-no-color"}, {"plan", "-no-color"}, {"apply", "-auto-approve", "-no-color"},
			{"apply", "-auto-approve", "-json"}, {"state", "list", "-json"}, {"report"}, {"check", "-format=json"},
		} {
			if out := c.run([]int{1}, args...); !strings.Contains(out, "state") {
				t.Errorf("candlekeep %s does not say state failed:\n%s", strings.Join(args, " "), out)
			}
		}
	}
}

func testSecretsNeverLeak(t *testing.T, adminDSN string) {
	kraken := krakenfake.New(krakenfake.Options{Now: scriptNow})
	defer kraken.Close()
	qdb := questdbtest.New(questdbtest.Options{Username: "candlekeep", Password: plantedQuestDBPassword})
	defer qdb.Close()

	dir := t.TempDir()
	if err := copyQuickstart(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "candlekeep.hcl")); err != nil {
		t.Fatal(err)
	}
	conf := secretsConfig
	c := &leakCheck{t: t, dir: dir, secrets: []string{plantedQuestDBPassword}, now: "-now=" + time.Unix(scriptNow, 0).UTC().Format(time.RFC3339)}
	var stateDB *sql.DB
	if adminDSN != "" {
		dsn, db := freshPostgresSchema(t, adminDSN)
		stateDB = db
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		pw, ok := u.User.Password()
		if !ok || pw == "" {
			t.Fatalf("%s has no password to plant", postgresDSNEnv)
		}
		c.secrets = append(c.secrets, pw, dsn)
		t.Setenv("SECRETS_STATE_DSN", dsn)
		conf += postgresStateConfig
	}
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SECRETS_QDB_ADDR", qdb.Addr())
	t.Setenv("SECRETS_QDB_PASSWORD", plantedQuestDBPassword)
	t.Setenv("SECRETS_KRAKEN_URL", kraken.URL())

	ok, changes, failed, stale := []int{0}, []int{2}, []int{1}, []int{0, 4}
	c.run(ok, "validate", "-no-color")
	c.run(ok, "init", "-no-color")
	c.run(ok, "plan", "-no-color", c.now)
	c.run(changes, "plan", "-no-color", "-detailed-exitcode", "-format=json", c.now)
	c.run(ok, "plan", "-no-color", "-out=reviewed.plan", c.now)
	c.run(ok, "show", "-json", "reviewed.plan")
	c.run(ok, "show", "-markdown", "reviewed.plan")
	c.run(ok, "apply", "-json", "reviewed.plan")
	if got := qdb.Count("candles"); got == 0 {
		t.Fatal("the saved plan wrote nothing: the cycle proves nothing")
	}
	// More work: a dropped month is drift, found and reloaded.
	qdb.DropRange("candles", mustUnix(t, "2021-02-01")*1_000_000, mustUnix(t, "2021-03-01")*1_000_000)
	c.run(ok, "plan", "-refresh", "-no-color", c.now)
	c.run(ok, "refresh", "-no-color")
	c.run(ok, "apply", "-auto-approve", "-no-color", "-log-format=json", c.now)
	c.run(ok, "apply", "-auto-approve", "-json", c.now)
	for _, args := range [][]string{
		{"state", "list", "-no-color"}, {"state", "list", "-json"},
		{"state", "show", "-no-color", "XBTUSD/1440"}, {"state", "show", "-json", "ETHUSD/60"},
		{"state", "runs", "-no-color"}, {"state", "runs", "-json"},
		{"state", "gaps", "-no-color"}, {"state", "gaps", "-json"},
		{"report"}, {"report", "-format=json"}, {"report", "-format=html", "-o", "report.html"},
		{"gc", "-dry-run", "-no-color"},
	} {
		c.run(ok, args...)
	}
	c.run(stale, "check", "-no-color", c.now)
	c.run(stale, "check", "-format=json", c.now)

	// Errors: a wrong QuestDB password, then an unreachable QuestDB, with
	// work to do (a month dropped again).
	qdb.DropRange("candles", mustUnix(t, "2021-02-01")*1_000_000, mustUnix(t, "2021-03-01")*1_000_000)
	c.run(ok, "refresh", "-no-color")
	t.Setenv("SECRETS_QDB_PASSWORD", plantedQuestDBPassword+"-wrong")
	c.secrets = append(c.secrets, plantedQuestDBPassword+"-wrong")
	c.run(failed, "init", "-no-color")
	c.run(failed, "apply", "-auto-approve", "-no-color", c.now)
	c.run(failed, "apply", "-auto-approve", "-json", c.now)
	c.run(failed, "refresh", "-no-color")
	t.Setenv("SECRETS_QDB_ADDR", "127.0.0.1:1")
	c.run(failed, "apply", "-auto-approve", "-no-color", "-log-format=json", c.now)

	c.files()
	if stateDB != nil {
		c.tables(stateDB, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
	} else {
		db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, ".candlekeep", "state.db")+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		c.tables(db, "SELECT name FROM sqlite_master WHERE type = 'table'")
	}
}

// freshPostgresSchema creates a schema only this test uses and returns a
// DSN selecting it, and a connection to it for reading the tables back.
func freshPostgresSchema(t *testing.T, adminDSN string) (string, *sql.DB) {
	t.Helper()
	name := fmt.Sprintf("ck_secrets_%d_%d", os.Getpid(), time.Now().UnixNano())
	admin := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(adminDSN)))
	t.Cleanup(func() { admin.Close() })
	if _, err := admin.Exec("CREATE SCHEMA " + name); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + name + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	sep := "?"
	if strings.Contains(adminDSN, "?") {
		sep = "&"
	}
	dsn := adminDSN + sep + "search_path=" + name
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	t.Cleanup(func() { db.Close() })
	return dsn, db
}

func mustUnix(t *testing.T, day string) int64 {
	t.Helper()
	tm, err := time.Parse(time.DateOnly, day)
	if err != nil {
		t.Fatal(err)
	}
	return tm.Unix()
}
