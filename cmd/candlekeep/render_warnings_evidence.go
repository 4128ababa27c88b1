package main

import (
	"fmt"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// earlyEndText words a file ending long before its pair's other files:
// whether the span after it is left open or, by the dump's say-so, taken
// as "no trades".
func earlyEndText(w planner.Warning) string {
	dump, member := "", ""
	if len(w.Hints) == 2 {
		dump, member = w.Hints[0], w.Hints[1]
	}
	head := fmt.Sprintf("%s › %s ends at %s, long before the pair's other files in the dump (%s):",
		dump, member, ohlc.FormatTime(w.Span.Start), ohlc.FormatTime(w.Span.End))
	if w.Code == planner.WarnFileEndsEarlyTrusted {
		return fmt.Sprintf("%s %s after it is taken as no trades, since the dump says trust_early_ends.", head, w.Series)
	}
	return fmt.Sprintf("%s %s after it is not taken as no trades; a complete file fills it, or trust_early_ends = true on the dump says there were none.", head, w.Series)
}
