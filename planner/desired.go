package planner

import (
	"slices"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
)

// Want is what the configuration asks for one series: the spans, and the
// coverage blocks and tiers that ask for them.
type Want struct {
	Spans    ohlc.SpanSet
	Coverage []string // coverage block names, sorted, deduplicated
	Tiers    []string // tier names, sorted, deduplicated; empty when only listed directly
	// DeriveFrom are the shorter intervals the series may be derived
	// from: every asking block's derive_from, the first block's
	// preferences first, each once.
	DeriveFrom []ohlc.Interval
}

// Desired is planning rule 1: every series the configuration names, with
// the union of the spans its coverage blocks want at now. A series whose
// windows are all empty at now (a window starting in the future) is still
// listed, with no spans, so reports can show it.
func Desired(cfg *config.Config, now int64) map[ohlc.Series]Want {
	out := make(map[ohlc.Series]Want)
	if cfg == nil {
		return out
	}
	tierPairs := make(map[string]map[string]bool, len(cfg.Tiers))
	for _, t := range cfg.Tiers {
		set := make(map[string]bool, len(t.Pairs))
		for _, p := range t.Pairs {
			set[p] = true
		}
		tierPairs[t.Name] = set
	}
	spans := make(map[ohlc.Series][]ohlc.Span)
	for _, block := range cfg.Coverage {
		for _, pair := range block.Pairs {
			var tiers []string
			for _, t := range block.Tiers {
				if tierPairs[t][pair] {
					tiers = append(tiers, t)
				}
			}
			for _, iv := range block.Intervals {
				s := ohlc.Series{Pair: pair, Interval: iv}
				w := out[s]
				w.Coverage = append(w.Coverage, block.Name)
				w.Tiers = append(w.Tiers, tiers...)
				for _, from := range block.DeriveFrom {
					if !slices.Contains(w.DeriveFrom, from) {
						w.DeriveFrom = append(w.DeriveFrom, from)
					}
				}
				out[s] = w
				if sp := WindowSpan(block.Window, iv, now); !sp.Empty() {
					spans[s] = append(spans[s], sp)
				}
			}
		}
	}
	for s, w := range out {
		w.Spans = ohlc.NewSpanSet(spans[s]...)
		w.Coverage = sortedUnique(w.Coverage)
		w.Tiers = sortedUnique(w.Tiers)
		out[s] = w
	}
	return out
}

// WindowSpan is the span a coverage window wants of one interval at now:
// both ends aligned down to the interval, the start clamped to Kraken's
// first trades (ohlc.KrakenFirstTrade) and the end clipped to the start of
// the forming candle, so neither candles that cannot exist, a still-forming
// candle nor the future is ever wanted. The result may be empty.
func WindowSpan(w config.Window, iv ohlc.Interval, now int64) ohlc.Span {
	raw := w.Span(now)
	sp := ohlc.Span{
		Start: iv.AlignDown(max(raw.Start, ohlc.KrakenFirstTrade)),
		End:   min(iv.AlignDown(raw.End), iv.AlignDown(now)),
	}
	if sp.Empty() {
		return ohlc.Span{}
	}
	return sp
}

func sortedUnique(v []string) []string {
	if len(v) == 0 {
		return nil
	}
	slices.Sort(v)
	return slices.Compact(v)
}
