package questdb

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Settle waits until QuestDB has applied every acknowledged commit to the
// table, so a read-back sees all of it. A WAL table applies commits after
// acknowledging them; read too early and rows that were written look
// missing, which refresh would take for drift. A table whose WAL apply is
// suspended hides its rows until it is resumed: that is an error, since
// nothing read from it can be trusted.
func (s *Sink) Settle(ctx context.Context) error {
	// Every WAL table, matched here: wal_tables() reports the name as the
	// table was created and WHERE name = compares it exactly, while SQL
	// (and the configuration) name a table in any case. A filter on
	// 'candles' misses a table created as "Candles" and would skip the
	// wait.
	q := "SELECT name, suspended, writerTxn, sequencerTxn FROM wal_tables()"
	deadline := time.Now().Add(s.SettleTimeout)
	for {
		res, err := s.exec.exec(ctx, q)
		if err != nil {
			return fmt.Errorf("check %s has applied its writes: %w", s, err)
		}
		var row []any
		for _, r := range res.Dataset {
			if len(r) != 4 {
				return fmt.Errorf("check %s has applied its writes: wal_tables() answered %d columns, want 4", s, len(r))
			}
			if name, ok := asString(r[0]); ok && strings.EqualFold(name, s.table) {
				row = r[1:]
				break
			}
		}
		if row == nil {
			return nil // not a WAL table, or no table: nothing pending
		}
		if asBool(row[0]) {
			return fmt.Errorf("%s has its WAL apply suspended: its latest rows are not visible, so what it holds cannot be checked; fix the cause in QuestDB's log, then run ALTER TABLE %s RESUME WAL", s, s.quoted)
		}
		writer, ok1 := asInt(row[1])
		sequencer, ok2 := asInt(row[2])
		if !ok1 || !ok2 {
			return fmt.Errorf("check %s has applied its writes: wal_tables() answered %v", s, row)
		}
		if writer >= sequencer {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s has still not applied %d acknowledged commits after %s; read it back later", s, sequencer-writer, s.SettleTimeout)
		}
		t := time.NewTimer(s.SettlePoll)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}
