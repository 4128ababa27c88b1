package planner

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/ohlc/dump"
)

// PublishLag is how long after a quarter ends the planner still calls it
// "not yet published": Kraken publishes each quarter's zip some weeks
// after the quarter, so asking for it the day after would mislead.
const PublishLag int64 = 30 * 86400

// FullHistoryZip is the name of Kraken's full-history download.
const FullHistoryZip = "Kraken_OHLCVT.zip"

// reportUnfillable is planning rule 5, the last filler: every remaining
// gap becomes an unfillable action with a reason and the download that
// would fill it. See docs/planning.md for how pieces are split.
func (p *planner) reportUnfillable(w *seriesWork, dst []Action) []Action {
	gaps := w.gaps
	w.gaps = nil
	start := len(dst)
	out := dst
	add := func(sp ohlc.Span, r Reason, suggestion Suggestion) {
		out = append(out, Action{Kind: Unfillable, Series: w.series, Span: sp, Reason: r, Suggestion: suggestion})
	}
	if !w.series.Interval.InCSV() {
		fix := FixAPIOnly
		if p.apiEnabled {
			// Rule 4 took the API window; what is left is older.
			fix = FixNever
		}
		for _, sp := range gaps {
			add(sp, ReasonNotInCSV, Suggestion{Fix: fix})
		}
		return out
	}

	for _, b := range w.blocked {
		part := ohlc.Intersect(gaps, ohlc.SpanSet{b.span})
		fix := Suggestion{Fix: FixReplaceFile, Member: b.member.Path, Dump: b.member.Dump, Error: fmt.Sprint(b.err)}
		for _, sp := range part {
			add(sp, ReasonFileFailed, fix)
		}
		gaps = ohlc.Difference(gaps, part)
	}
	for _, sp := range gaps {
		p.classify(w.series, sp, add)
	}
	mine := out[start:]
	slices.SortFunc(mine, func(a, b Action) int { return cmp.Compare(a.Span.Start, b.Span.Start) })
	return out[:start+len(mergeAdjacent(mine))]
}

// classify splits a gap no dump holds into the pieces one download each
// would fill: before the newest configured full-history cutoff, the full
// history; after it, one quarterly zip per quarter; from the first quarter
// not yet published, a not-published piece per quarter.
func (p *planner) classify(s ohlc.Series, sp ohlc.Span, add func(ohlc.Span, Reason, Suggestion)) {
	reason := p.downloadReason(s.Interval)
	published := s.Interval.AlignDown(p.publishedUntil)
	quarterlyFrom := published
	if p.hasFullDump {
		quarterlyFrom = min(published, s.Interval.AlignDown(p.newestCutoff))
	}
	file := fmt.Sprintf("%s_%d.csv", s.Pair, int(s.Interval))
	if full := sp.Intersect(ohlc.Span{Start: sp.Start, End: quarterlyFrom}); !full.Empty() {
		add(full, reason, Suggestion{Fix: FixAddZip, Zip: FullHistoryZip, Member: file})
	}
	eachQuarter(sp.Intersect(ohlc.Span{Start: quarterlyFrom, End: published}), func(q, part ohlc.Span) {
		fix := Suggestion{Fix: FixAddZip, Zip: quarterZip(q), Member: file}
		if dir := p.quarterFolder(q); dir != "" {
			fix.Fix, fix.Dump = FixCopyFile, dir
		}
		add(part, reason, fix)
	})
	eachQuarter(sp.Intersect(ohlc.Span{Start: published, End: sp.End}), func(q, part ohlc.Span) {
		add(part, ReasonNotPublished, Suggestion{Fix: FixAwaitZip, Zip: quarterZip(q), Member: file, PublishedAfter: q.End,
			NotInAPI: reason == ReasonNotInAPI})
	})
}

// downloadReason is why a published download is needed for a piece no
// dump holds: the API is disabled, the interval is not served by it, or
// the piece is older than its window (rule 4 took the rest).
// Not-published suggestions of an interval the API never serves say so,
// so nobody waits for a backfill that cannot come.
func (p *planner) downloadReason(iv ohlc.Interval) Reason {
	switch {
	case !p.apiEnabled:
		return ReasonNoDump
	case !iv.InAPI():
		return ReasonNotInAPI
	}
	return ReasonOlderThanAPIWindow
}

// quarterFolder is the configured quarterly folder dump of quarter q, if
// any: a file missing from it can simply be copied in. A full-history
// folder is never suggested, because a newer file would move its inferred
// cutoff past the other files' data.
func (p *planner) quarterFolder(q ohlc.Span) string {
	for _, d := range p.dumps {
		if d.Kind == dump.Quarterly && !d.IsZip && d.Quarter == q {
			return p.displayPath(d.Spec.Path)
		}
	}
	return ""
}

// eachQuarter calls fn for every calendar quarter (UTC) sp overlaps, with
// the part of sp inside it.
func eachQuarter(sp ohlc.Span, fn func(q, part ohlc.Span)) {
	for t := sp.Start; t < sp.End; {
		q := QuarterOf(t)
		part := ohlc.Span{Start: t, End: min(sp.End, q.End)}
		fn(q, part)
		t = part.End
	}
}

// QuarterOf is the calendar quarter (UTC) holding t.
func QuarterOf(t int64) ohlc.Span {
	tt := time.Unix(t, 0).UTC()
	first := time.Date(tt.Year(), (tt.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
	return ohlc.Span{Start: first.Unix(), End: first.AddDate(0, 3, 0).Unix()}
}

// PublishedUntil is the end of the newest quarter Kraken can be expected
// to have published at now: a quarter counts once PublishLag has passed
// since its end.
func PublishedUntil(now int64) int64 {
	q := QuarterOf(now)
	if q.Start+PublishLag <= now {
		return q.Start
	}
	return QuarterOf(q.Start - 1).Start
}

// quarterZip names Kraken's quarterly download for q: Kraken_OHLCVT_Q3_2024.zip.
func quarterZip(q ohlc.Span) string {
	t := time.Unix(q.Start, 0).UTC()
	return fmt.Sprintf("Kraken_OHLCVT_Q%d_%d.zip", (int(t.Month())-1)/3+1, t.Year())
}

// mergeAdjacent joins touching unfillable pieces that say the same thing.
func mergeAdjacent(in []Action) []Action {
	out := in[:0]
	for _, a := range in {
		if n := len(out); n > 0 {
			last := &out[n-1]
			if last.Span.End == a.Span.Start && last.Reason == a.Reason && last.Suggestion == a.Suggestion {
				last.Span.End = a.Span.End
				continue
			}
		}
		out = append(out, a)
	}
	return out
}
