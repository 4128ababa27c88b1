package report

import (
	"fmt"
	"html"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/state"
)

// WriteHTML writes the report as one self-contained page: inline CSS, no
// script, nothing fetched. A summary (a heat map of completeness per tier
// × interval, freshness, the last runs) comes first, then one group per
// tier × interval, each on the time axis of its own wanted window, so a
// 7-day window reads as well as a 10-year one. Stretches are HTML boxes
// whose tooltip is CSS (:hover::after), so it works with scripts off.
// The markup is well-formed XML as well as HTML, so tools without an HTML
// parser can read it.
func WriteHTML(w io.Writer, r *Report) error {
	page := htmlPage{Now: ohlc.FormatTime(r.Now), Since: sinceLabel(r.Since), Series: thousands(int64(len(r.Details)))}
	page.Heat = heatMap(r)
	for _, run := range r.Runs {
		page.Runs = append(page.Runs, runView(run))
	}
	byTier := make(map[string][]*SeriesDetail)
	for i := range r.Details {
		d := &r.Details[i]
		for _, tier := range d.Tiers {
			k := groupKey(tier, d.Series.Interval)
			byTier[k] = append(byTier[k], d)
		}
	}
	for _, row := range r.Tiers {
		page.Groups = append(page.Groups, groupView(row, byTier[groupKey(row.Tier, row.Interval)], r.Now))
	}
	if err := pageTemplate.Execute(w, page); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

func groupKey(tier string, iv ohlc.Interval) string { return fmt.Sprintf("%s/%d", tier, iv) }

// anchor is a group's id: letters, digits and dashes only.
func anchor(tier string, iv ohlc.Interval) string {
	var b strings.Builder
	b.WriteString("g-")
	for _, c := range tier {
		if c < 128 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			b.WriteRune(c)
		} else {
			b.WriteByte('-')
		}
	}
	fmt.Fprintf(&b, "-%d", iv)
	return b.String()
}

type htmlPage struct {
	Now, Since string
	Series     string
	Heat       heat
	Runs       []htmlRun
	Groups     []htmlGroup
}

type heat struct {
	Intervals []string
	Rows      []heatRow
}

type heatRow struct {
	Tier  string
	Cells []heatCell
}

type heatCell struct {
	Empty        bool
	Share, Title string
	Href         string
	Style        template.CSS
}

// heatMap is completeness per tier (rows) × interval (columns).
func heatMap(r *Report) heat {
	var h heat
	var ivs []ohlc.Interval
	seen := make(map[ohlc.Interval]bool)
	for _, row := range r.Tiers {
		if !seen[row.Interval] {
			seen[row.Interval] = true
			ivs = append(ivs, row.Interval)
		}
	}
	for i := 1; i < len(ivs); i++ { // few intervals: insertion sort
		for j := i; j > 0 && ivs[j] < ivs[j-1]; j-- {
			ivs[j], ivs[j-1] = ivs[j-1], ivs[j]
		}
	}
	for _, iv := range ivs {
		h.Intervals = append(h.Intervals, iv.Label())
	}
	index := make(map[string]int)
	for _, row := range r.Tiers {
		i, ok := index[row.Tier]
		if !ok {
			i = len(h.Rows)
			index[row.Tier] = i
			h.Rows = append(h.Rows, heatRow{Tier: row.Tier, Cells: make([]heatCell, len(ivs))})
			for c := range h.Rows[i].Cells {
				h.Rows[i].Cells[c].Empty = true
			}
		}
		for c, iv := range ivs {
			if iv == row.Interval {
				h.Rows[i].Cells[c] = heatCell{
					Share: Percent(row.Share()), Href: "#" + anchor(row.Tier, row.Interval), Style: shareColour(row.Share()),
					Title: fmt.Sprintf("%s %s: %d series, %s covered, newest candle %s", row.Tier, row.Interval.Label(), row.SeriesCount, Percent(row.Share()), newestRange(row.Counts, 0)),
				}
			}
		}
	}
	return h
}

// shareColour runs from red (nothing covered) through yellow to green
// (all covered); the power makes 90% visibly short of 100%.
func shareColour(share float64) template.CSS {
	hue := 120 * math.Pow(math.Max(0, math.Min(1, share)), 4)
	return template.CSS(fmt.Sprintf("background:hsl(%.0f,65%%,82%%)", hue))
}

