package planner

import (
	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
)

// APICandles is how many of an interval's most recent candles Kraken's
// REST OHLC endpoint answers, the forming one included.
const APICandles = 720

// APIWindow is the span Kraken's REST API can still fill for interval iv
// at now: the (720 − margin) candles before the forming one. It is empty
// for an interval the API does not serve, and for a margin of 720 or more.
// A margin of 0 or less means config.DefaultAPIMargin.
func APIWindow(iv ohlc.Interval, now int64, margin int) ohlc.Span {
	if !iv.InAPI() {
		return ohlc.Span{}
	}
	if margin <= 0 {
		margin = config.DefaultAPIMargin
	}
	if margin >= APICandles {
		return ohlc.Span{}
	}
	forming := iv.AlignDown(now)
	return ohlc.Span{Start: forming - int64(APICandles-margin)*iv.Seconds(), End: forming}
}

// fillFromAPI is planning rule 4: the remaining gaps inside the series'
// API window become one backfill_api action, since one request reaches
// the whole window. It spans from the first remaining part to the end of
// the last; candles already covered between parts are written again,
// which every sink's upsert makes harmless.
func (p *planner) fillFromAPI(w *seriesWork, actions []Action) []Action {
	window := APIWindow(w.series.Interval, p.now, p.apiMargin)
	if window.Empty() {
		return actions
	}
	inside := ohlc.Intersect(w.gaps, ohlc.SpanSet{window})
	if len(inside) == 0 {
		return actions
	}
	hull := ohlc.Span{Start: inside[0].Start, End: inside[len(inside)-1].End}
	w.gaps = ohlc.Difference(w.gaps, ohlc.SpanSet{hull})
	// The same request holds the provisional candles: fetch them again.
	var prov ohlc.Span
	if n := len(w.provisional); n > 0 {
		prov = ohlc.Span{Start: w.provisional[0].Start, End: w.provisional[n-1].End}
		hull.Start = min(hull.Start, prov.Start)
	}
	return append(actions, Action{
		Kind:        BackfillAPI,
		Series:      w.series,
		Span:        hull,
		Estimate:    hull.Candles(w.series.Interval),
		Requests:    1,
		Provisional: prov,
	})
}

// provisional is the part of a series' API coverage whose candles closed
// less than the settle window before they were fetched, when time has
// moved on since: Kraken may have revised them. The last fetch is taken
// to have happened at the end of the API coverage, which a backfill
// records up to its clock. Only what is still wanted and inside the
// window counts. Rule 4 fetches them again with its backfill; a series
// with nothing else to fetch is left alone (a window with a fixed end
// would otherwise be fetched every run).
func (p *planner) provisional(s ohlc.Series, want, api ohlc.SpanSet) ohlc.SpanSet {
	if p.apiSettle <= 0 || len(api) == 0 {
		return nil
	}
	fetched := api[len(api)-1].End
	if s.Interval.AlignDown(p.now) <= fetched {
		return nil // fetched at this clock: nothing changed since
	}
	window := APIWindow(s.Interval, p.now, p.apiMargin)
	span := ohlc.Span{Start: max(fetched-p.apiSettle, window.Start), End: fetched}
	if span.Empty() {
		return nil
	}
	return ohlc.Intersect(ohlc.Intersect(api, ohlc.SpanSet{span}), want)
}
