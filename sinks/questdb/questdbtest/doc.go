// Package questdbtest is an in-process stand-in for a QuestDB server, for
// tests of the QuestDB sink: no QuestDB can be installed where the tests
// run. It serves, over net/http/httptest, what the sink and
// go-questdb-client v3 use, and behaves like QuestDB where a sink could
// get it wrong:
//
//   - POST /write and /api/v2/write: InfluxDB line protocol parsed
//     strictly (escapes, integers with i, booleans, quoted strings, t
//     timestamps, NaN and Infinity, optional trailing timestamp in the
//     unit of the precision parameter, nanoseconds by default). One request
//     is one transaction: any error rejects the whole request, answered
//     with HTTP 400 and QuestDB's JSON {"code","message","line","errorId"},
//     and applies no row. Success answers 204.
//   - Column types as QuestDB casts them: a float into a LONG column or a
//     string into a DOUBLE column is rejected naming the line; a missing
//     field is NULL; an unknown column is added, an unknown table is
//     created the way ILP auto-creation does it (tags as SYMBOL, then the
//     fields, a designated "timestamp", no dedup keys). Like QuestDB, such
//     schema changes stay even when the request's rows are rejected.
//   - Tables created with DEDUP UPSERT KEYS upsert on those keys (a later
//     row replaces the whole earlier row, within a request and across);
//     tables without keys append duplicates.
//   - GET /exec: CREATE TABLE [IF NOT EXISTS] with columns, TIMESTAMP(),
//     PARTITION BY, WAL and DEDUP UPSERT KEYS; SHOW COLUMNS FROM; and
//     SELECT of columns, min(), max() and count() FROM one table WHERE a
//     conjunction of comparisons with literals, GROUP BY, ORDER BY. Answers
//     use QuestDB's JSON shapes; anything else is HTTP 400
//     {"query","error","position"}.
//   - Authentication: HTTP basic or bearer token when configured (401).
//   - Injected faults, one per /write request: a status code, a hang, a
//     slow answer, a dropped connection after the body was read, a
//     rejection naming a line.
//   - GET /settings answers 404, as an old QuestDB does; so does any other
//     path.
//
// It does not model: WAL apply lag (a committed request is visible at
// once, where real QuestDB may answer a read before applying it; SetWAL
// only changes what the sink's wal_tables() query is told, so its waiting
// and its refusal of a suspended table can be tested);
// partitions and their lifecycle (DropRange imitates a dropped partition
// for a time range); symbol capacity, caching and indexes; out-of-order
// commit lag; SQL beyond the statements above (no joins, functions other
// than min, max and count, sub-queries, LIMIT, SAMPLE BY, INSERT, DROP);
// GROUP BY ordering (groups come back in descending key order, so a caller
// that relies on an order fails here as it may on QuestDB); ILP over TCP
// or UDP; LONG256, geohash, array and decimal values; column types other
// than SYMBOL, STRING, VARCHAR, DOUBLE, FLOAT, LONG, INT, SHORT, BYTE,
// BOOLEAN, TIMESTAMP and DATE; max line or request sizes; TLS; the /ping,
// /imp, /exp and /settings endpoints; error ids that stay stable across
// server restarts.
package questdbtest
