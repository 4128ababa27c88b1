package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"regexp"

	"github.com/feefifofunds/candlekeep/internal/sqlitefile"
	"github.com/feefifofunds/candlekeep/ohlc"
)

// Unmarked is the incarnation of a candle table created without a marker:
// by a candlekeep older than sink identities, or by hand.
const Unmarked = "unmarked"

// incarnationMarker is the comment Setup puts into CREATE TABLE.
func incarnationMarker(id string) string { return "/* candlekeep incarnation " + id + " */" }

var markerPattern = regexp.MustCompile(`/\* candlekeep incarnation ([0-9a-f]+) \*/`)

func newIncarnation() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// Identify reads which incarnation of the table the file holds.
func (s *Sink) Identify(ctx context.Context) (ohlc.SinkIdentity, error) {
	return identify(ctx, s.db, s.path, s.table)
}

// Identify reads which incarnation of table the database file at path
// holds, without creating or changing anything: a missing file, like a
// missing table, is an identity without incarnation.
func Identify(ctx context.Context, path, table string) (ohlc.SinkIdentity, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return ohlc.SinkIdentity{Kind: "sqlite", Address: path, Table: table}, nil
	}
	db, err := openReadOnly(path)
	if err != nil {
		return ohlc.SinkIdentity{}, err
	}
	defer db.Close()
	return identify(ctx, db, path, table)
}

func identify(ctx context.Context, db *sql.DB, path, table string) (ohlc.SinkIdentity, error) {
	id := ohlc.SinkIdentity{Kind: "sqlite", Address: path, Table: table}
	var create string
	err := db.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE`, table).Scan(&create)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return id, nil
	case err != nil:
		return id, fmt.Errorf("identify table %s in %s: %w", table, path, err)
	}
	if m := markerPattern.FindStringSubmatch(create); m != nil {
		id.Incarnation = m[1]
	} else {
		id.Incarnation = Unmarked
	}
	return id, nil
}

// openReadOnly opens an existing database file for reading only.
func openReadOnly(path string) (*sql.DB, error) {
	db, err := sqlitefile.OpenReadOnly(path, busyTimeoutMillis)
	if err != nil {
		return nil, fmt.Errorf("open sqlite sink %s for reading: %w", path, err)
	}
	return db, nil
}

// OpenReadOnly opens an existing database file for reading (Identify,
// ReadBack, Candles) without creating or changing anything; Setup and
// NewWriter refuse.
func OpenReadOnly(path, table string) (*Sink, error) {
	db, err := openReadOnly(path)
	if err != nil {
		return nil, err
	}
	return &Sink{db: db, path: path, table: table, quoted: quoteIdent(table)}, nil
}
