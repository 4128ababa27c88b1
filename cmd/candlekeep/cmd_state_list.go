package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/state"
	"github.com/feefifofunds/candlekeep/workspace"
)

// inspectSources lists a series' coverage sources in order: csv, api,
// trades, then the derived ones ("derived:60") by name.
func inspectSources(cov map[state.Source]ohlc.SpanSet) []state.Source {
	out := make([]state.Source, 0, len(cov))
	for src := range cov {
		out = append(out, src)
	}
	rank := func(s state.Source) int {
		switch s {
		case state.SourceCSV:
			return 0
		case state.SourceAPI:
			return 1
		case state.SourceTrades:
			return 2
		}
		return 3
	}
	slices.SortFunc(out, func(a, b state.Source) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a, b))
	})
	return out
}

// listedSpans is how many spans a text row shows before summarising the
// rest: a series patched by many backfills would otherwise fill a screen.
const listedSpans = 3

func runStateList(ctx context.Context, env *cliEnv, args []string) (err error) {
	fs := newFlagSet(env, "state list", "state list [-json]")
	var cf configFlags
	cf.register(fs)
	asJSON := fs.Bool("json", false, jsonUsage)
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("state list takes no arguments, got %q", fs.Args())
	}
	cfg, err := loadConfig(env, &cf)
	if err != nil {
		return err
	}
	coverage := map[ohlc.Series]map[state.Source]ohlc.SpanSet{}
	err = workspace.ReadState(ctx, cfg, func(st *state.Store) (err error) {
		coverage, err = st.CoverageBySource(ctx)
		return err
	})
	if err != nil {
		return err
	}
	series := make([]ohlc.Series, 0, len(coverage))
	for s := range coverage {
		series = append(series, s)
	}
	slices.SortFunc(series, ohlc.Series.Compare)
	if *asJSON {
		out := make([]workspace.SeriesCoverageDoc, len(series))
		for i, s := range series {
			out[i] = workspace.CoverageDocument(s, coverage[s])
		}
		return writeJSON(env.stdout, out)
	}
	if len(series) == 0 {
		fmt.Fprintln(env.stdout, "State records no coverage yet.")
		return nil
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SERIES\tSOURCE\tSPANS\tCOVERED\tCOVERED SPANS")
	for _, s := range series {
		for _, src := range inspectSources(coverage[s]) {
			set := coverage[s][src]
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s, src, count(int64(len(set))), lengthOf(set.Seconds()), briefSpans(set))
		}
	}
	return tw.Flush()
}

// briefSpans lists the first spans of a set and counts the rest.
func briefSpans(set ohlc.SpanSet) string {
	parts := make([]string, 0, listedSpans+1)
	for i, sp := range set {
		if i == listedSpans {
			parts = append(parts, fmt.Sprintf("… %s more", count(int64(len(set)-listedSpans))))
			break
		}
		parts = append(parts, sp.String())
	}
	return strings.Join(parts, " ")
}

// lengthOf renders a covered time: 1004d3h.
func lengthOf(seconds int64) string { return ohlc.FormatSeconds(seconds, 2) }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
