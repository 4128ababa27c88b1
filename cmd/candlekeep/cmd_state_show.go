package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/state"
	"github.com/feefifofunds/candlekeep/workspace"
)

// shownActions is how many of a series' latest actions `state show` lists.
const shownActions = 10

// seriesRecords is everything state holds about one series.
type seriesRecords struct {
	series   ohlc.Series
	coverage map[state.Source]ohlc.SpanSet
	files    []state.FileRecord
	gaps     []state.Gap
	actions  []state.ActionRecord
}

func (r *seriesRecords) empty() bool {
	return len(r.coverage) == 0 && len(r.files) == 0 && len(r.gaps) == 0 && len(r.actions) == 0
}

func runStateShow(ctx context.Context, env *cliEnv, args []string) (err error) {
	fs := newFlagSet(env, "state show", "state show [-json] PAIR/INTERVAL")
	var cf configFlags
	cf.register(fs)
	asJSON := fs.Bool("json", false, jsonUsage)
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("state show takes one series, such as XBTUSD/60; got %q", fs.Args())
	}
	series, err := ohlc.ParseSeries(fs.Arg(0))
	if err != nil {
		return err
	}
	cfg, err := loadConfig(env, &cf)
	if err != nil {
		return err
	}
	rec := &seriesRecords{series: series}
	if workspace.StateExists(cfg) {
		st, _, err := workspace.OpenBoundState(ctx, cfg)
		if err != nil {
			return err
		}
		defer closeWith(&err, st)
		if err := readSeriesRecords(ctx, st, rec); err != nil {
			return err
		}
	}
	if rec.empty() {
		return fmt.Errorf("state holds nothing about %s; 'candlekeep state list' shows the series it knows", series)
	}
	if *asJSON {
		return writeJSON(env.stdout, seriesJSON(rec))
	}
	return writeSeriesText(env, rec)
}

func readSeriesRecords(ctx context.Context, st *state.Store, rec *seriesRecords) error {
	var err error
	if rec.coverage, err = st.Coverage(ctx, rec.series); err != nil {
		return err
	}
	if rec.files, err = st.FilesOf(ctx, rec.series); err != nil {
		return err
	}
	if rec.gaps, err = st.Gaps(ctx, state.GapFilter{Series: []ohlc.Series{rec.series}}); err != nil {
		return fmt.Errorf("read gaps of %s: %w", rec.series, err)
	}
	rec.actions, err = st.ActionsOf(ctx, rec.series, shownActions)
	return err
}

