package executor

import (
	"fmt"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// checkPromise fails a load that found no row in a span holding its
// file's first or last row as profiled when planned: covering that span
// would claim "no trades" where the file was seen to have some. The
// profile's rows are parsed strictly, so only a file that is not what was
// profiled gets here; it is bad content, recorded failed.
func (l *load) checkPromise(rows int64) error {
	src := l.a.CSV
	if rows > 0 || src == nil || src.First == 0 && src.Last == 0 {
		return nil
	}
	for _, t := range []int64{src.First, src.Last} {
		if l.a.Span.Contains(t) {
			return &SourceError{Err: fmt.Errorf("%s: no candle of %s in %s, where its profile has a row at %s: the file is not what was planned",
				src.Member, l.a.Series, l.a.Span, ohlc.FormatTime(t))}
		}
	}
	return nil
}
