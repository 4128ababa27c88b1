package sqlitefile

import (
	"database/sql"
	"fmt"
	"strings"
)

// URI is the file: URI of the database at path with the query given.
func URI(path, query string) string {
	return "file:" + uriEscaper.Replace(path) + "?" + query
}

var uriEscaper = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// OpenReadOnly opens an existing database file for reading only, with one
// connection. A database in WAL mode needs its -shm file, which SQLite
// cannot create in a directory the user may not write: the file is then
// read as immutable. Nothing is created either way.
func OpenReadOnly(path string, busyMillis int) (*sql.DB, error) {
	var lastErr error
	for _, mode := range []string{"mode=ro", "immutable=1"} {
		db := Open(URI(path, fmt.Sprintf("%s&_pragma=busy_timeout(%d)", mode, busyMillis)), path)
		db.SetMaxOpenConns(1)
		if _, err := db.Exec("SELECT count(*) FROM sqlite_master"); err != nil {
			db.Close()
			lastErr = err
			continue
		}
		return db, nil
	}
	return nil, lastErr
}
