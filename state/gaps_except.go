package state

import (
	"context"
	"fmt"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// SyncGapsExcept is SyncGaps for a plan that did not look at some series
// (pairs Kraken does not know, series no longer configured): leftAlone
// names them, and their unresolved records stay as they are, neither
// continued nor marked filled, since no candle of theirs was stored. No
// found gap may be of them.
func (s *Store) SyncGapsExcept(ctx context.Context, leftAlone func(ohlc.Series) bool, found []Gap, now time.Time) error {
	for _, g := range found {
		if leftAlone(g.Series) {
			return fmt.Errorf("record gaps: gap %s %s is of a series the plan left alone", g.Series, g.Span)
		}
	}
	return s.syncGaps(ctx, found, now, func(sr ohlc.Series) bool { return !leftAlone(sr) })
}