type htmlRun struct {
	ID                        int64
	Status, Started, Duration string
	Actions, Failed           int
	Rows                      string
}

func runView(r state.Run) htmlRun {
	v := htmlRun{ID: r.ID, Status: string(r.Status), Started: r.StartedAt.UTC().Format("2006-01-02 15:04"), Actions: r.Actions, Failed: r.Failed, Rows: thousands(r.RowsWritten), Duration: "-"}
	if !r.FinishedAt.IsZero() {
		v.Duration = ohlc.FormatDuration(r.FinishedAt.Sub(r.StartedAt), 2)
	}
	return v
}

type htmlGroup struct {
	ID, Tier, Interval string
	Series             int
	Share              string
	Style              template.CSS
	Newest, Fresh      string
	Gaps               string
	Ticks              []tick
	Rows               template.HTML
	Height             int // px, for content-visibility before it is drawn
}

// groupView is one tier × interval: its figures, its axis, its rows.
func groupView(row Row, details []*SeriesDetail, now int64) htmlGroup {
	g := htmlGroup{
		ID: anchor(row.Tier, row.Interval), Tier: row.Tier, Interval: row.Interval.Label(), Series: row.SeriesCount,
		Share: Percent(row.Share()), Style: shareColour(row.Share()), Newest: newestRange(row.Counts, now),
		Gaps: gapCounts(row.Counts), Height: 16 * len(details),
	}
	switch {
	case row.FreshChecked == 0:
	case row.FreshError+row.FreshWarn == 0:
		g.Fresh = fmt.Sprintf("all %d fresh", row.FreshChecked)
	default:
		g.Fresh = fmt.Sprintf("%d stale beyond error_after, %d beyond warn_after, of %d checked", row.FreshError, row.FreshWarn, row.FreshChecked)
	}
	var lo, hi int64
	for _, d := range details {
		if len(d.Desired) == 0 {
			continue
		}
		start, end := d.Desired[0].Start, d.Desired[len(d.Desired)-1].End
		if hi == 0 || start < lo {
			lo = start
		}
		hi = max(hi, end)
	}
	g.Ticks = axisTicks(lo, hi)
	// The last label is drawn leftwards from its tick; too close to the
	// one before, the two would run together at 900 px: keep the line.
	if n := len(g.Ticks); n > 1 && g.Ticks[n-1].Pos > 90 && g.Ticks[n-1].Pos-g.Ticks[n-2].Pos < 12 {
		g.Ticks[n-1].Label = ""
	}
	var b strings.Builder
	for _, d := range details {
		writeRow(&b, d, lo, hi)
	}
	g.Rows = template.HTML(b.String())
	return g
}

// writeRow writes one series: name, share, and its stretches on the
// group's axis. Built by hand, not by the template: thousands of rows
// stay fast and small. A row whose window is the whole axis draws it as
// the timeline's own background; several stretches of one kind are one
// box painted with a gradient (a 10-year series of a dozen loads would
// otherwise cost a dozen boxes), whose tooltip names how many and from
// when to when; a single stretch, and every gap, is a box of its own.
func writeRow(b *strings.Builder, d *SeriesDetail, lo, hi int64) {
	name := html.EscapeString(d.Series.String())
	fresh := ""
	switch d.Freshness {
	case FreshWarn, FreshError:
		fresh = ` class="` + d.Freshness + `" title="freshness: ` + d.Freshness + `"`
	}
	full := len(d.Desired) == 1 && d.Desired[0] == ohlc.Span{Start: lo, End: hi}
	tclass := "t"
	if full {
		tclass = "t w"
	}
	fmt.Fprintf(b, `<div class="r"><b%s>%s</b><s>%s</s><div class="%s">`, fresh, name, Percent(d.Share()), tclass)
	if hi > lo {
		pos := func(t int64) float64 { return float64(t-lo) / float64(hi-lo) * 100 }
		if !full {
			for _, sp := range d.Desired {
				box(b, "w", pos(sp.Start), pos(sp.End), spanText(sp), "")
			}
		}
		spans(b, "c", ohlc.Difference(d.Covered, d.APICovered), pos)
		spans(b, "a", d.APICovered, pos)
		for _, g := range d.Gaps {
			// Classes are the gap statuses' initials: open, unfillable, failed.
			box(b, string(g.Status)[:1], pos(g.Span.Start), pos(g.Span.End), spanText(g.Span), "")
		}
	}
	b.WriteString("</div></div>\n")
}

