// Package state is candlekeep's record of what the sink holds: coverage,
// files loaded, gaps, runs, lineage and serial, and the run lock. It is
// stored through bun in SQLite (default) or PostgreSQL, with embedded
// migrations.
package state

import (
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/ohlc/snapshot"
)

// Config says which store to open.
type Config struct {
	Backend string // "sqlite" or "postgres"
	Path    string // sqlite file
	DSN     string // postgres DSN (secret: never in errors)
}

// Source says where covered candles came from.
type Source string

// Coverage sources.
const (
	SourceCSV Source = "csv"
	SourceAPI Source = "api"
	// SourceTrades: candles rebuilt from Kraken's trade history.
	SourceTrades Source = "trades"
)

// CrossCheckNote begins the message a completed rebuild stores in its
// action record when candles the sink already held differ from the ones
// it rebuilt; report shows it with the series' last run.
const CrossCheckNote = "cross-check: "

// DerivedFrom is the source of candles aggregated from a shorter
// interval's: "derived:60". The interval is kept so that a reload of that
// source can tell which derived spans it makes stale.
func DerivedFrom(iv ohlc.Interval) Source { return Source("derived:" + iv.String()) }

// The snapshot's value types live in ohlc/snapshot so that the planner
// can read them without depending on this package (and its databases);
// these aliases keep the names state's callers use.
type (
	Snapshot   = snapshot.Snapshot
	FileKey    = snapshot.FileKey
	FileStatus = snapshot.FileStatus
	FileRecord = snapshot.FileRecord
	GapStatus  = snapshot.GapStatus
	Gap        = snapshot.Gap
)

// File statuses.
const (
	FilePartial = snapshot.FilePartial
	FileLoaded  = snapshot.FileLoaded
	FileFailed  = snapshot.FileFailed
)

// Gap statuses.
const (
	GapOpen       = snapshot.GapOpen
	GapFilled     = snapshot.GapFilled
	GapUnfillable = snapshot.GapUnfillable
	GapFailed     = snapshot.GapFailed
)

// RunStatus is the life cycle of a run.
type RunStatus string

// Run statuses.
const (
	RunRunning     RunStatus = "running"
	RunSucceeded   RunStatus = "succeeded"
	RunFailed      RunStatus = "failed"      // finished with failed actions or an error
	RunInterrupted RunStatus = "interrupted" // cancelled, or found running by a later run
)

// Run is one apply.
type Run struct {
	ID          int64
	Operation   string // "apply"
	Status      RunStatus
	PlanDigest  string
	StartedAt   time.Time
	FinishedAt  time.Time
	Actions     int
	Succeeded   int
	Failed      int
	RowsWritten int64
	Error       string
}

// ActionStatus is the life cycle of one action of a run.
type ActionStatus string

// Action statuses.
const (
	ActionPending ActionStatus = "pending"
	ActionRunning ActionStatus = "running"
	ActionDone    ActionStatus = "done"
	ActionFailed  ActionStatus = "failed"
	ActionSkipped ActionStatus = "skipped" // not started: the run was cancelled
	// ActionInterrupted: stopped on request after some batches, or found
	// running by a later run (a crash); coverage is recorded up to its
	// checkpoint.
	ActionInterrupted ActionStatus = "interrupted"
)

// ActionRecord is one action of a run.
type ActionRecord struct {
	ID          int64
	RunID       int64
	Seq         int // position in the plan
	Kind        string
	Series      ohlc.Series
	Span        ohlc.Span
	Dump        string
	Member      string
	Fingerprint string
	Status      ActionStatus
	Rows        int64
	Checkpoint  int64 // coverage is recorded up to here (exclusive), Unix seconds
	Error       string
}

// Progress is one confirmed step of an action, recorded in one state
// transaction after the sink confirmed the rows: coverage merged, file
// record updated, action row updated, serial bumped.
type Progress struct {
	RunID    int64
	ActionID int64
	Series   ohlc.Series
	// Covered is the span now known to be in the sink (may be empty when
	// only a status changes).
	Covered ohlc.Span
	Source  Source
	// File, when set, is upserted by fingerprint; Rows in it is added to
	// the stored count, First/Last widen the stored range.
	File       *FileRecord
	Rows       int64 // rows written in this step, added to the action's count
	Checkpoint int64
	Status     ActionStatus
	Error      string
}

// FileCacheEntry remembers a dump member's fingerprint and profile (see
// krakencsv.CacheEntry). Writing it does not bump the serial: it is a
// cache, not a claim about the sink.
type FileCacheEntry struct {
	Key         string
	Fingerprint string
	Rows        int64
	First       int64
	Last        int64
}

// LockInfo describes who holds the state lock.
type LockInfo struct {
	ID        string
	Operation string
	Who       string // user@host
	PID       int
	// PIDNamespace identifies the PID namespace PID belongs to ('' when
	// unknown: a lock left by an older candlekeep).
	PIDNamespace string
	Since        time.Time
	Heartbeat    time.Time
}
