package state

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// fileRowV2 is the files table as migration v2 (addSinks) created it,
// frozen: one record per sink and fingerprint, which two members with the
// same bytes shared. v4 (filesPerMember) keys it by member too.
type fileRowV2 struct {
	bun.BaseModel `bun:"table:files"`

	SinkID      int64     `bun:"sink_id,pk"`
	Fingerprint string    `bun:"fingerprint,pk"`
	Dump        string    `bun:"dump,notnull"`
	Member      string    `bun:"member,notnull"`
	Pair        string    `bun:"pair,notnull"`
	IntervalMin int       `bun:"interval_min,notnull"`
	FirstTS     int64     `bun:"first_ts,notnull"`
	LastTS      int64     `bun:"last_ts,notnull"`
	RowCount    int64     `bun:"row_count,notnull"`
	Status      string    `bun:"status,notnull"`
	Error       string    `bun:"error,notnull"`
	UpdatedAt   time.Time `bun:"updated_at,notnull"`
}

// migrationFilesPerMember is the migration that keys file records by
// member as well as content.
const migrationFilesPerMember = "20261206000000"

// filesPerMember (v4) keys file records by (sink, fingerprint, dump,
// member): a record is one member's, never shared by another member whose
// bytes are equal, so drift checks see each (issue 13). The columns stay
// as they were, so a store without v4 reads the same; only the primary key
// changes, which neither dialect can alter in place, so the table is
// rebuilt as v2 rebuilt it, keeping every row.
func filesPerMember(ctx context.Context, tx bun.Tx) error {
	if _, err := tx.ExecContext(ctx, "ALTER TABLE files RENAME TO files_v2"); err != nil {
		return fmt.Errorf("rebuild files: %w", err)
	}
	if _, err := tx.NewCreateTable().Model((*fileRow)(nil)).Exec(ctx); err != nil {
		return fmt.Errorf("rebuild files: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO files (sink_id, fingerprint, dump, member, pair, interval_min, first_ts, last_ts, row_count, status, error, updated_at)
		SELECT sink_id, fingerprint, dump, member, pair, interval_min, first_ts, last_ts, row_count, status, error, updated_at FROM files_v2`); err != nil {
		return fmt.Errorf("rebuild files: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "DROP TABLE files_v2"); err != nil {
		return fmt.Errorf("rebuild files: %w", err)
	}
	return nil
}
