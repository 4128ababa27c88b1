package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/planner/planfile"
	"github.com/feefifofunds/candlekeep/state"
)

// SeriesRecords is everything state holds about one series.
type SeriesRecords struct {
	Series   ohlc.Series
	Coverage map[state.Source]ohlc.SpanSet
	Files    []state.FileRecord
	Gaps     []state.Gap
	Actions  []state.ActionRecord
}

// Empty is whether state holds nothing about the series.
func (r *SeriesRecords) Empty() bool {
	return len(r.Coverage) == 0 && len(r.Files) == 0 && len(r.Gaps) == 0 && len(r.Actions) == 0
}

// ReadSeriesRecords reads what state holds about rec.Series, with its
// latest actions at most.
func ReadSeriesRecords(ctx context.Context, st *state.Store, rec *SeriesRecords, actions int) error {
	var err error
	if rec.Coverage, err = st.Coverage(ctx, rec.Series); err != nil {
		return err
	}
	if rec.Files, err = st.FilesOf(ctx, rec.Series); err != nil {
		return err
	}
	if rec.Gaps, err = st.Gaps(ctx, state.GapFilter{Series: []ohlc.Series{rec.Series}}); err != nil {
		return fmt.Errorf("read gaps of %s: %w", rec.Series, err)
	}
	rec.Actions, err = st.ActionsOf(ctx, rec.Series, actions)
	return err
}

// SeriesDoc is `state show -json`.
type SeriesDoc struct {
	Series   string                     `json:"series"`
	Coverage map[string][]ohlc.JSONSpan `json:"coverage"`
	Files    []FileDoc                  `json:"files"`
	Gaps     []GapDoc                   `json:"gaps"`
	Actions  []ActionDoc                `json:"actions"`
}

type FileDoc struct {
	Dump        string         `json:"dump"`
	Member      string         `json:"member"`
	Fingerprint string         `json:"fingerprint"`
	Rows        int64          `json:"rows"`
	First       *ohlc.JSONTime `json:"first,omitempty"`
	Last        *ohlc.JSONTime `json:"last,omitempty"`
	Status      string         `json:"status"`
	Error       string         `json:"error,omitempty"`
	UpdatedAt   ohlc.JSONTime  `json:"updated_at"`
}

type ActionDoc struct {
	RunID int64  `json:"run_id"`
	Seq   int    `json:"seq"`
	Kind  string `json:"kind"`
	// The span's start and end, at the top level, in the one JSON form
	// of a span.
	ohlc.JSONSpan
	Dump   string `json:"dump,omitempty"`
	Member string `json:"member,omitempty"`
	Status string `json:"status"`
	Rows   int64  `json:"rows"`
	Error  string `json:"error,omitempty"`
}

func SeriesDocument(rec *SeriesRecords) SeriesDoc {
	out := SeriesDoc{
		Series: rec.Series.String(), Coverage: map[string][]ohlc.JSONSpan{},
		Files: make([]FileDoc, len(rec.Files)), Actions: make([]ActionDoc, len(rec.Actions)),
	}
	for src, set := range rec.Coverage {
		out.Coverage[string(src)] = spansJSON(set)
	}
	for i, f := range rec.Files {
		out.Files[i] = FileDoc{Dump: f.Dump, Member: f.Member, Fingerprint: f.Fingerprint, Rows: f.Rows,
			Status: string(f.Status), Error: f.Error, UpdatedAt: ohlc.JSONTime(f.UpdatedAt)}
		if f.Rows > 0 {
			first, last := ohlc.JSONTime(time.Unix(f.First, 0)), ohlc.JSONTime(time.Unix(f.Last, 0))
			out.Files[i].First, out.Files[i].Last = &first, &last
		}
	}
	// Reuse the `state gaps -json` shape: one vocabulary for gap records.
	out.Gaps = make([]GapDoc, len(rec.Gaps))
	for i, g := range rec.Gaps {
		out.Gaps[i] = toGapJSON(g)
	}
	for i, a := range rec.Actions {
		out.Actions[i] = ActionDoc{RunID: a.RunID, Seq: a.Seq, Kind: a.Kind,
			JSONSpan: a.Span.JSON(),
			Dump:     a.Dump, Member: a.Member, Status: string(a.Status), Rows: a.Rows, Error: a.Error}
	}
	return out
}