func writeSeriesText(env *cliEnv, rec *seriesRecords) error {
	w := env.stdout
	fmt.Fprintf(w, "%s\n\nCoverage:\n", rec.series)
	if len(rec.coverage) == 0 {
		fmt.Fprintln(w, "  none")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, src := range inspectSources {
		for _, sp := range rec.coverage[src] {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", src, sp, lengthOf(sp.Seconds()))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintln(w, "\nFiles:")
	if len(rec.files) == 0 {
		fmt.Fprintln(w, "  none")
	} else {
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  FILE\tFINGERPRINT\tROWS\tFIRST\tLAST\tSTATUS")
		for _, f := range rec.files {
			fmt.Fprintf(tw, "  %s › %s\t%s\t%s\t%s\t%s\t%s\n", f.Dump, f.Member, shorten(f.Fingerprint, shortFingerprint), count(f.Rows),
				candleStamp(f.First, f.Rows), candleStamp(f.Last, f.Rows), fileStatus(f))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}

	fmt.Fprintln(w, "\nGaps:")
	if len(rec.gaps) == 0 {
		fmt.Fprintln(w, "  none")
	} else {
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  SPAN\tSTATUS\tREASON\tATTEMPTS\tDETECTED\tRESOLVED")
		for _, g := range rec.gaps {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%s\t%s\n", g.Span, g.Status, dash(g.Reason), g.Attempts, stamp(g.DetectedAt), stamp(g.ResolvedAt))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}

	fmt.Fprintf(w, "\nLast actions (newest first, at most %d):\n", shownActions)
	if len(rec.actions) == 0 {
		fmt.Fprintln(w, "  none")
		return nil
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  RUN\tKIND\tSPAN\tSTATUS\tROWS\tERROR")
	for _, a := range rec.actions {
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t%s\n", a.RunID, a.Kind, a.Span, a.Status, count(a.Rows), dash(shorten(a.Error, shortError)))
	}
	return tw.Flush()
}

// shortFingerprint is how much of a fingerprint the text shows: enough
// to tell files apart and to find the whole one in -json.
const shortFingerprint = 20

// candleStamp renders a candle's open time; a file that wrote no rows has
// none.
func candleStamp(t, rows int64) string {
	if rows == 0 {
		return "-"
	}
	return time.Unix(t, 0).UTC().Format("2006-01-02 15:04")
}

func fileStatus(f state.FileRecord) string {
	if f.Error != "" {
		return string(f.Status) + ": " + shorten(f.Error, shortError)
	}
	return string(f.Status)
}

// seriesShowJSON is `state show -json`.
type seriesShowJSON struct {
	Series   string                     `json:"series"`
	Coverage map[string][]ohlc.JSONSpan `json:"coverage"`
	Files    []fileJSON                 `json:"files"`
	Gaps     []gapJSON                  `json:"gaps"`
	Actions  []actionJSON               `json:"actions"`
}

type fileJSON struct {
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

type actionJSON struct {
	RunID  int64         `json:"run_id"`
	Seq    int           `json:"seq"`
	Kind   string        `json:"kind"`
	Start  ohlc.JSONTime `json:"start"`
	End    ohlc.JSONTime `json:"end"`
	Dump   string        `json:"dump,omitempty"`
	Member string        `json:"member,omitempty"`
	Status string        `json:"status"`
	Rows   int64         `json:"rows"`
	Error  string        `json:"error,omitempty"`
}

func seriesJSON(rec *seriesRecords) seriesShowJSON {
	out := seriesShowJSON{
		Series: rec.series.String(), Coverage: map[string][]ohlc.JSONSpan{},
		Files: make([]fileJSON, len(rec.files)), Actions: make([]actionJSON, len(rec.actions)),
	}
	for src, set := range rec.coverage {
		out.Coverage[string(src)] = spansJSON(set)
	}
	for i, f := range rec.files {
		out.Files[i] = fileJSON{Dump: f.Dump, Member: f.Member, Fingerprint: f.Fingerprint, Rows: f.Rows,
			Status: string(f.Status), Error: f.Error, UpdatedAt: ohlc.JSONTime(f.UpdatedAt)}
		if f.Rows > 0 {
			first, last := ohlc.JSONTime(time.Unix(f.First, 0)), ohlc.JSONTime(time.Unix(f.Last, 0))
			out.Files[i].First, out.Files[i].Last = &first, &last
		}
	}
	// Reuse the `state gaps -json` shape: one vocabulary for gap records.
	out.Gaps = make([]gapJSON, len(rec.gaps))
	for i, g := range rec.gaps {
		out.Gaps[i] = toGapJSON(g)
	}
	for i, a := range rec.actions {
		out.Actions[i] = actionJSON{RunID: a.RunID, Seq: a.Seq, Kind: a.Kind,
			Start: ohlc.JSONTime(time.Unix(a.Span.Start, 0)), End: ohlc.JSONTime(time.Unix(a.Span.End, 0)),
			Dump: a.Dump, Member: a.Member, Status: string(a.Status), Rows: a.Rows, Error: a.Error}
	}
	return out
}

func toGapJSON(g state.Gap) gapJSON {
	out := gapJSON{
		Series: g.Series.String(), Start: ohlc.JSONTime(time.Unix(g.Span.Start, 0)), End: ohlc.JSONTime(time.Unix(g.Span.End, 0)),
		Status: string(g.Status), Reason: g.Reason, Suggestion: g.Suggestion, Attempts: g.Attempts, LastError: g.LastError,
		DetectedAt: ohlc.JSONTime(g.DetectedAt),
	}
	if !g.ResolvedAt.IsZero() {
		r := ohlc.JSONTime(g.ResolvedAt)
		out.ResolvedAt = &r
	}
	return out
}
