// Package questdb is the production candle sink: one QuestDB table written
// with InfluxDB Line Protocol over HTTP (go-questdb-client v3), set up and
// read back through QuestDB's HTTP /exec endpoint.
//
// Idempotence: the table is created before any row is written with
// DEDUP UPSERT KEYS(timestamp, pair, interval), so a candle written twice
// is stored once and a revised candle replaces the old one. That makes
// every retry harmless, and Setup refuses a table without those keys.
//
// Acknowledgement: QuestDB applies one ILP-over-HTTP request as one
// transaction and answers 2xx only once it is committed (to the WAL).
// Write returns nil only after every request of its batch got a 2xx.
//
// The conf string is the client's ("http::addr=host:9000;username=…;
// password=…;" or "token=…"); its password and token never appear in an
// error or in String.
package questdb

import (
	"context"
	"errors"
	"fmt"
	"time"

	qdb "github.com/questdb/go-questdb-client/v3"

	"github.com/feefifofunds/candlekeep/sinks"
)

// Backoff says how a writer retries a request that failed for a reason
// that may pass (network error, timeout, 5xx): up to Attempts requests in
// all, waiting about Base, 2×Base, 4×Base … (at most Max, with jitter)
// between them.
type Backoff struct {
	Attempts int
	Base     time.Duration
	Max      time.Duration
}

// DefaultBackoff rides out a QuestDB restart of a few seconds.
var DefaultBackoff = Backoff{Attempts: 5, Base: 200 * time.Millisecond, Max: 5 * time.Second}

// DefaultRequestRows is the most rows a writer sends in one HTTP request;
// a larger batch goes in several requests.
const DefaultRequestRows = 10000

// Sink writes candles to one QuestDB table.
type Sink struct {
	// Retry and RequestRows may be changed after Open, before NewWriter.
	Retry       Backoff
	RequestRows int
	// SettleTimeout and SettlePoll bound Settle's wait for QuestDB to
	// apply acknowledged commits (defaults 60s and 250ms).
	SettleTimeout time.Duration
	SettlePoll    time.Duration

	conf   *clientConf
	table  string
	quoted string // table name as an SQL literal: 'candles'
	exec   *execClient
}

var _ sinks.Sink = (*Sink)(nil)

// Open checks conf and table and prepares the sink; it does not contact
// QuestDB (Setup does).
func Open(ctx context.Context, conf, table string) (*Sink, error) {
	c, err := parseConf(conf)
	if err != nil {
		return nil, fmt.Errorf("open questdb sink: conf string: %w", err)
	}
	if err := checkTableName(table); err != nil {
		return nil, fmt.Errorf("open questdb sink at %s: %w", c.baseURL(), err)
	}
	// Building (and dropping) a sender lets the client check the string
	// too; its message is rebuilt, redacted, rather than wrapped.
	probe, err := qdb.LineSenderFromConf(ctx, c.senderConf())
	if err != nil {
		return nil, fmt.Errorf("open questdb sink: conf string: %s", c.redact(err.Error()))
	}
	if err := probe.Close(ctx); err != nil {
		return nil, fmt.Errorf("open questdb sink: %s", c.redact(err.Error()))
	}
	return &Sink{
		Retry:         DefaultBackoff,
		RequestRows:   DefaultRequestRows,
		conf:          c,
		table:         table,
		quoted:        sqlString(table),
		SettleTimeout: 60 * time.Second,
		SettlePoll:    250 * time.Millisecond,
		exec:          newExecClient(c),
	}, nil
}

// String describes the sink without secrets.
func (s *Sink) String() string {
	return fmt.Sprintf("questdb %s table %s", s.conf.baseURL(), s.quoted)
}

// Conf is the conf string with password and token redacted.
func (s *Sink) Conf() string { return s.conf.String() }

// Table is the table's name.
func (s *Sink) Table() string { return s.table }

// Close releases idle connections. Writers must be closed before.
func (s *Sink) Close() error {
	s.exec.transport.CloseIdleConnections()
	return nil
}

// ConcurrentWrites is 3: each write is HTTP requests of its own, which
// QuestDB takes side by side, so writes in flight keep both cores
// encoding while earlier ones are answered (sinks.Concurrent). One load
// of 3 million rows into the stand-in: 1.5 M rows/s with one write in
// flight, 2.15 M with two, 2.45 M with three, no more with four
// (BenchmarkApplyQuestDB/one-file, 2 cores).
func (s *Sink) ConcurrentWrites() int { return 3 }

var _ sinks.Concurrent = (*Sink)(nil)

// NewWriter returns a writer with its own ILP sender.
func (s *Sink) NewWriter(ctx context.Context) (sinks.Writer, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("new questdb writer: %w", err)
	}
	w := &writer{sink: s, retry: s.Retry, requestRows: max(s.RequestRows, 1)}
	if w.retry.Attempts < 1 {
		w.retry.Attempts = 1
	}
	if err := w.newSender(ctx, 0); err != nil {
		return nil, err
	}
	return w, nil
}

// checkTableName refuses names QuestDB's ILP cannot carry, at Open rather
// than at the first write.
func checkTableName(name string) error {
	switch {
	case name == "":
		return errors.New("empty table name")
	case len(name) > 127:
		return fmt.Errorf("table name %q is longer than 127 bytes", name)
	case name[0] == '.' || name[len(name)-1] == '.':
		return fmt.Errorf("table name %q may not start or end with '.'", name)
	}
	for i := 0; i < len(name); i++ {
		ch := name[i]
		if ch < 0x20 || ch == 0x7f {
			return fmt.Errorf("table name %q holds a control character", name)
		}
		switch ch {
		case '?', ',', '\'', '"', '\\', '/', ':', '(', ')', '+', '*', '%', '~':
			return fmt.Errorf("table name %q may not contain %q", name, ch)
		}
	}
	return nil
}
