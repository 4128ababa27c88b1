package state

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// migrations are compiled into the binary. Each one is idempotent (IF NOT
// EXISTS, ON CONFLICT DO NOTHING) and runs in its own transaction, so a
// crash between running one and marking it applied is harmless.
//
// v1 creates the tables from the row models in models.go. Before changing a
// model, freeze its current shape in a v1 copy here and add a migration
// that alters the table, so old and new stores end up alike.
func migrations() *migrate.Migrations {
	ms := migrate.NewMigrations()
	ms.Add(migrate.Migration{
		Name:    "20250601000000",
		Comment: "initial",
		Up: func(ctx context.Context, m *migrate.Migrator, _ *migrate.Migration) error {
			return m.DB().RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				return createV1(ctx, tx)
			})
		},
	})
	ms.Add(migrate.Migration{
		Name:    migrationSinks,
		Comment: "sinks",
		Up: func(ctx context.Context, m *migrate.Migrator, _ *migrate.Migration) error {
			return m.DB().RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				return addSinks(ctx, tx)
			})
		},
	})
	ms.Add(migrate.Migration{
		Name:    migrationLockNamespace,
		Comment: "lock namespace",
		Up: func(ctx context.Context, m *migrate.Migrator, _ *migrate.Migration) error {
			return m.DB().RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				return addLockNamespace(ctx, tx)
			})
		},
	})
	ms.Add(migrate.Migration{
		Name:    migrationFilesPerMember,
		Comment: "files per member",
		Up: func(ctx context.Context, m *migrate.Migrator, _ *migrate.Migration) error {
			return m.DB().RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				return filesPerMember(ctx, tx)
			})
		},
	})
	return ms
}

// migrationLockNamespace records the lock holder's PID namespace. Read-only
// commands never read the lock, so a store without it is not legacy.
const migrationLockNamespace = "20261205000000"

// addLockNamespace (v3) adds the holder's PID namespace to the lock row, so
// that a PID is only judged in the namespace it was taken in. A row left
// by an older candlekeep gets ”: its namespace is unknown.
func addLockNamespace(ctx context.Context, tx bun.Tx) error {
	// Idempotent, as the migrations must be: PostgreSQL says IF NOT
	// EXISTS, SQLite cannot, so it is asked first.
	add := "ALTER TABLE locks ADD COLUMN IF NOT EXISTS pid_ns VARCHAR NOT NULL DEFAULT ''"
	if tx.Dialect().Name().String() != "pg" {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM pragma_table_info('locks') WHERE name = 'pid_ns'").Scan(&n); err != nil {
			return fmt.Errorf("add pid_ns to locks: %w", err)
		}
		if n > 0 {
			return nil
		}
		add = "ALTER TABLE locks ADD COLUMN pid_ns VARCHAR NOT NULL DEFAULT ''"
	}
	if _, err := tx.ExecContext(ctx, add); err != nil {
		return fmt.Errorf("add pid_ns to locks: %w", err)
	}
	return nil
}

// migrationSinks is the migration that keys coverage by sink; a state
// without it is read as one whose coverage belongs to the configured sink.
const migrationSinks = "20261204000000"

func createV1(ctx context.Context, tx bun.Tx) error {
	tables := []struct {
		model any
		fk    string
	}{
		{model: (*metaRow)(nil)},
		{model: (*runRowV1)(nil)},
		{model: (*actionRow)(nil), fk: `("run_id") REFERENCES "runs" ("id") ON DELETE CASCADE`},
		{model: (*fileRowV1)(nil)},
		{model: (*coverageRowV1)(nil)},
		{model: (*gapRowV1)(nil)},
		{model: (*lockRowV1)(nil)},
		{model: (*fileCacheRow)(nil)},
	}
	for _, t := range tables {
		q := tx.NewCreateTable().Model(t.model).IfNotExists()
		if t.fk != "" {
			q = q.ForeignKey(t.fk)
		}
		if _, err := q.Exec(ctx); err != nil {
			return fmt.Errorf("create table: %w", err)
		}
	}
	indexes := []struct {
		model   any
		name    string
		columns []string
	}{
		{(*actionRow)(nil), "run_actions_run_seq", []string{"run_id", "seq"}},
		{(*coverageRowV1)(nil), "coverage_series", []string{"pair", "interval_min", "source", "start_ts"}},
		{(*gapRowV1)(nil), "gaps_series", []string{"pair", "interval_min", "start_ts"}},
		{(*gapRowV1)(nil), "gaps_status", []string{"status"}},
		{(*runRowV1)(nil), "runs_status", []string{"status"}},
	}
	for _, ix := range indexes {
		if _, err := tx.NewCreateIndex().Model(ix.model).Index(ix.name).Column(ix.columns...).IfNotExists().Exec(ctx); err != nil {
			return fmt.Errorf("create index %s: %w", ix.name, err)
		}
	}
	meta := &metaRow{ID: 1, Lineage: newRandomID(), CreatedAt: time.Now().UTC()}
	if _, err := tx.NewInsert().Model(meta).On("CONFLICT (id) DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("create lineage: %w", err)
	}
	return nil
}

