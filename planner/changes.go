package planner

import (
	"slices"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/ohlc/snapshot"
)

// What a plan adds to what state already knows: which unfillable gaps are
// new, which series state holds that the configuration no longer wants,
// and which windows reach before Kraken's history. See docs/planning.md,
// "What changed".

// knownUnfillable is, per series, the union of the gaps state recorded as
// unfillable.
func knownUnfillable(snap *snapshot.Snapshot) map[ohlc.Series]ohlc.SpanSet {
	return gapsWithStatus(snap, snapshot.GapUnfillable)
}

// gapsWithStatus is, per series, the union of the gap records of a status.
func gapsWithStatus(snap *snapshot.Snapshot, status snapshot.GapStatus) map[ohlc.Series]ohlc.SpanSet {
	if snap == nil {
		return nil
	}
	spans := map[ohlc.Series][]ohlc.Span{}
	for _, g := range snap.Gaps {
		if g.Status == status {
			spans[g.Series] = append(spans[g.Series], g.Span)
		}
	}
	out := make(map[ohlc.Series]ohlc.SpanSet, len(spans))
	for s, list := range spans {
		out[s] = ohlc.NewSpanSet(list...)
	}
	return out
}

// markKnown marks the unfillable actions whose span state already
// recorded as unfillable. A span only partly recorded (a window reaching
// further back, a gap that grew) is new: part of it is news.
func markKnown(actions []Action, recorded ohlc.SpanSet) {
	if len(recorded) == 0 {
		return
	}
	for i := range actions {
		if actions[i].Kind == Unfillable && recorded.Covers(actions[i].Span) {
			actions[i].Known = true
		}
	}
}

// noLongerConfigured warns of every series state holds coverage of that
// the configuration does not name at all, with the candles it keeps in
// the sink (see storedCandles). Warnings come in series order.
func noLongerConfigured(snap *snapshot.Snapshot, desired map[ohlc.Series]Want) []Warning {
	if snap == nil {
		return nil
	}
	var gone []ohlc.Series
	for s, spans := range snap.Coverage {
		if _, wanted := desired[s]; !wanted && len(spans) > 0 {
			gone = append(gone, s)
		}
	}
	if len(gone) == 0 {
		return nil
	}
	slices.SortFunc(gone, ohlc.Series.Compare)
	files := map[ohlc.Series][]snapshot.FileRecord{}
	for _, f := range snap.Files {
		files[f.Series] = append(files[f.Series], f)
	}
	out := make([]Warning, len(gone))
	for i, s := range gone {
		n, estimated := storedCandles(s, files[s], snap.APICoverage[s])
		out[i] = Warning{Code: WarnNoLongerConfigured, Series: s, Candles: n, CandlesEstimated: estimated}
	}
	return out
}

// storedCandles is how many candles of s the sink holds by state's
// account: the rows written from its files (recorded, exact), plus the
// candle slots of its API coverage outside every file's rows. Those slots
// are an upper bound (an hour without trades has no candle), so a count
// with any of them is an estimate.
func storedCandles(s ohlc.Series, files []snapshot.FileRecord, api ohlc.SpanSet) (int64, bool) {
	var n int64
	rowSpans := make([]ohlc.Span, 0, len(files))
	for _, f := range files {
		n += f.Rows
		if f.Rows > 0 {
			rowSpans = append(rowSpans, ohlc.Span{Start: f.First, End: f.Last + s.Interval.Seconds()})
		}
	}
	var slots int64
	for _, sp := range ohlc.Difference(api.Align(s.Interval), ohlc.NewSpanSet(rowSpans...)) {
		slots += sp.Candles(s.Interval)
	}
	return n + slots, slots > 0
}

// beforeHistory warns once per coverage block whose window, at now,
// reaches before Kraken's first trades, when the block asks for one of
// the planned series. The part before is left out of Desired.
func beforeHistory(cfg *config.Config, now int64, series []ohlc.Series, desired map[ohlc.Series]Want) []Warning {
	if cfg == nil {
		return nil
	}
	var out []Warning
	for _, b := range cfg.Coverage {
		raw := b.Window.Span(now)
		if raw.Empty() || raw.Start >= ohlc.KrakenFirstTrade || !asksFor(b.Name, series, desired) {
			continue
		}
		out = append(out, Warning{Code: WarnBeforeKrakenHistory, Coverage: b.Name,
			Span: ohlc.Span{Start: raw.Start, End: min(raw.End, ohlc.KrakenFirstTrade)}})
	}
	return out
}

func asksFor(block string, series []ohlc.Series, desired map[ohlc.Series]Want) bool {
	for _, s := range series {
		if slices.Contains(desired[s].Coverage, block) {
			return true
		}
	}
	return false
}
