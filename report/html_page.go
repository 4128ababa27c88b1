package report

import "html/template"

// pageCSS lays the page out. Column widths are fixed so every group's
// axis, grid lines and rows line up: name 9.5em, share 4em, then the
// timeline.
const pageCSS = `
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em; color: #1f2328; }
h1 { font-size: 1.5em; margin: 0 0 .2em; } h2 { font-size: 1.15em; margin: .6em 0 .1em; }
.meta { color: #59636e; font-size: 12px; margin: .2em 0 .6em; }
table { border-collapse: collapse; margin: .4em 0 1em; }
th, td { padding: .25em .7em; border: 1px solid #d0d7de; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.heat td { text-align: center; min-width: 4.5em; font-variant-numeric: tabular-nums; }
.heat a { color: inherit; text-decoration: none; display: block; }
.heat td.none { background: #f6f8fa; color: #8c959f; }
.summary { display: flex; flex-wrap: wrap; gap: 0 3em; align-items: flex-start; }
.summary h3 { font-size: 1em; margin: .6em 0 0; }
.legend { position: sticky; top: 0; background: #fff; padding: .4em 0; z-index: 5; border-bottom: 1px solid #d0d7de; font-size: 12px; }
.legend i { display: inline-block; width: 1.2em; height: .8em; margin: 0 .35em 0 1em; vertical-align: -1px; border-radius: 2px; }
.legend i:first-child { margin-left: 0; }
.group h2 .pct { padding: 0 .4em; border-radius: 3px; font-weight: normal; font-size: .85em; }
.axis { position: relative; height: 1.3em; margin-left: 13.5em; }
.axis span { position: absolute; bottom: 0; padding-left: 3px; border-left: 1px solid #8c959f; white-space: nowrap; font-size: 11px; color: #59636e; }
.axis span.end { transform: translateX(-100%); padding: 0 3px 0 0; border-left: 0; border-right: 1px solid #8c959f; }
.rows { position: relative; content-visibility: auto; padding-bottom: 1.8em; } /* room for the last row's tooltip: containment clips */
.grid { position: absolute; top: 0; bottom: 1.8em; left: 13.5em; right: 0; pointer-events: none; }
.grid i { position: absolute; top: 0; bottom: 0; border-left: 1px solid rgba(31,35,40,.15); }
.r { display: grid; grid-template-columns: 9.5em 4em 1fr; align-items: center; height: 16px; }
.r b { font-weight: normal; font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.r b.warn::before, .r b.error::before { content: "●"; margin-right: .25em; }
.r b.warn::before { color: #bf8700; } .r b.error::before { color: #cf222e; }
.r s { text-decoration: none; font-size: 12px; text-align: right; padding-right: .6em; color: #59636e; font-variant-numeric: tabular-nums; }
.t { position: relative; height: 11px; }
.t i { position: absolute; top: 0; height: 11px; }
.w { background: #e4e7eb; } .c { background: #2a5; } .a { background: #07d; }
.o { background: #fb8f44; } .u { background: #6e7781; } .f { background: #cf222e; }
.t i:hover { outline: 2px solid #1f2328; z-index: 3; }
.t i:hover::after { position: absolute; top: 15px; left: 0; z-index: 4; white-space: nowrap; pointer-events: none;
  background: #1f2328; color: #fff; font: 12px system-ui, sans-serif; padding: 3px 7px; border-radius: 4px; }
.t i.e:hover::after { left: auto; right: 0; }
.w:hover::after { content: "wanted, not covered: " attr(data-t); }
.c:hover::after { content: "covered from dumps: " attr(data-t); }
.a:hover::after { content: "covered from Kraken's REST API: " attr(data-t); }
.o:hover::after { content: "open gap: " attr(data-t); }
.u:hover::after { content: "unfillable gap: " attr(data-t); }
.f:hover::after { content: "failed gap: " attr(data-t); }
`

var pageTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>candlekeep coverage report, {{.Now}}</title>
<style>` + pageCSS + `</style>
</head>
<body>
<h1>Coverage report</h1>
<p class="meta">As of {{.Now}} UTC{{if .Since}}, counting from {{.Since}}{{end}}. {{.Series}} series. Each group below has the time axis of its own wanted window.</p>
<div class="summary">
<div>
<h3>Covered share per tier × interval</h3>
<table class="heat">
<tr><th>Tier</th>{{range .Heat.Intervals}}<th>{{.}}</th>{{end}}</tr>
{{range .Heat.Rows}}<tr><th>{{.Tier}}</th>{{range .Cells}}{{if .Empty}}<td class="none">-</td>{{else}}<td style="{{.Style}}" title="{{.Title}}"><a href="{{.Href}}">{{.Share}}</a></td>{{end}}{{end}}</tr>
{{end}}</table>
</div>
<div>
<h3>Last runs</h3>
{{if .Runs}}<table>
<tr><th>Run</th><th>Status</th><th>Started (UTC)</th><th>Took</th><th>Actions</th><th>Failed</th><th>Candles written</th></tr>
{{range .Runs}}<tr><td>#{{.ID}}</td><td>{{.Status}}</td><td>{{.Started}}</td><td class="n">{{.Duration}}</td><td class="n">{{.Actions}}</td><td class="n">{{.Failed}}</td><td class="n">{{.Rows}}</td></tr>
{{end}}</table>{{else}}<p class="meta">No run recorded yet.</p>{{end}}
</div>
</div>
<p class="legend"><i class="c"></i>covered from dumps<i class="a"></i>covered from Kraken's REST API<i class="w"></i>wanted, not covered<i class="o"></i>open gap<i class="u"></i>unfillable gap<i class="f"></i>failed gap · hover a stretch for its span</p>
{{range .Groups}}<section class="group" id="{{.ID}}">
<h2>{{.Tier}} · {{.Interval}} <span class="pct" style="{{.Style}}">{{.Share}}</span></h2>
<p class="meta">{{.Series}} series · newest candle {{.Newest}}{{if .Fresh}} · freshness: {{.Fresh}}{{end}} · gaps: {{.Gaps}}</p>
<div class="axis">{{range .Ticks}}<span{{if gt .Pos 90.0}} class="end"{{end}} style="left:{{printf "%.2f" .Pos}}%">{{.Label}}</span>{{end}}</div>
<div class="rows" style="contain-intrinsic-size: auto {{.Height}}px">
{{.Rows}}<div class="grid">{{range .Ticks}}<i style="left:{{printf "%.2f" .Pos}}%"></i>{{end}}</div>
</div>
</section>
{{end}}</body>
</html>
`))
