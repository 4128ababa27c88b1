package planner

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// RebuildTrades is the kind of an action that rebuilds candles of one
// pair from Kraken's trade history: one pass over the trades of its Span
// builds every interval of Builds.
const RebuildTrades Kind = "rebuild_trades"

// ReasonDeferredBudget marks a deferred gap: a rebuild would fill it, but
// the run's request budget (api.rebuild.max_requests) is spent; the next
// run continues.
const ReasonDeferredBudget Reason = "deferred_budget"

// Build is one interval a rebuild writes, and the span it writes it for
// (aligned to the interval, inside the action's span).
type Build struct {
	Interval ohlc.Interval
	Span     ohlc.Span
}

// TradeRate is what is known of a pair's trading, for a rebuild's
// estimate: trades per day and where that figure comes from.
type TradeRate struct {
	PerDay float64
	// Basis names the source of the figure, such as "XBTUSD/60 candles
	// 2024-06-01 to 2024-07-01"; the views show it.
	Basis string
}

// fillFromTrades is the rebuild filler: every remaining gap becomes a
// rebuild of its series. Rebuilds of one pair are merged into actions
// that read each trade once by groupRebuilds, after every series.
func (p *planner) fillFromTrades(w *seriesWork, dst []Action) []Action {
	for _, sp := range w.gaps {
		dst = append(dst, Action{Kind: RebuildTrades, Series: w.series, Span: sp,
			Builds: []Build{{Interval: w.series.Interval, Span: sp}}})
	}
	w.gaps = nil
	return dst
}

// groupRebuilds merges the per-series rebuilds of each pair into one
// action per contiguous stretch of trades, for every group of intervals
// one tape can build (each divides the group's longest), estimates each,
// and spends the request budget in plan order: what it does not reach is
// returned as deferred gaps, with spent as their suggestion.
func (p *planner) groupRebuilds(actions []Action) ([]Action, []Gap) {
	byPair := map[string][]Action{}
	var pairs []string
	kept := actions[:0:0]
	var was []int // each kept action's index in actions; -1 for a rebuild
	for i, a := range actions {
		if a.Kind != RebuildTrades {
			kept = append(kept, a)
			was = append(was, i)
			continue
		}
		if _, ok := byPair[a.Series.Pair]; !ok {
			pairs = append(pairs, a.Series.Pair)
		}
		byPair[a.Series.Pair] = append(byPair[a.Series.Pair], a)
	}
	if len(pairs) == 0 {
		return actions, nil
	}
	budget, by := p.rebuild.Budget(p.apiRate)
	spent := Suggestion{Fix: FixNextRun, Budget: p.budgetSetting(by)}
	var deferred []Gap
	for _, pair := range pairs {
		for _, group := range intervalGroups(byPair[pair]) {
			for _, a := range mergeRebuilds(pair, group) {
				p.estimate(&a)
				var left []Gap
				a, left, budget = p.spend(a, budget, spent)
				deferred = append(deferred, left...)
				if !a.Span.Empty() {
					kept = append(kept, a)
					was = append(was, -1)
				}
			}
		}
	}
	kept = sortKeepingAfter(kept, was, len(actions))
	slices.SortStableFunc(deferred, func(a, b Gap) int {
		if c := a.Series.Compare(b.Series); c != 0 {
			return c
		}
		return cmp.Compare(a.Span.Start, b.Span.Start)
	})
	return kept, deferred
}

// sortKeepingAfter sorts actions by rule 6 and renumbers their After
// lists, which name positions in the list before (was[i] is action i's
// position there, of n); rebuilds wait for nothing and nothing waits for
// a rebuild piece, so none is lost.
func sortKeepingAfter(actions []Action, was []int, n int) []Action {
	order := make([]int, len(actions))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return compareActions(actions[a], actions[b]) })
	now := make([]int, n)
	out := make([]Action, len(actions))
	for to, from := range order {
		out[to] = actions[from]
		if w := was[from]; w >= 0 {
			now[w] = to
		}
	}
	for i := range out {
		if len(out[i].After) == 0 {
			continue
		}
		after := make([]int, len(out[i].After))
		for j, k := range out[i].After {
			after[j] = now[k]
		}
		out[i].After = after
	}
	return out
}

// intervalGroups splits one pair's rebuilds into groups of intervals
// that each divide the group's longest, longest first: a tape builds
// such a group in one pass (10080 and 21600 need two).
func intervalGroups(rebuilds []Action) [][]Action {
	var longest []ohlc.Interval
	for _, a := range rebuilds {
		longest = append(longest, a.Series.Interval)
	}
	slices.Sort(longest)
	longest = slices.Compact(longest)
	slices.Reverse(longest)
	var heads []ohlc.Interval
	groups := map[ohlc.Interval][]Action{}
	for _, iv := range longest {
		head := iv
		for _, h := range heads {
			if h%iv == 0 {
				head = h
				break
			}
		}
		if head == iv {
			heads = append(heads, iv)
		}
		for _, a := range rebuilds {
			if a.Series.Interval == iv {
				groups[head] = append(groups[head], a)
			}
		}
	}
	out := make([][]Action, 0, len(heads))
	for _, h := range heads {
		out = append(out, groups[h])
	}
	return out
}

