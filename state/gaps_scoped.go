package state

import (
	"context"
	"fmt"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// SyncGapsOf is SyncGaps for a plan of part of the configuration (-target):
// only unresolved records of the given series are continued or marked
// filled; records of every other series are left as they are, since that
// plan did not look at them. Every found gap must be of one of the series,
// else it could duplicate a record that was not looked at.
func (s *Store) SyncGapsOf(ctx context.Context, series []ohlc.Series, found []Gap, now time.Time) error {
	scope := make(map[ohlc.Series]bool, len(series))
	for _, sr := range series {
		scope[sr] = true
	}
	for _, g := range found {
		if !scope[g.Series] {
			return fmt.Errorf("record gaps: gap %s %s is outside the series planned", g.Series, g.Span)
		}
	}
	return s.syncGaps(ctx, found, now, func(sr ohlc.Series) bool { return scope[sr] })
}
