package report

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// timelineWidth is the width of every timeline in SVG user units. All
// timelines share one time axis, so holes line up across series.
const timelineWidth = 1000

// WriteHTML writes the report as one self-contained page: inline CSS and
// inline SVG, nothing fetched. The markup is well-formed XML as well as
// HTML, so tools without an HTML parser can read it.
func WriteHTML(w io.Writer, r *Report) error {
	lo, hi := r.axis()
	page := htmlPage{
		Now:   ohlc.FormatTime(r.Now),
		Since: sinceLabel(r.Since),
		From:  ohlc.FormatTime(lo),
		To:    ohlc.FormatTime(hi),
	}
	for _, row := range r.Tiers {
		page.Tiers = append(page.Tiers, htmlRow{
			Tier: row.Tier, Interval: row.Interval.Label(), Series: row.SeriesCount,
			Share: Percent(row.Share()), Gaps: gapCounts(row.Counts), End: endLabel(row.CoverageEnd, r.Now),
		})
	}
	scale := func(t int64) float64 {
		if hi <= lo {
			return 0
		}
		return float64(t-lo) / float64(hi-lo) * timelineWidth
	}
	for _, d := range r.Details {
		tl := timeline{Series: d.Series.String(), Share: Percent(d.Share()), Gaps: gapCounts(d.Counts), End: endLabel(d.CoverageEnd, r.Now)}
		// Wanted and covered spans are one path each: thousands of series
		// stay a page of a few megabytes. Gaps, the point of the page, are
		// rectangles of their own with a tooltip.
		path := func(spans ohlc.SpanSet) string {
			var b strings.Builder
			for _, sp := range spans {
				// Whole units (a thousandth of the axis) keep the
				// page small; every span stays at least one unit wide.
				x := math.Round(scale(sp.Start))
				w := max(math.Round(scale(sp.End))-x, 1)
				fmt.Fprintf(&b, "M%.0f 0h%.0fv14h-%.0fz", x, w, w)
			}
			return b.String()
		}
		tl.Want, tl.Covered = path(d.Desired), path(d.Covered)
		for _, g := range d.Gaps {
			x, x2 := scale(g.Span.Start), scale(g.Span.End)
			// Classes are the gap statuses: open, unfillable, failed.
			tl.Bars = append(tl.Bars, bar{X: x, W: max(x2-x, 0.5), Class: string(g.Status), Title: string(g.Status) + " gap " + g.Span.String()})
		}
		page.Timelines = append(page.Timelines, tl)
	}
	if err := pageTemplate.Execute(w, page); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

// axis is the union of every desired window: the shared time axis.
func (r *Report) axis() (lo, hi int64) {
	for _, d := range r.Details {
		if len(d.Desired) == 0 {
			continue
		}
		start, end := d.Desired[0].Start, d.Desired[len(d.Desired)-1].End
		if hi == 0 || start < lo {
			lo = start
		}
		hi = max(hi, end)
	}
	return lo, hi
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

// Age renders how long before now t was: 3d4h, 5h, 12m.
func Age(t, now int64) string {
	d := time.Duration(now-t) * time.Second
	switch {
	case d < 0:
		return "0m"
	case d >= 48*time.Hour:
		days := int64(d / (24 * time.Hour))
		return fmt.Sprintf("%dd", days)
	case d >= time.Hour:
		return fmt.Sprintf("%dh", int64(d/time.Hour))
	}
	return fmt.Sprintf("%dm", int64(d/time.Minute))
}

func endLabel(end, now int64) string {
	if end == 0 {
		return "none"
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

type htmlPage struct {
	Now, Since, From, To string
	Tiers                []htmlRow
	Timelines            []timeline
}

type htmlRow struct {
	Tier, Interval   string
	Series           int
	Share, Gaps, End string
}

type timeline struct {
	Series, Share, Gaps, End string
	Want, Covered            string // SVG path data
	Bars                     []bar  // gaps
}

type bar struct {
	X, W  float64
	Class string
	Title string
}

var pageTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"f": func(v float64) string { return fmt.Sprintf("%.1f", v) },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<title>candlekeep coverage report</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { padding: 0.2em 0.8em; border-bottom: 1px solid #ddd; text-align: left; }
.tl { display: grid; grid-template-columns: 15em 1fr 16em; gap: 0.6em; align-items: center; margin: 2px 0; }
.tl svg { width: 100%; height: 14px; display: block; }
.want { fill: #e6e6e6; } .covered { fill: #2e9e44; } .open { fill: #f0a020; } .unfillable { fill: #8a8a8a; } .failed { fill: #d03030; }
.legend span { display: inline-block; width: 1em; height: 0.8em; margin: 0 0.3em 0 1em; vertical-align: middle; }
.legend .want { background: #e6e6e6; } .legend .covered { background: #2e9e44; } .legend .open { background: #f0a020; }
.legend .unfillable { background: #8a8a8a; } .legend .failed { background: #d03030; }
.meta { color: #666; font-size: 12px; }
</style>
</head>
<body>
<h1>Coverage report</h1>
<p class="meta">As of {{.Now}}{{if .Since}}, counting from {{.Since}}{{end}}. Timelines run from {{.From}} to {{.To}}.</p>
<table>
<tr><th>Tier</th><th>Interval</th><th>Series</th><th>Covered</th><th>Gaps</th><th>Newest covered</th></tr>
{{range .Tiers}}<tr><td>{{.Tier}}</td><td>{{.Interval}}</td><td>{{.Series}}</td><td>{{.Share}}</td><td>{{.Gaps}}</td><td>{{.End}}</td></tr>
{{end}}</table>
<p class="legend">Legend:<span class="want"></span>wanted, not covered<span class="covered"></span>covered<span class="open"></span>open gap<span class="unfillable"></span>unfillable gap<span class="failed"></span>failed gap</p>
{{range .Timelines}}<div class="tl"><div>{{.Series}} · {{.Share}}</div><svg viewBox="0 0 1000 14" preserveAspectRatio="none" role="img"><title>{{.Series}}: {{.Gaps}}; newest covered {{.End}}</title>{{if .Want}}<path class="want" d="{{.Want}}"/>{{end}}{{if .Covered}}<path class="covered" d="{{.Covered}}"/>{{end}}{{range .Bars}}<rect class="{{.Class}}" x="{{f .X}}" y="0" width="{{f .W}}" height="14"><title>{{.Title}}</title></rect>{{end}}</svg><div class="meta">{{.Gaps}}</div></div>
{{end}}</body>
</html>
`))