// mergeRebuilds turns one interval group's rebuilds into one action per
// contiguous stretch of their union: the action's span is the stretch,
// its series the finest interval in it, and each interval builds the hull
// of its own pieces inside it (candles between them that the sink holds
// are compared with the rebuilt ones and kept: the cross-check).
func mergeRebuilds(pair string, group []Action) []Action {
	var all ohlc.SpanSet
	for _, a := range group {
		all = append(all, a.Span)
	}
	var out []Action
	for _, stretch := range ohlc.NewSpanSet(all...) {
		m := Action{Kind: RebuildTrades, Span: stretch}
		hulls := map[ohlc.Interval]ohlc.Span{}
		for _, a := range group {
			if a.Span.Intersect(stretch).Empty() {
				continue
			}
			h, ok := hulls[a.Series.Interval]
			if !ok {
				h = a.Span
			}
			hulls[a.Series.Interval] = ohlc.Span{Start: min(h.Start, a.Span.Start), End: max(h.End, a.Span.End)}
			m.Coverage = append(m.Coverage, a.Coverage...)
			m.Tiers = append(m.Tiers, a.Tiers...)
		}
		for iv, h := range hulls {
			m.Builds = append(m.Builds, Build{Interval: iv, Span: h})
		}
		slices.SortFunc(m.Builds, func(a, b Build) int { return cmp.Compare(a.Interval, b.Interval) })
		m.Series = ohlc.Series{Pair: pair, Interval: m.Builds[0].Interval}
		slices.Sort(m.Coverage)
		m.Coverage = slices.Compact(m.Coverage)
		slices.Sort(m.Tiers)
		m.Tiers = slices.Compact(m.Tiers)
		out = append(out, m)
	}
	return out
}

// estimate sets a rebuild's cost from its pair's known trade rate (or
// the configured default): trades over the span, one request per 1000
// of them (at least one), and their duration at the pair's rate.
func (p *planner) estimate(a *Action) {
	rate, ok := p.tradeRates[a.Series.Pair]
	if !ok || rate.PerDay <= 0 {
		rate = TradeRate{PerDay: float64(p.rebuild.TradesPerDay), Basis: "default"}
	}
	a.Basis = rate.Basis
	a.Trades = int64(math.Ceil(rate.PerDay * float64(a.Span.Seconds()) / 86400))
	a.Requests = int(max(1, (a.Trades+999)/1000))
	a.Rate = p.rebuild.PairRate(p.apiRate)
	a.Duration = p.requestsTime(a.Requests)
	a.Estimate = 0
	for _, b := range a.Builds {
		a.Estimate += b.Span.Candles(b.Interval)
	}
}

// requestsTime is how long n requests take at one pair's rate.
func (p *planner) requestsTime(n int) time.Duration {
	rate := p.rebuild.PairRate(p.apiRate)
	if rate <= 0 {
		return 0
	}
	return time.Duration(float64(n) / rate * float64(time.Second)).Round(time.Millisecond)
}

// spend takes a's requests from the budget. An action the budget does
// not fully pay for is cut at a boundary of its longest interval where
// the budget runs out, estimated in proportion (at least one candle of
// that interval while any budget is left); the rest of every build is
// returned as deferred gaps, with spent as their suggestion.
func (p *planner) spend(a Action, budget int, spent Suggestion) (Action, []Gap, int) {
	if a.Requests <= budget {
		return a, nil, budget - a.Requests
	}
	longest := a.Builds[len(a.Builds)-1].Interval
	cut := a.Span.Start
	if budget > 0 {
		part := float64(budget) / float64(a.Requests)
		cut = longest.AlignDown(a.Span.Start + int64(part*float64(a.Span.Seconds())))
		if cut <= a.Span.Start {
			// What is left of the budget buys less than one candle of
			// the longest interval: it buys one, so a run always
			// progresses.
			cut = min(longest.AlignDown(a.Span.Start)+longest.Seconds(), a.Span.End)
		}
	}
	rest := ohlc.Span{Start: cut, End: a.Span.End}
	var deferred []Gap
	for _, b := range a.Builds {
		if left := b.Span.Intersect(rest); !left.Empty() {
			deferred = append(deferred, Gap{Series: ohlc.Series{Pair: a.Series.Pair, Interval: b.Interval}, Span: left,
				Coverage: a.Coverage, Tiers: a.Tiers, Reason: ReasonDeferredBudget,
				Suggestion: spent})
		}
	}
	a.Span.End = cut
	builds := a.Builds[:0:0]
	for _, b := range a.Builds {
		if b.Span.End = min(b.Span.End, cut); !b.Span.Empty() {
			builds = append(builds, b)
		}
	}
	a.Builds = builds
	if a.Span.Empty() || len(builds) == 0 {
		return Action{}, deferred, 0
	}
	a.Series.Interval = builds[0].Interval
	p.estimate(&a)
	return a, deferred, max(0, budget-a.Requests)
}

// budgetSetting names the setting whose budget deferred gaps wait on,
// as written in the configuration: "max_requests = 3600".
func (p *planner) budgetSetting(by string) string {
	if by == "max_duration" {
		d := ohlc.FormatDuration(p.rebuild.MaxDuration, 3)
		return fmt.Sprintf("max_duration = %q", d)
	}
	return fmt.Sprintf("max_requests = %d", p.rebuild.MaxRequests)
}
