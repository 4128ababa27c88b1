package main

import (
	"fmt"
	"strings"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// deriveSection is the comment's fold of derive actions: per series, the
// spans, the candles and the shorter series they are aggregated from.
func deriveSection(derives []planner.Action) mdSection {
	var candles int64
	for _, a := range derives {
		candles += a.Estimate
	}
	return mdSection{
		summary: fmt.Sprintf("<b><code>=</code> %s %s</b>, %s candles (est.) aggregated from shorter intervals",
			count(int64(len(derives))), plural(len(derives), "derive", "derives"), count(candles)),
		blocks: []mdBlock{{header: "| Series | Span | Candles | From |\n|---|---|--:|---|\n", rows: seriesRows(derives, func(as []planner.Action) (string, int64) {
			var spans, from []string
			var n int64
			for _, a := range as {
				spans = append(spans, compactSpan(a.Span))
				from = append(from, ohlc.Series{Pair: a.Series.Pair, Interval: a.From}.String())
				n += a.Estimate
			}
			return fmt.Sprintf("%s | %s | %s", strings.Join(spans, "<br>"), count(n), strings.Join(from, "<br>")), n
		})}},
	}
}
