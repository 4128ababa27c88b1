// Package state is candlekeep's record of what the sink holds: coverage,
// files loaded, gaps, runs, lineage and serial, and the run lock. It is
// stored through bun in SQLite (default) or PostgreSQL, with embedded
// migrations.
package state

import (
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
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
)

// Snapshot is everything the planner needs from state, read in one
// transaction.
type Snapshot struct {
	Lineage string
	Serial  int64
	// Coverage is the covered spans per series, all sources merged.
	Coverage map[ohlc.Series]ohlc.SpanSet
	// APICoverage is the part of Coverage recorded from Kraken's REST
	// API, per series: those candles have no file record to count them.
	APICoverage map[ohlc.Series]ohlc.SpanSet
	// Files are the file records, one per member and content.
	Files map[FileKey]FileRecord
	// Gaps are the open and unfillable gap records.
	Gaps []Gap
}

// FileKey names a file record: a member of a dump with given content. Two
// members with the same bytes have two records.
type FileKey struct{ Fingerprint, Dump, Member string }

// Key is the record's FileKey.
func (f FileRecord) Key() FileKey { return FileKey{f.Fingerprint, f.Dump, f.Member} }

// FileStatus is how far a file has been loaded.
type FileStatus string

// File statuses.
const (
	FilePartial FileStatus = "partial" // some of its span loaded (checkpointed or interrupted)
	FileLoaded  FileStatus = "loaded"  // its planned span fully loaded
	FileFailed  FileStatus = "failed"  // rejected (bad row, corrupt zip); later loaded or partial records keep it
)

// FileRecord is a dump member seen or loaded.
type FileRecord struct {
	Fingerprint string
	Dump        string
	Member      string // path inside the dump
	Series      ohlc.Series
	First, Last int64 // open times of the first and last rows written so far
	Rows        int64 // rows written from this file, all actions together
	Status      FileStatus
	Error       string
	UpdatedAt   time.Time
}

// GapStatus is the life cycle of a gap record.
type GapStatus string

// Gap statuses.
const (
	GapOpen       GapStatus = "open"       // fillable, not yet filled
	GapFilled     GapStatus = "filled"     // resolved
	GapUnfillable GapStatus = "unfillable" // neither dumps nor API can fill it now
	GapFailed     GapStatus = "failed"     // an attempt to fill it failed
)

// Gap is a detected gap.
type Gap struct {
	ID         int64
	Series     ohlc.Series
	Span       ohlc.Span
	Status     GapStatus
	Reason     string // why it is unfillable, as the planner's reason code
	Suggestion string // what would fill it
	Attempts   int
	LastError  string
	DetectedAt time.Time
	ResolvedAt time.Time // zero while open
}

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
