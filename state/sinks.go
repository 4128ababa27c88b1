package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// Sink ids with a meaning of their own.
const (
	// LegacySink holds the coverage of a state written before sink
	// identities; the first sink an apply or init finds configured
	// claims it (ClaimLegacy).
	LegacySink int64 = 0
	// NoSink is a sink state knows nothing of: it reads as empty.
	NoSink int64 = -1
)

// SinkRecord is one incarnation of a sink table state has seen.
type SinkRecord struct {
	ID        int64
	Identity  ohlc.SinkIdentity
	FirstSeen time.Time
	LastSeen  time.Time
}

// SinkMatch is what state knows of a sink identity.
type SinkMatch struct {
	// ID is the sink whose coverage applies: a record's id, LegacySink,
	// or NoSink.
	ID int64
	// Record is the matched record, when ID is one.
	Record *SinkRecord
	// Others are the other incarnations of the same table state has
	// seen, newest first: a table missing or created anew lost them.
	Others []SinkRecord
	// Known is how many sinks, of any table, state has recorded.
	Known int
}

// FindSink says which of state's coverage belongs to the sink identified
// by id. Checked says id was read from the sink itself; unchecked (the
// sink could not be reached) takes the incarnation of the same table
// state saw last. A missing table owns nothing. The coverage of a state
// older than sink identities belongs to the first sink it is planned for
// while no sink has been recorded.
func (s *Store) FindSink(ctx context.Context, id ohlc.SinkIdentity, checked bool) (SinkMatch, error) {
	if s.legacy {
		// Schema v1, read-only: everything belongs to the configured sink,
		// as the upgrade will decide, unless its table is gone.
		if checked && !id.Exists() {
			return SinkMatch{ID: NoSink}, nil
		}
		return SinkMatch{ID: LegacySink}, nil
	}
	var rows []sinkRow
	q := s.db.NewSelect().Model(&rows).Where("kind = ? AND table_name = ?", id.Kind, id.Table)
	if checked || id.Address != "" {
		// An unchecked identity may lack the address (read from an unset
		// variable): the latest record of the kind and table stands in.
		q = q.Where("address = ?", id.Address)
	}
	if err := q.OrderExpr("last_seen DESC, id DESC").Scan(ctx); err != nil {
		return SinkMatch{}, fmt.Errorf("read sinks: %w", err)
	}
	m := SinkMatch{ID: NoSink}
	for _, r := range rows {
		rec := r.record()
		switch {
		case m.Record == nil && checked && id.Exists() && r.Incarnation == id.Incarnation,
			m.Record == nil && !checked:
			m.ID, m.Record = r.ID, &rec
		default:
			m.Others = append(m.Others, rec)
		}
	}
	known, err := s.db.NewSelect().Model((*sinkRow)(nil)).Count(ctx)
	if err != nil {
		return SinkMatch{}, fmt.Errorf("read sinks: %w", err)
	}
	m.Known = int(known)
	if m.Record != nil || (checked && !id.Exists()) {
		return m, nil
	}
	if known == 0 {
		m.ID = LegacySink
	}
	return m, nil
}

// UseSink makes every later read and write of coverage, files, gaps and
// runs concern that sink (a SinkMatch's ID or a RegisterSink's). A store
// uses LegacySink until told otherwise. Call it before any concurrent use.
func (s *Store) UseSink(id int64) { s.sink = id }

// Sink is the sink in use.
func (s *Store) Sink() int64 { return s.sink }

// RegisterSink records that the sink id was seen (set up) now and returns
// its record. It is not a claim about candles, so the serial stays.
func (s *Store) RegisterSink(ctx context.Context, id ohlc.SinkIdentity) (SinkRecord, error) {
	if !id.Exists() {
		return SinkRecord{}, fmt.Errorf("register sink %s: the table does not exist", id)
	}
	if err := s.writable(); err != nil {
		return SinkRecord{}, err
	}
	now := utc(s.now())
	var rec SinkRecord
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var row sinkRow
		err := tx.NewSelect().Model(&row).
			Where("kind = ? AND address = ? AND table_name = ? AND incarnation = ?", id.Kind, id.Address, id.Table, id.Incarnation).
			Scan(ctx)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			row = sinkRow{Kind: id.Kind, Address: id.Address, TableName: id.Table, Incarnation: id.Incarnation, FirstSeen: now, LastSeen: now}
			if _, err := tx.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
				return fmt.Errorf("insert: %w", err)
			}
		case err != nil:
			return err
		default:
			row.LastSeen = now
			if _, err := tx.NewUpdate().Model(&row).Column("last_seen").WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("update: %w", err)
			}
		}
		rec = row.record()
		return nil
	})
	if err != nil {
		return SinkRecord{}, fmt.Errorf("register sink %s: %w", id, err)
	}
	return rec, nil
}

// ClaimLegacy gives the coverage, files, gaps and runs of a state older
// than sink identities (LegacySink) to sink, in one transaction, and
// returns how many series of coverage moved. It does nothing once any
// other sink was recorded before sink, and nothing when there is nothing
// to claim.
func (s *Store) ClaimLegacy(ctx context.Context, sink int64) (series int, err error) {
	if err := s.writable(); err != nil {
		return 0, err
	}
	err = s.write(ctx, func(ctx context.Context, tx bun.Tx) error {
		earlier, err := tx.NewSelect().Model((*sinkRow)(nil)).Where("id <> ?", sink).Count(ctx)
		if err != nil {
			return err
		}
		if earlier > 0 {
			return nil
		}
		if err := tx.NewRaw("SELECT count(*) FROM (SELECT DISTINCT pair, interval_min FROM coverage WHERE sink_id = ?) AS s", LegacySink).Scan(ctx, &series); err != nil {
			return err
		}
		for _, table := range []string{"coverage", "files", "gaps", "runs"} {
			if _, err := tx.ExecContext(ctx, "UPDATE "+table+" SET sink_id = ? WHERE sink_id = ?", sink, LegacySink); err != nil {
				return fmt.Errorf("%s: %w", table, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("claim the coverage of the upgraded state: %w", err)
	}
	return series, nil
}

// Sinks lists every sink state has recorded, most recently seen first.
func (s *Store) Sinks(ctx context.Context) ([]SinkRecord, error) {
	if s.legacy {
		return nil, nil
	}
	var rows []sinkRow
	if err := s.db.NewSelect().Model(&rows).OrderExpr("last_seen DESC, id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("read sinks: %w", err)
	}
	out := make([]SinkRecord, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}

func (r sinkRow) record() SinkRecord {
	return SinkRecord{
		ID:        r.ID,
		Identity:  ohlc.SinkIdentity{Kind: r.Kind, Address: r.Address, Table: r.TableName, Incarnation: r.Incarnation},
		FirstSeen: utc(r.FirstSeen), LastSeen: utc(r.LastSeen),
	}
}

// bySink limits a query of coverage, files, gaps or runs to the sink in
// use.
func (s *Store) bySink(q *bun.SelectQuery) *bun.SelectQuery {
	switch {
	case s.legacy && s.sink == NoSink:
		return q.ExcludeColumn("sink_id").Where("1 = 0")
	case s.legacy:
		return q.ExcludeColumn("sink_id") // v1 tables have no such column
	}
	return q.Where("sink_id = ?", s.sink)
}

// sinkFilter is bySink for a raw query: a WHERE clause and its argument.
func (s *Store) sinkFilter() (string, []any) {
	switch {
	case s.legacy && s.sink == NoSink:
		return " WHERE 1 = 0", nil
	case s.legacy:
		return "", nil
	}
	return " WHERE sink_id = ?", []any{s.sink}
}