func toGapJSON(g state.Gap) GapDoc {
	out := GapDoc{
		Series: g.Series.String(), JSONSpan: g.Span.JSON(),
		Status: string(g.Status), Reason: g.Reason, Attempts: g.Attempts, LastError: g.LastError,
		DetectedAt: ohlc.JSONTime(g.DetectedAt),
	}
	if g.Suggestion != "" {
		s := planner.DecodeSuggestion(g.Suggestion)
		out.Suggestion, out.Fill = planfile.SuggestionText(g.Series, s), &s
	}
	if !g.ResolvedAt.IsZero() {
		r := ohlc.JSONTime(g.ResolvedAt)
		out.ResolvedAt = &r
	}
	return out
}

// GapDoc is one gap record in `state gaps -json`.
type GapDoc struct {
	Series string `json:"series"`
	// The span's start and end, at the top level, in the one JSON form
	// of a span.
	ohlc.JSONSpan
	Status     string              `json:"status"`
	Reason     string              `json:"reason,omitempty"`
	Suggestion string              `json:"suggestion,omitempty"`
	Fill       *planner.Suggestion `json:"fill,omitempty"`
	Attempts   int                 `json:"attempts"`
	LastError  string              `json:"last_error,omitempty"`
	DetectedAt ohlc.JSONTime       `json:"detected_at"`
	ResolvedAt *ohlc.JSONTime      `json:"resolved_at,omitempty"`
}

// GapsDocument is `state gaps -json`.
func GapsDocument(gaps []state.Gap) []GapDoc {
	out := make([]GapDoc, len(gaps))
	for i, g := range gaps {
		out[i] = toGapJSON(g)
	}
	return out
}

// SeriesCoverageDoc is one series in `state list -json`.
type SeriesCoverageDoc struct {
	Series string `json:"series"`
	// CoveredSeconds is the covered time, all sources merged.
	CoveredSeconds int64                      `json:"covered_seconds"`
	Spans          int                        `json:"spans"`
	Sources        map[string][]ohlc.JSONSpan `json:"sources"`
}

func CoverageDocument(s ohlc.Series, bySource map[state.Source]ohlc.SpanSet) SeriesCoverageDoc {
	out := SeriesCoverageDoc{Series: s.String(), Sources: map[string][]ohlc.JSONSpan{}}
	var merged ohlc.SpanSet
	for src, set := range bySource {
		merged = ohlc.Union(merged, set)
		out.Spans += len(set)
		out.Sources[string(src)] = spansJSON(set)
	}
	out.CoveredSeconds = merged.Seconds()
	return out
}

// spansJSON renders half-open spans as apply's JSON lines do.
func spansJSON(set ohlc.SpanSet) []ohlc.JSONSpan {
	out := make([]ohlc.JSONSpan, len(set))
	for i, sp := range set {
		out[i] = sp.JSON()
	}
	return out
}

// RunDoc is one run in `state runs -json`.
type RunDoc struct {
	ID              int64          `json:"id"`
	Operation       string         `json:"operation"`
	Status          string         `json:"status"`
	PlanDigest      string         `json:"plan_digest,omitempty"`
	StartedAt       ohlc.JSONTime  `json:"started_at"`
	FinishedAt      *ohlc.JSONTime `json:"finished_at,omitempty"`
	DurationSeconds *float64       `json:"duration_seconds,omitempty"`
	Actions         int            `json:"actions"`
	Succeeded       int            `json:"succeeded"`
	Failed          int            `json:"failed"`
	Rows            int64          `json:"rows"`
	Error           string         `json:"error,omitempty"`
}

func RunDocument(r state.Run) RunDoc {
	out := RunDoc{
		ID: r.ID, Operation: r.Operation, Status: string(r.Status), PlanDigest: r.PlanDigest, StartedAt: ohlc.JSONTime(r.StartedAt),
		Actions: r.Actions, Succeeded: r.Succeeded, Failed: r.Failed, Rows: r.RowsWritten, Error: r.Error,
	}
	if !r.FinishedAt.IsZero() {
		f := ohlc.JSONTime(r.FinishedAt)
		d := r.FinishedAt.Sub(r.StartedAt).Seconds()
		out.FinishedAt, out.DurationSeconds = &f, &d
	}
	return out
}
