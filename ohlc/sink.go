package ohlc

import "fmt"

// SinkIdentity says which stored table coverage was confirmed in. State keys
// every covered span and loaded file by it, so that a plan for another
// table, another file, or the same table created anew never borrows
// coverage it does not hold.
type SinkIdentity struct {
	Kind    string // "sqlite" or "questdb"
	Address string // SQLite: the database file as configured; QuestDB: host:port
	Table   string
	// Incarnation changes whenever the table is created anew (a SQLite
	// file deleted and set up again, a QuestDB table dropped and
	// recreated). It is empty when the table does not exist.
	Incarnation string
}

// Exists reports whether the table was there when the identity was read.
func (id SinkIdentity) Exists() bool { return id.Incarnation != "" }

// SameTable reports whether id and o name the same table, whatever its
// incarnation.
func (id SinkIdentity) SameTable(o SinkIdentity) bool {
	return id.Kind == o.Kind && id.Address == o.Address && id.Table == o.Table
}

// String names the sink for people: never a credential.
func (id SinkIdentity) String() string {
	return fmt.Sprintf("%s %s, table %s", id.Kind, id.Address, id.Table)
}
