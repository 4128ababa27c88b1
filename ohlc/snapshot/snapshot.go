// Package snapshot holds the value types of what state tells the planner:
// coverage, file records and gap records. state produces them and the
// planner reads them, so the planner needs no database to plan.
package snapshot

import (
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
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
