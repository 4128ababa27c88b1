package planner

import (
	"cmp"
	"path/filepath"
	"slices"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/ohlc/dump"
	"github.com/feefifofunds/candlekeep/ohlc/snapshot"
)

// planner holds what every series' planning reads, indexed once.
type planner struct {
	dir        string // configuration directory, to show dump paths relative to it
	dumps      []*dump.Dump
	candidates map[ohlc.Series][]candidate
	files      map[snapshot.FileKey]snapshot.FileRecord
	covered    map[ohlc.Series]ohlc.SpanSet // state's coverage, every source

	now            int64
	publishedUntil int64 // end of the newest quarter Kraken has published
	hasFullDump    bool
	newestCutoff   int64 // newest full-history cutoff of any configured dump

	apiEnabled bool // rule 4 runs, and unfillable reasons speak of the API
	apiMargin  int
	apiSettle  int64 // seconds after its close a fetched candle is provisional
	apiRate    float64

	rebuild    config.Rebuild // rebuilds run when rebuild.Enabled and the API is
	tradeRates map[string]TradeRate

	// fillers turn gaps into actions appended to dst, in order; each
	// takes what the previous ones left. The last one must leave nothing.
	fillers []func(w *seriesWork, dst []Action) []Action
}

// seriesWork is one series on its way through the fillers.
type seriesWork struct {
	series  ohlc.Series
	gaps    ohlc.SpanSet // not yet planned
	blocked []blocked    // spans only a failed file could have filled
	// provisional are covered candles the last fetch got too soon after
	// their close to be final; a backfill fetches them again.
	provisional ohlc.SpanSet
	// deriveFrom are the shorter intervals its coverage blocks allow
	// deriving it from, in preference order.
	deriveFrom []ohlc.Interval
}

func compute(in Input) *Plan {
	plan := &Plan{Now: in.Now}
	if in.Config != nil {
		plan.ConfigDigest = in.Config.Digest
	}
	if in.Inventory != nil {
		plan.InventoryDigest = in.Inventory.Digest
	}
	var covered map[ohlc.Series]ohlc.SpanSet
	if in.State != nil {
		plan.Lineage = in.State.Lineage
		plan.Serial = in.State.Serial
		covered = in.State.Coverage
	}
	p := newPlanner(in)

	desired := Desired(in.Config, in.Now)
	series := selectTargets(desired, in.Targets, in.Excludes)
	// Pairs Kraken does not know get a warning instead of actions.
	series, unknown := unknownPairs(series, in.Inventory, in.Pairs)
	plan.Warnings = append(plan.Warnings, unknown...)
	if len(in.Targets) > 0 || len(in.Excludes) > 0 {
		plan.Targets = targetNames(in.Targets)
		plan.Excludes = targetNames(in.Excludes)
		plan.Scope = slices.Clone(series)
	}

	// Rule 2: gaps = desired − covered. Coverage is normalized again
	// because the planner must not depend on how state stored it.
	gaps := make([]ohlc.SpanSet, len(series))
	room := 0
	for k, s := range series {
		gaps[k] = ohlc.Difference(desired[s].Spans, ohlc.NewSpanSet(covered[s]...))
		room += len(gaps[k])
	}
	// Most gaps become one action; sizing for that saves regrowing a
	// slice of 100,000 actions.
	plan.Actions = make([]Action, 0, room+room/4)
	known := knownUnfillable(in.State)
	var from map[ohlc.Series]int64
	if p.apiEnabled {
		from = lostFrom(in.State, p.apiMargin)
	}
	open := openGaps(in.State)

	for k, s := range series {
		want := desired[s]
		w := &seriesWork{series: s, gaps: gaps[k], deriveFrom: want.DeriveFrom}
		if p.apiEnabled && in.State != nil {
			w.provisional = p.provisional(s, want.Spans, in.State.APICoverage[s])
		}
		start := len(plan.Actions)
		for _, fill := range p.fillers {
			if len(w.gaps) == 0 {
				break
			}
			plan.Actions = fill(w, plan.Actions)
		}
		for j := start; j < len(plan.Actions); j++ {
			plan.Actions[j].Coverage = want.Coverage
			plan.Actions[j].Tiers = want.Tiers
		}
		// Rule 6 within the series; series are already in order.
		slices.SortStableFunc(plan.Actions[start:], compareActions)
		markKnown(plan.Actions[start:], known[s])
		f, ok := from[s]
		markLost(plan.Actions[start:], f, ok, open[s], known[s])
		plan.Actions = splitGaps(plan, start)
	}
	if p.rebuilds() {
		plan.Actions, plan.Deferred = p.groupRebuilds(plan.Actions)
	}
	if len(plan.Actions) == 0 {
		plan.Actions = nil
	}
	plan.Warnings = append(plan.Warnings, p.earlyEnds(series)...)
	plan.Warnings = append(plan.Warnings, beforeHistory(in.Config, in.Now, series, desired)...)
	// A partial plan did not look at the rest of the configuration, so it
	// cannot tell what it no longer wants.
	if len(in.Targets) == 0 {
		plan.Warnings = append(plan.Warnings, noLongerConfigured(in.State, desired)...)
	}
	return plan
}