// spans draws the stretches of one kind: one box each, or one painted box
// for several.
func spans(b *strings.Builder, class string, set ohlc.SpanSet, pos func(int64) float64) {
	switch len(set) {
	case 0:
		return
	case 1:
		box(b, class, pos(set[0].Start), pos(set[0].End), spanText(set[0]), "")
		return
	}
	x0, x1 := pos(set[0].Start), pos(set[len(set)-1].End)
	var g strings.Builder
	g.WriteString(";background:linear-gradient(90deg")
	for i, sp := range set {
		// Stops in percent of this box; a hole is transparent.
		from, to := (pos(sp.Start)-x0)/(x1-x0)*100, (pos(sp.End)-x0)/(x1-x0)*100
		if i > 0 {
			fmt.Fprintf(&g, ",#0000 0 %s%%", pct(from))
		}
		fmt.Fprintf(&g, ",%s 0 %s%%", colours[class], pct(max(to, from+0.1)))
	}
	g.WriteString(")")
	what := fmt.Sprintf("%d stretches from %s to %s", len(set), ohlc.FormatTime(set[0].Start), ohlc.FormatTime(set[len(set)-1].End))
	box(b, class, x0, x1, what, g.String())
}

// colours are the stretch colours, also in pageCSS; three hex digits
// keep 8,000 painted rows small.
var colours = map[string]string{"c": "#2a5", "a": "#07d"}

// pct is a percentage with at most one decimal: 7.5, 16, 100.
func pct(v float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0")
}

// box writes one stretch from x0 to x1 percent of the axis; a sliver
// stays visible, and a box in the right half opens its tooltip leftwards.
func box(b *strings.Builder, class string, x0, x1 float64, tip, style string) {
	if x0 > 55 {
		class += " e"
	}
	fmt.Fprintf(b, `<i class="%s" style="left:%s%%;width:%s%%%s" data-t="%s"></i>`, class, pct(x0), pct(math.Max(x1-x0, 0.2)), style, tip)
}

func spanText(sp ohlc.Span) string {
	return ohlc.FormatTime(sp.Start) + " → " + ohlc.FormatTime(sp.End)
}

// newestRange is a group's newest candle: from its stalest series (named)
// to its freshest.
func newestRange(c Counts, now int64) string {
	switch {
	case c.NewestEnd == 0:
		return "none"
	case c.CoverageEnd == c.NewestEnd:
		return endLabel(c.NewestEnd, now)
	case c.CoverageEnd == 0:
		return fmt.Sprintf("from none (%s) to %s", c.Stalest, endLabel(c.NewestEnd, now))
	}
	stale := ohlc.FormatTime(c.CoverageEnd) + " (" + c.Stalest.String()
	if now != 0 {
		stale += ", " + Age(c.CoverageEnd, now) + " ago"
	}
	return fmt.Sprintf("from %s) to %s", stale, endLabel(c.NewestEnd, now))
}

// Percent renders a share with one decimal, never rounding a share below
// one up to 100%.
func Percent(share float64) string {
	s := fmt.Sprintf("%.1f%%", share*100)
	if share < 1 && s == "100.0%" {
		return "99.9%"
	}
	return s
}

// Age renders how long before now t was: 3d4h, 5h12m, 12m.
func Age(t, now int64) string { return ohlc.FormatSeconds(now-t, 2) }

func endLabel(end, now int64) string {
	if end == 0 {
		return "none"
	}
	if now == 0 {
		return ohlc.FormatTime(end)
	}
	return ohlc.FormatTime(end) + " (" + Age(end, now) + " ago)"
}

func sinceLabel(since int64) string {
	if since == 0 {
		return ""
	}
	return ohlc.FormatTime(since)
}

func gapCounts(c Counts) string {
	return fmt.Sprintf("%d open, %d unfillable, %d failed", c.OpenGaps, c.UnfillableGaps, c.FailedGaps)
}

// thousands writes n with comma separators.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
