package planfile

import (
	"fmt"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// Warning is one of the plan's warnings (planner.Warning): a code and the
// data a view words it with. Fields that do not apply are absent.
type Warning struct {
	Code     string `json:"code"`
	Series   string `json:"series,omitempty"`
	Pair     string `json:"pair,omitempty"`
	Coverage string `json:"coverage,omitempty"`
	Span     *Span  `json:"span,omitempty"`
	// Candles and CandlesEstimated: the candles a series no longer
	// configured keeps in the sink, and whether that is an estimate.
	Candles          *int64   `json:"candles,omitempty"`
	CandlesEstimated *bool    `json:"candles_estimated,omitempty"`
	Hints            []string `json:"hints"`
}

func newWarnings(ws []planner.Warning) []Warning {
	out := make([]Warning, len(ws))
	for i, w := range ws {
		o := Warning{Code: string(w.Code), Pair: w.Pair, Coverage: w.Coverage, Hints: append([]string{}, w.Hints...)}
		if w.Series != (ohlc.Series{}) {
			o.Series = w.Series.String()
		}
		if w.Span != (ohlc.Span{}) {
			sp := w.Span.JSON()
			o.Span = &sp
		}
		if w.Code == planner.WarnNoLongerConfigured {
			n, est := w.Candles, w.CandlesEstimated
			o.Candles, o.CandlesEstimated = &n, &est
		}
		out[i] = o
	}
	return out
}

// warnings reads the document's warnings back; a 1.0 document has none.
func warnings(ws []Warning) ([]planner.Warning, error) {
	if len(ws) == 0 {
		return nil, nil
	}
	out := make([]planner.Warning, len(ws))
	for i, w := range ws {
		o := planner.Warning{Code: planner.WarningCode(w.Code), Pair: w.Pair, Coverage: w.Coverage, Hints: nonEmpty(w.Hints)}
		if w.Series != "" {
			s, err := ohlc.ParseSeries(w.Series)
			if err != nil {
				return nil, fmt.Errorf("not a valid plan: warning %d: %w", i+1, err)
			}
			o.Series = s
		}
		if w.Span != nil {
			sp, err := parseSpan("warnings[].span", *w.Span)
			if err != nil {
				return nil, err
			}
			o.Span = sp
		}
		if w.Candles != nil {
			o.Candles = *w.Candles
		}
		o.CandlesEstimated = w.CandlesEstimated != nil && *w.CandlesEstimated
		out[i] = o
	}
	return out, nil
}
