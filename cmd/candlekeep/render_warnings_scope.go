package main

import (
	"fmt"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// scopeWarningText words the warnings about what a plan leaves out: the
// time before Kraken's first trades, and series no longer configured.
func scopeWarningText(w planner.Warning) string {
	switch w.Code {
	case planner.WarnBeforeKrakenHistory:
		first := ohlc.FormatTime(ohlc.KrakenFirstTrade)
		if w.Span.End < ohlc.KrakenFirstTrade {
			return fmt.Sprintf("coverage %q wants only %s, before Kraken's first trades (%s): nothing of it is planned",
				w.Coverage, w.Span, first)
		}
		return fmt.Sprintf("coverage %q reaches back to %s, before Kraken's first trades (%s): it is planned from %s",
			w.Coverage, ohlc.FormatTime(w.Span.Start), first, first)
	case planner.WarnNoLongerConfigured:
		about := ""
		if w.CandlesEstimated {
			about = "about "
		}
		return fmt.Sprintf("no longer configured: %s, %s%s %s in the sink (nothing is deleted)",
			w.Series, about, count(w.Candles), plural(int(w.Candles), "candle stays", "candles stay"))
	}
	return fmt.Sprintf("%s %s", w.Code, w.Series)
}

// unfillableCount is the unfillable part of a summary, new gaps told from
// the ones state already recorded: "4 new unfillable gaps (10 already
// known)". With none known there is nothing to tell apart.
func unfillableCount(s planner.Summary) string {
	gaps := func(n int) string { return plural(n, "gap", "gaps") }
	fresh := s.Unfillable - s.UnfillableKnown
	switch {
	case s.UnfillableKnown == 0:
		return fmt.Sprintf("%s unfillable %s", count(int64(s.Unfillable)), gaps(s.Unfillable))
	case fresh == 0:
		return fmt.Sprintf("%s unfillable %s, all already known", count(int64(s.Unfillable)), gaps(s.Unfillable))
	}
	return fmt.Sprintf("%s new unfillable %s (%s already known)", count(int64(fresh)), gaps(fresh), count(int64(s.UnfillableKnown)))
}

// knownMark follows the reason of an unfillable gap state already recorded.
func knownMark(a planner.Action) string {
	switch {
	case a.Kind != planner.Unfillable:
	case a.Known:
		return " (already known)"
	case !a.Lost.Empty():
		// Candles a run on time would have fetched: see renderLost.
		return " (newly lost: " + a.Lost.String() + ")"
	}
	return ""
}

// unfillableGaps is the "apart from" of a plan with only unfillable gaps:
// "14 gaps", "4 new gaps (and 10 already known)", "10 gaps, all already
// known,".
func unfillableGaps(s planner.Summary) string {
	fresh := s.Unfillable - s.UnfillableKnown
	switch {
	case s.UnfillableKnown == 0:
		return fmt.Sprintf("%d %s", s.Unfillable, plural(s.Unfillable, "gap", "gaps"))
	case fresh == 0:
		return fmt.Sprintf("%d %s, all already known,", s.Unfillable, plural(s.Unfillable, "gap", "gaps"))
	}
	return fmt.Sprintf("%d new %s (and %d already known)", fresh, plural(fresh, "gap", "gaps"), s.UnfillableKnown)
}