// migrateStore runs pending migrations. bun's migration lock is a row that
// fails at once when another process holds it, so concurrent Opens retry
// with backoff until ctx ends or the wait passes migrateWait.
func migrateStore(ctx context.Context, db *bun.DB) error {
	m := migrate.NewMigrator(db, migrations(), migrate.WithMarkAppliedOnSuccess(true))
	deadline := time.Now().Add(migrateWait)
	delay := 10 * time.Millisecond
	for attempt := 1; ; attempt++ {
		done, err := tryMigrate(ctx, m, attempt)
		if done || err == nil {
			return err
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(delay*2, time.Second)
	}
}

// migrateWait bounds how long Open waits for another process's migration.
const migrateWait = 30 * time.Second

// tryMigrate returns done=true when the error (if any) is final, and
// done=false with an error worth retrying: the migration lock is held, or
// (in the first few attempts) two processes raced to create the
// bookkeeping tables. A store that cannot be reached fails after those few.
func tryMigrate(ctx context.Context, m *migrate.Migrator, attempt int) (done bool, err error) {
	// A store a newer candlekeep wrote is refused before anything is
	// migrated. The read can meet another process's migration holding
	// SQLite's lock: that is worth another attempt, as the lock is.
	if err := checkStoreVersion(ctx, m.DB()); err != nil {
		return !busy(err), err
	}
	if err := m.Init(ctx); err != nil {
		return attempt >= 3, fmt.Errorf("prepare migrations: %w", err)
	}
	pending, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return true, fmt.Errorf("read migrations: %w", err)
	}
	if len(pending.Unapplied()) == 0 {
		return true, nil
	}
	if err := m.Lock(ctx); err != nil {
		return false, fmt.Errorf("another process is migrating the state store (if none is, delete the row in bun_migration_locks): %w", err)
	}
	defer m.Unlock(context.WithoutCancel(ctx)) //nolint:errcheck // a failed unlock surfaces on the next Open
	if _, err := m.Migrate(ctx); err != nil {
		return true, fmt.Errorf("migrate: %w", err)
	}
	return true, nil
}

// addSinks (v2) keys coverage, files, gaps and runs by the sink they were
// confirmed in. Existing rows get sink 0: the coverage of a state older
// than sink identities, which the first apply or init claims for the sink
// it finds configured (ClaimLegacy). files gains the sink in its primary
// key, which neither dialect can alter in place, so it is rebuilt.
func addSinks(ctx context.Context, tx bun.Tx) error {
	if _, err := tx.NewCreateTable().Model((*sinkRow)(nil)).IfNotExists().Exec(ctx); err != nil {
		return fmt.Errorf("create table sinks: %w", err)
	}
	if _, err := tx.NewCreateIndex().Model((*sinkRow)(nil)).Index("sinks_identity").Unique().
		Column("kind", "address", "table_name", "incarnation").IfNotExists().Exec(ctx); err != nil {
		return fmt.Errorf("create index sinks_identity: %w", err)
	}
	for _, table := range []string{"coverage", "gaps", "runs"} {
		if _, err := tx.ExecContext(ctx, "ALTER TABLE "+table+" ADD COLUMN sink_id BIGINT NOT NULL DEFAULT 0"); err != nil {
			return fmt.Errorf("add sink_id to %s: %w", table, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "ALTER TABLE files RENAME TO files_v1"); err != nil {
		return fmt.Errorf("rebuild files: %w", err)
	}
	if _, err := tx.NewCreateTable().Model((*fileRowV2)(nil)).Exec(ctx); err != nil {
		return fmt.Errorf("rebuild files: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO files (sink_id, fingerprint, dump, member, pair, interval_min, first_ts, last_ts, row_count, status, error, updated_at)
		SELECT 0, fingerprint, dump, member, pair, interval_min, first_ts, last_ts, row_count, status, error, updated_at FROM files_v1`); err != nil {
		return fmt.Errorf("rebuild files: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "DROP TABLE files_v1"); err != nil {
		return fmt.Errorf("rebuild files: %w", err)
	}
	indexes := []struct {
		model   any
		name    string
		columns []string
	}{
		{(*coverageRow)(nil), "coverage_sink_series", []string{"sink_id", "pair", "interval_min", "source", "start_ts"}},
		{(*gapRow)(nil), "gaps_sink_series", []string{"sink_id", "pair", "interval_min", "start_ts"}},
	}
	for _, ix := range indexes {
		if _, err := tx.NewCreateIndex().Model(ix.model).Index(ix.name).Column(ix.columns...).IfNotExists().Exec(ctx); err != nil {
			return fmt.Errorf("create index %s: %w", ix.name, err)
		}
	}
	return nil
}
