package questdb

import (
	"context"
	"fmt"
	"time"
)

// Settle waits until QuestDB has applied every acknowledged commit to the
// table, so a read-back sees all of it. A WAL table applies commits after
// acknowledging them; read too early and rows that were written look
// missing, which refresh would take for drift. A table whose WAL apply is
// suspended hides its rows until it is resumed: that is an error, since
// nothing read from it can be trusted.
func (s *Sink) Settle(ctx context.Context) error {
	q := "SELECT suspended, writerTxn, sequencerTxn FROM wal_tables() WHERE name = " + sqlString(s.table)
	deadline := time.Now().Add(s.SettleTimeout)
	for {
		res, err := s.exec.exec(ctx, q)
		if err != nil {
			return fmt.Errorf("check %s has applied its writes: %w", s, err)
		}
		if len(res.Dataset) == 0 {
			return nil // not a WAL table, or no table: nothing pending
		}
		row := res.Dataset[0]
		if len(row) != 3 {
			return fmt.Errorf("check %s has applied its writes: wal_tables() answered %d columns, want 3", s, len(row))
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
