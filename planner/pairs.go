package planner

import (
	"cmp"
	"slices"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/ohlc/dump"
)

// Warnings about pair names.
const (
	// WarnUnknownPair: no dump holds a file of the pair and Kraken's pair
	// list does not know it. Hints are close matches (altnames).
	WarnUnknownPair WarningCode = "unknown_pair"
	// WarnPairInternalName: the pair is Kraken's internal name of a pair
	// (XXMRZUSD), while dumps, state and the sink use altnames. Hints
	// holds the altname.
	WarnPairInternalName WarningCode = "pair_internal_name"
)

// PairList is Kraken's list of pairs as last fetched from AssetPairs,
// given to the planner as plain data: each altname with Kraken's internal
// name for it (XMRUSD → XXMRZUSD). A nil *PairList means no list is at
// hand, and then no pair is called unknown.
type PairList struct {
	Names map[string]string // altname → internal name
}

// maxPairHints is how many close matches a warning names at most.
const maxPairHints = 3

// unknownPairs drops the series of pairs that no dump holds and the pair
// list does not know, and returns one warning per such pair, by pair
// name. A plan says nothing else of them: an unfillable gap would tell the
// user to download a file Kraken never published, and a backfill would
// fail with "unknown pair".
func unknownPairs(series []ohlc.Series, inv *dump.Inventory, list *PairList) ([]ohlc.Series, []Warning) {
	if list == nil || len(series) == 0 {
		return series, nil
	}
	held := heldPairs(inv)
	internal := make(map[string]string, len(list.Names))
	for alt, name := range list.Names {
		internal[name] = alt
	}
	var warnings []Warning
	warned := map[string]bool{}
	kept := series[:0:0]
	for _, s := range series {
		pair := s.Pair
		if _, ok := list.Names[pair]; ok || held[pair] {
			kept = append(kept, s)
			continue
		}
		if !warned[pair] {
			warned[pair] = true
			if alt, ok := internal[pair]; ok {
				warnings = append(warnings, Warning{Code: WarnPairInternalName, Pair: pair, Hints: []string{alt}})
			} else {
				warnings = append(warnings, Warning{Code: WarnUnknownPair, Pair: pair, Hints: closePairs(pair, list.Names)})
			}
		}
	}
	slices.SortFunc(warnings, func(a, b Warning) int { return cmp.Compare(a.Pair, b.Pair) })
	return kept, warnings
}

// heldPairs is every pair some dump holds a file of: a pair on disk is
// known, whatever the list says.
func heldPairs(inv *dump.Inventory) map[string]bool {
	out := map[string]bool{}
	if inv == nil {
		return out
	}
	for _, d := range inv.Dumps {
		if d == nil {
			continue
		}
		for _, m := range d.Members {
			out[m.Series.Pair] = true
		}
	}
	return out
}

// closePairs lists the altnames near pair, nearest first, at most
// maxPairHints. A near miss of an internal name (XXMRUSD for XXMRZUSD)
// suggests that pair's altname.
func closePairs(pair string, names map[string]string) []string {
	type match struct {
		alt  string
		dist int
	}
	limit := 1
	if len(pair) > 6 {
		limit = 2
	}
	best := map[string]int{}
	for alt, name := range names {
		for _, n := range []string{alt, name} {
			d := editDistance(pair, n)
			if d > limit {
				continue
			}
			if old, ok := best[alt]; !ok || d < old {
				best[alt] = d
			}
		}
	}
	matches := make([]match, 0, len(best))
	for alt, d := range best {
		matches = append(matches, match{alt, d})
	}
	slices.SortFunc(matches, func(a, b match) int {
		return cmp.Or(cmp.Compare(a.dist, b.dist), cmp.Compare(a.alt, b.alt))
	})
	var out []string
	for _, m := range matches[:min(len(matches), maxPairHints)] {
		out = append(out, m.alt)
	}
	return out
}

// LeftAlone reports whether the plan did not look at a series at all:
// one of a pair Kraken does not know, or one no longer configured. Apply
// leaves the gap records of such series as they are: nothing was stored
// for them, so nothing was filled.
func (p *Plan) LeftAlone(s ohlc.Series) bool {
	for _, w := range p.Warnings {
		switch w.Code {
		case WarnUnknownPair, WarnPairInternalName:
			if w.Pair == s.Pair {
				return true
			}
		case WarnNoLongerConfigured:
			if w.Series == s {
				return true
			}
		}
	}
	return false
}
