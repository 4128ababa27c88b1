package state

import (
	"time"

	"github.com/uptrace/bun"
)

// The row models below are what queries read and write. Column names avoid
// words that are keywords in either dialect (interval, rows, checkpoint),
// so raw SQL fragments need no quoting.

type metaRow struct {
	bun.BaseModel `bun:"table:meta"`

	ID        int       `bun:"id,pk"`
	Lineage   string    `bun:"lineage,notnull"`
	Serial    int64     `bun:"serial,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

type runRow struct {
	bun.BaseModel `bun:"table:runs"`

	ID          int64     `bun:"id,pk,autoincrement"`
	SinkID      int64     `bun:"sink_id,notnull"`
	Operation   string    `bun:"operation,notnull"`
	Status      string    `bun:"status,notnull"`
	PlanDigest  string    `bun:"plan_digest,notnull"`
	StartedAt   time.Time `bun:"started_at,notnull"`
	FinishedAt  time.Time `bun:"finished_at,nullzero"`
	Actions     int       `bun:"actions,notnull"`
	Succeeded   int       `bun:"succeeded,notnull"`
	Failed      int       `bun:"failed,notnull"`
	RowsWritten int64     `bun:"rows_written,notnull"`
	Error       string    `bun:"error,notnull"`
}

type actionRow struct {
	bun.BaseModel `bun:"table:run_actions"`

	ID           int64  `bun:"id,pk,autoincrement"`
	RunID        int64  `bun:"run_id,notnull"`
	Seq          int    `bun:"seq,notnull"`
	Kind         string `bun:"kind,notnull"`
	Pair         string `bun:"pair,notnull"`
	IntervalMin  int    `bun:"interval_min,notnull"`
	StartTS      int64  `bun:"start_ts,notnull"`
	EndTS        int64  `bun:"end_ts,notnull"`
	Dump         string `bun:"dump,notnull"`
	Member       string `bun:"member,notnull"`
	Fingerprint  string `bun:"fingerprint,notnull"`
	Status       string `bun:"status,notnull"`
	RowCount     int64  `bun:"row_count,notnull"`
	CheckpointTS int64  `bun:"checkpoint_ts,notnull"`
	Error        string `bun:"error,notnull"`
}

type fileRow struct {
	bun.BaseModel `bun:"table:files"`

	SinkID      int64     `bun:"sink_id,pk"`
	Fingerprint string    `bun:"fingerprint,pk"`
	Dump        string    `bun:"dump,pk"`
	Member      string    `bun:"member,pk"`
	Pair        string    `bun:"pair,notnull"`
	IntervalMin int       `bun:"interval_min,notnull"`
	FirstTS     int64     `bun:"first_ts,notnull"`
	LastTS      int64     `bun:"last_ts,notnull"`
	RowCount    int64     `bun:"row_count,notnull"`
	Status      string    `bun:"status,notnull"`
	Error       string    `bun:"error,notnull"`
	UpdatedAt   time.Time `bun:"updated_at,notnull"`
}

type coverageRow struct {
	bun.BaseModel `bun:"table:coverage"`

	ID          int64  `bun:"id,pk,autoincrement"`
	SinkID      int64  `bun:"sink_id,notnull"`
	Pair        string `bun:"pair,notnull"`
	IntervalMin int    `bun:"interval_min,notnull"`
	Source      string `bun:"source,notnull"`
	StartTS     int64  `bun:"start_ts,notnull"`
	EndTS       int64  `bun:"end_ts,notnull"`
}

type gapRow struct {
	bun.BaseModel `bun:"table:gaps"`

	ID          int64     `bun:"id,pk,autoincrement"`
	SinkID      int64     `bun:"sink_id,notnull"`
	Pair        string    `bun:"pair,notnull"`
	IntervalMin int       `bun:"interval_min,notnull"`
	StartTS     int64     `bun:"start_ts,notnull"`
	EndTS       int64     `bun:"end_ts,notnull"`
	Status      string    `bun:"status,notnull"`
	Reason      string    `bun:"reason,notnull"`
	Suggestion  string    `bun:"suggestion,notnull"`
	Attempts    int       `bun:"attempts,notnull"`
	LastError   string    `bun:"last_error,notnull"`
	DetectedAt  time.Time `bun:"detected_at,notnull"`
	ResolvedAt  time.Time `bun:"resolved_at,nullzero"`
}

type lockRow struct {
	bun.BaseModel `bun:"table:locks"`

	Name      string    `bun:"name,pk"`
	ID        string    `bun:"id,notnull"`
	Operation string    `bun:"operation,notnull"`
	Who       string    `bun:"who,notnull"`
	PID       int       `bun:"pid,notnull"`
	Since     time.Time `bun:"since,notnull"`
	Heartbeat time.Time `bun:"heartbeat,notnull"`
	// PIDNamespace is the holder's PID namespace (pidNamespace); '' in a
	// row left by a candlekeep older than migration v3.
	PIDNamespace string `bun:"pid_ns,notnull,default:''"`
}

type fileCacheRow struct {
	bun.BaseModel `bun:"table:file_cache"`

	Key         string `bun:"key,pk"`
	Fingerprint string `bun:"fingerprint,notnull"`
	RowCount    int64  `bun:"row_count,notnull"`
	FirstTS     int64  `bun:"first_ts,notnull"`
	LastTS      int64  `bun:"last_ts,notnull"`
}

// sinkRow is one incarnation of a sink table that coverage was confirmed
// in (sinks.Identity). Coverage, files, gaps and runs carry its id; id 0
// is the coverage of a state older than sink identities, not yet claimed.
type sinkRow struct {
	bun.BaseModel `bun:"table:sinks"`

	ID          int64     `bun:"id,pk,autoincrement"`
	Kind        string    `bun:"kind,notnull"`
	Address     string    `bun:"address,notnull"`
	TableName   string    `bun:"table_name,notnull"`
	Incarnation string    `bun:"incarnation,notnull"`
	FirstSeen   time.Time `bun:"first_seen,notnull"`
	LastSeen    time.Time `bun:"last_seen,notnull"`
}
