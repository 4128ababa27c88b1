package state

import (
	"time"

	"github.com/uptrace/bun"
)

// The tables as migration v1 created them, frozen: createV1 must keep
// making exactly these, whatever the models in models.go become.
type runRowV1 struct {
	bun.BaseModel `bun:"table:runs"`

	ID          int64     `bun:"id,pk,autoincrement"`
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

type fileRowV1 struct {
	bun.BaseModel `bun:"table:files"`

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

type coverageRowV1 struct {
	bun.BaseModel `bun:"table:coverage"`

	ID          int64  `bun:"id,pk,autoincrement"`
	Pair        string `bun:"pair,notnull"`
	IntervalMin int    `bun:"interval_min,notnull"`
	Source      string `bun:"source,notnull"`
	StartTS     int64  `bun:"start_ts,notnull"`
	EndTS       int64  `bun:"end_ts,notnull"`
}

type gapRowV1 struct {
	bun.BaseModel `bun:"table:gaps"`

	ID          int64     `bun:"id,pk,autoincrement"`
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

type lockRowV1 struct {
	bun.BaseModel `bun:"table:locks"`

	Name      string    `bun:"name,pk"`
	ID        string    `bun:"id,notnull"`
	Operation string    `bun:"operation,notnull"`
	Who       string    `bun:"who,notnull"`
	PID       int       `bun:"pid,notnull"`
	Since     time.Time `bun:"since,notnull"`
	Heartbeat time.Time `bun:"heartbeat,notnull"`
}
