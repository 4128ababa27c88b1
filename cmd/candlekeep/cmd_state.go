package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/planner/planfile"
	"github.com/feefifofunds/candlekeep/state"
	"github.com/feefifofunds/candlekeep/workspace"
)

// stateCommands are the subcommands of `candlekeep state`.
var stateCommands = map[string]func(ctx context.Context, env *cliEnv, args []string) error{
	"gaps": runStateGaps,
	"list": runStateList,
	"show": runStateShow,
	"runs": runStateRuns,
}

// stateSynopses are the state subcommands, for its usage and the
// top-level one.
var stateSynopses = [][2]string{
	{"list", "list the series in state with their covered spans per source"},
	{"show", "show one series: coverage, files loaded, gaps and its last actions"},
	{"runs", "list recent runs with status, duration, counts and errors"},
	{"gaps", "list the gap records: what was missing, whether it was filled, and what would fill it"},
}

func runState(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" {
		fmt.Fprintln(env.stderr, "Usage: candlekeep [-chdir=DIR] state <subcommand> [flags]")
		fmt.Fprintln(env.stderr, "\nSubcommands:")
		for _, sc := range stateSynopses {
			fmt.Fprintf(env.stderr, "  %-6s %s\n", sc[0], sc[1])
		}
		if len(args) == 0 {
			return errReported
		}
		return nil
	}
	sub, ok := stateCommands[args[0]]
	if !ok {
		return fmt.Errorf("unknown state subcommand %q; run 'candlekeep state -h'", args[0])
	}
	return sub(ctx, env, args[1:])
}

func runStateGaps(ctx context.Context, env *cliEnv, args []string) (err error) {
	fs := newFlagSet(env, "state gaps", "state gaps [-status=S,…] [-tier=T,…] [-series=PAIR/INTERVAL,…] [-limit=N] [-json]")
	var cf configFlags
	cf.register(fs)
	statuses := fs.String("status", "", "only these statuses: open, filled, unfillable, failed (comma-separated)")
	tiers := fs.String("tier", "", "only pairs of these tiers (comma-separated)")
	series := fs.String("series", "", "only these series, such as XBTUSD/60 (comma-separated)")
	limit := fs.Int("limit", 0, "at most this many records (0: all)")
	asJSON := fs.Bool("json", false, jsonUsage)
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("state gaps takes no arguments, got %q", fs.Args())
	}
	cfg, err := loadConfig(env, &cf)
	if err != nil {
		return err
	}
	filter, err := gapFilter(cfg, *statuses, *tiers, *series)
	if err != nil {
		return err
	}
	filter.Limit = *limit
	var gaps []state.Gap
	err = workspace.ReadState(ctx, cfg, func(st *state.Store) (err error) {
		if gaps, err = st.Gaps(ctx, filter); err != nil {
			return fmt.Errorf("read gaps: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.stdout, workspace.GapsDocument(gaps))
	}
	if len(gaps) == 0 {
		fmt.Fprintln(env.stdout, "No gap records match.")
		return nil
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SERIES\tSPAN\tSTATUS\tREASON\tATTEMPTS\tDETECTED\tRESOLVED")
	for _, g := range gaps {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", g.Series, g.Span, g.Status, dash(g.Reason), g.Attempts, stamp(g.DetectedAt), stamp(g.ResolvedAt))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// Suggestions and errors are long: listed after the table.
	var notes []string
	for _, g := range gaps {
		switch {
		case g.LastError != "" && g.Status == state.GapFailed:
			notes = append(notes, fmt.Sprintf("  %s %s: %s", g.Series, g.Span, g.LastError))
		case g.Suggestion != "" && g.Status != state.GapFilled:
			notes = append(notes, fmt.Sprintf("  %s %s: %s", g.Series, g.Span, planfile.SuggestionText(g.Series, planner.DecodeSuggestion(g.Suggestion))))
		}
	}
	if len(notes) > 0 {
		fmt.Fprintln(env.stdout, "\nWhat would fill them, or why they failed:")
		fmt.Fprintln(env.stdout, strings.Join(notes, "\n"))
	}
	return nil
}

// gapFilter turns the flags into a state query, checking every name.
func gapFilter(cfg *config.Config, statuses, tiers, series string) (state.GapFilter, error) {
	var f state.GapFilter
	for _, s := range splitList(statuses) {
		st := state.GapStatus(s)
		if !slices.Contains([]state.GapStatus{state.GapOpen, state.GapFilled, state.GapUnfillable, state.GapFailed}, st) {
			return f, fmt.Errorf("-status: %q is not one of open, filled, unfillable, failed", s)
		}
		f.Statuses = append(f.Statuses, st)
	}
	for _, name := range splitList(tiers) {
		i := slices.IndexFunc(cfg.Tiers, func(t config.Tier) bool { return t.Name == name })
		if i < 0 {
			return f, fmt.Errorf("-tier: no tier %q is declared", name)
		}
		f.Pairs = append(f.Pairs, cfg.Tiers[i].Pairs...)
	}
	for _, v := range splitList(series) {
		s, err := ohlc.ParseSeries(v)
		if err != nil {
			return f, fmt.Errorf("-series: %w", err)
		}
		f.Series = append(f.Series, s)
	}
	return f, nil
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}