func newPlanner(in Input) *planner {
	p := &planner{
		candidates:     indexCandidates(in.Inventory),
		now:            in.Now,
		publishedUntil: PublishedUntil(in.Now),
	}
	if in.Config != nil {
		p.dir = in.Config.Dir
		p.apiEnabled = in.Config.API.Enabled
		p.apiMargin = in.Config.API.Margin
		p.apiSettle = int64(in.Config.API.Settle.Seconds())
		p.apiRate = in.Config.API.RateLimit
		p.rebuild = in.Config.API.Rebuild
		p.tradeRates = in.TradeRates
	}
	if in.State != nil {
		p.files = in.State.Files
		p.covered = in.State.Coverage
	}
	if in.Inventory != nil {
		for _, d := range in.Inventory.Dumps {
			if d == nil {
				continue
			}
			p.dumps = append(p.dumps, d)
			// A full dump with no cutoff (nothing in it to infer one
			// from) vouches for nothing and moves no boundary.
			if d.Kind != dump.Quarterly && d.Cutoff > 0 {
				p.newestCutoff = max(p.newestCutoff, d.Cutoff)
				p.hasFullDump = true
			}
		}
	}
	p.fillers = []func(*seriesWork, []Action) []Action{p.fillFromDumps}
	if p.apiEnabled {
		p.fillers = append(p.fillers, p.fillFromAPI)
	}
	p.fillers = append(p.fillers, p.fillByDeriving)
	if p.rebuilds() {
		p.fillers = append(p.fillers, p.fillFromTrades)
	}
	p.fillers = append(p.fillers, p.reportUnfillable)
	return p
}

// splitGaps moves the unfillable pieces rule 5 appended after start from
// plan.Actions to plan.Gaps: they are reported, not run.
func splitGaps(plan *Plan, start int) []Action {
	kept := plan.Actions[:start]
	for _, a := range plan.Actions[start:] {
		if a.Kind == Unfillable {
			plan.Gaps = append(plan.Gaps, GapOf(a))
			continue
		}
		kept = append(kept, a)
	}
	return kept
}

// compareActions is rule 6: series, span start, kind, then member path.
func compareActions(a, b Action) int {
	if c := a.Series.Compare(b.Series); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Span.Start, b.Span.Start); c != 0 {
		return c
	}
	if c := cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)); c != 0 {
		return c
	}
	return cmp.Compare(memberPath(a), memberPath(b))
}

func kindRank(k Kind) int {
	switch k {
	case LoadCSV:
		return 0
	case BackfillAPI:
		return 1
	case Derive:
		return 2
	case RebuildTrades:
		return 3
	}
	return 4
}

// rebuilds reports whether gaps are rebuilt from trades.
func (p *planner) rebuilds() bool { return p.apiEnabled && p.rebuild.Enabled }

func memberPath(a Action) string {
	if a.CSV == nil {
		return ""
	}
	return a.CSV.Dump + "\x00" + a.CSV.Member
}

// displayPath shows a dump path relative to the configuration directory
// when it lies inside it, so plans read the same on every machine.
func (p *planner) displayPath(path string) string {
	if p.dir == "" || !filepath.IsAbs(path) {
		return filepath.ToSlash(path)
	}
	rel, err := filepath.Rel(p.dir, path)
	if err != nil || rel == ".." || len(rel) > 2 && rel[:3] == ".."+string(filepath.Separator) {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}
