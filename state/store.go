package state

import (
	"context"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// Store is an open state store. It is safe for concurrent use.
type Store struct {
	// implementation fields
}

// Open opens (creating if needed) the store and runs pending migrations.
// A SQLite path in a directory that cannot be created or written is an
// error naming the path.
func Open(ctx context.Context, cfg Config) (*Store, error) { panic("TODO") }

// Close closes the store.
func (s *Store) Close() error { panic("TODO") }

// Snapshot reads, in one transaction, what the planner needs.
func (s *Store) Snapshot(ctx context.Context) (*Snapshot, error) { panic("TODO") }

// FileCache returns every cached fingerprint/profile by key.
func (s *Store) FileCache(ctx context.Context) (map[string]FileCacheEntry, error) { panic("TODO") }

// SaveFileCache upserts cache entries by key. It does not bump the serial.
func (s *Store) SaveFileCache(ctx context.Context, entries []FileCacheEntry) error { panic("TODO") }

// BeginRun inserts a running run and its pending actions (IDs and RunID
// are filled in on the passed records), marks any earlier run still
// "running" as interrupted, and returns the run ID.
func (s *Store) BeginRun(ctx context.Context, run *Run, actions []ActionRecord) error { panic("TODO") }

// Record applies one confirmed step of an action in a single transaction:
// merges p.Covered into coverage (per source, adjacent spans merged),
// upserts p.File, updates the action's status/rows/checkpoint/error, and
// bumps the serial.
func (s *Store) Record(ctx context.Context, p Progress) error { panic("TODO") }

// FinishRun stores a run's final status, counts and error.
func (s *Store) FinishRun(ctx context.Context, run *Run) error { panic("TODO") }

// SyncGaps makes the gap records match what the latest plan found: gaps in
// found that are not yet recorded are inserted (detected now), recorded open
// or unfillable gaps that no longer appear in found are marked filled
// (resolved now), and existing ones get their status, reason and suggestion
// updated. Gaps are matched by series and span. Bumps the serial when
// anything changed.
func (s *Store) SyncGaps(ctx context.Context, found []Gap, now time.Time) error { panic("TODO") }

// Runs returns the most recent runs, newest first.
func (s *Store) Runs(ctx context.Context, limit int) ([]Run, error) { panic("TODO") }

// RunActions returns the actions of a run in plan order.
func (s *Store) RunActions(ctx context.Context, runID int64) ([]ActionRecord, error) { panic("TODO") }

// Coverage returns the covered spans of one series with their sources.
func (s *Store) Coverage(ctx context.Context, series ohlc.Series) (map[Source]ohlc.SpanSet, error) {
	panic("TODO")
}

// Lock takes the state lock for operation, waiting up to timeout (0: try
// once) while another live holder has it. A held lock is an error
// (*LockedError) that says who holds it and since when.
func (s *Store) Lock(ctx context.Context, operation string, timeout time.Duration) (*Lock, error) {
	panic("TODO")
}

// ForceUnlock removes the lock with the given ID, whoever holds it.
func (s *Store) ForceUnlock(ctx context.Context, id string) error { panic("TODO") }

// Lock is a held state lock. Its heartbeat is refreshed in the background
// until Unlock.
type Lock struct {
	Info LockInfo
}

// Unlock releases the lock.
func (l *Lock) Unlock(ctx context.Context) error { panic("TODO") }

// LockedError says the state is locked by someone else.
type LockedError struct {
	Holder LockInfo
}

func (e *LockedError) Error() string { panic("TODO") }
