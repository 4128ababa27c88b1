package state

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// SyncGapsExcept is SyncGaps for a plan that left some pairs out (pairs
// Kraken does not know): their unresolved records are left as they are,
// neither continued nor marked filled, since that plan did not look at
// them and no candle of theirs was stored. No found gap may be of them.
func (s *Store) SyncGapsExcept(ctx context.Context, pairs []string, found []Gap, now time.Time) error {
	for _, g := range found {
		if slices.Contains(pairs, g.Series.Pair) {
			return fmt.Errorf("record gaps: gap %s %s is of a pair the plan left out", g.Series, g.Span)
		}
	}
	return s.syncGaps(ctx, found, now, func(sr ohlc.Series) bool { return !slices.Contains(pairs, sr.Pair) })
}
