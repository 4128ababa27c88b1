package main

import (
	"database/sql"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdStateMigration records a migration in a SQLite state as if a newer
// candlekeep had applied it: statemigration DB NAME
func cmdStateMigration(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: statemigration DB NAME")
	}
	db, err := sql.Open("sqlite", "file:"+ts.MkAbs(args[0]))
	ts.Check(err)
	defer db.Close()
	_, err = db.Exec(`INSERT INTO bun_migrations (name, group_id, migrated_at) VALUES (?, 99, CURRENT_TIMESTAMP)`, args[1])
	ts.Check(err)
}
