package planfile

import (
	"fmt"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// Warning is one of the plan's warnings (planner.Warning): data only, so
// a consumer words it from its code.
type Warning struct {
	Code   string   `json:"code"`
	Series string   `json:"series,omitempty"`
	Pair   string   `json:"pair,omitempty"`
	Span   *Span    `json:"span,omitempty"`
	Hints  []string `json:"hints"`
}

// newWarnings describes ws, [] when there are none.
func newWarnings(ws []planner.Warning) []Warning {
	out := make([]Warning, len(ws))
	for i, w := range ws {
		out[i] = Warning{Code: string(w.Code), Pair: w.Pair, Hints: append([]string{}, w.Hints...)}
		if w.Series != (ohlc.Series{}) {
			out[i].Series = w.Series.String()
		}
		if w.Span != (ohlc.Span{}) {
			out[i].Span = &Span{Start: formatTime(w.Span.Start), End: formatTime(w.Span.End)}
		}
	}
	return out
}

// decodeWarnings turns the document's warnings back into the plan's.
func decodeWarnings(ws []Warning) ([]planner.Warning, error) {
	if len(ws) == 0 {
		return nil, nil
	}
	out := make([]planner.Warning, len(ws))
	for i, w := range ws {
		if w.Code == "" {
			return nil, fmt.Errorf("not a valid plan: warning %d has no code", i+1)
		}
		out[i] = planner.Warning{Code: planner.WarningCode(w.Code), Pair: w.Pair, Hints: nonEmpty(w.Hints)}
		if w.Series != "" {
			s, err := ohlc.ParseSeries(w.Series)
			if err != nil {
				return nil, fmt.Errorf("not a valid plan: warning %d: %w", i+1, err)
			}
			out[i].Series = s
		}
		if w.Span != nil {
			start, err := parseTime("warnings.span.start", w.Span.Start)
			if err != nil {
				return nil, err
			}
			end, err := parseTime("warnings.span.end", w.Span.End)
			if err != nil {
				return nil, err
			}
			out[i].Span = ohlc.Span{Start: start, End: end}
		}
	}
	return out, nil
}
