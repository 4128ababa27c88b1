package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/feefifofunds/candlekeep/planner/planfile"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// The folds of the pull-request comment: one per kind of action, a row
// per series, the biggest first. Unfillable gaps are grouped by what
// would fill them, so the reason and the download are said once per group
// rather than on every row. Sections of a few rows are open; larger ones,
// and gaps state already knows, are folded.

// mdOpenRows is the most rows a section may have and still be open.
const mdOpenRows = 12

type mdRow struct {
	text    string
	actions int // actions the row stands for, to count what a cut leaves out
}

type mdBlock struct {
	intro  string // a paragraph above the table, or ""
	header string // the table's header and alignment lines
	rows   []mdRow
}

type mdSection struct {
	summary string // HTML inside <summary>
	open    bool
	blocks  []mdBlock
}

func (s mdSection) rows() int {
	n := 0
	for _, b := range s.blocks {
		n += len(b.rows)
	}
	return n
}

// markdownSections sorts a plan's actions into the comment's folds.
func markdownSections(actions []planner.Action) []mdSection {
	var loads, backfills, derives, fresh, known []planner.Action
	for _, a := range actions {
		switch {
		case a.Kind == planner.LoadCSV:
			loads = append(loads, a)
		case a.Kind == planner.BackfillAPI:
			backfills = append(backfills, a)
		case a.Kind == planner.Derive:
			derives = append(derives, a)
		case a.Kind == planner.Unfillable && a.Known:
			known = append(known, a)
		case a.Kind == planner.Unfillable:
			fresh = append(fresh, a)
		}
	}
	var out []mdSection
	if len(loads) > 0 {
		var candles int64
		for _, a := range loads {
			candles += a.Estimate
		}
		out = append(out, mdSection{
			summary: fmt.Sprintf("<b><code>+</code> %s CSV %s</b>, %s candles (est.), biggest first", count(int64(len(loads))), plural(len(loads), "load", "loads"), count(candles)),
			blocks: []mdBlock{{header: "| Series | Span | Candles | From dump |\n|---|---|--:|---|\n", rows: seriesRows(loads, func(as []planner.Action) (string, int64) {
				var spans, from []string
				var n int64
				for _, a := range as {
					spans = append(spans, compactSpan(a.Span))
					src := "?"
					if a.CSV != nil {
						src = escapeMarkdown(a.CSV.Dump + " › " + a.CSV.Member)
					}
					from = append(from, src)
					n += a.Estimate
				}
				return fmt.Sprintf("%s | %s | %s", strings.Join(spans, "<br>"), count(n), strings.Join(from, "<br>")), n
			})}},
		})
	}
	if len(backfills) > 0 {
		var candles int64
		for _, a := range backfills {
			candles += a.Estimate
		}
		out = append(out, mdSection{
			summary: fmt.Sprintf("<b><code>~</code> %s API %s</b>, up to %s candles from Kraken's REST API", count(int64(len(backfills))), plural(len(backfills), "backfill", "backfills"), count(candles)),
			blocks: []mdBlock{{header: "| Series | Span | Candles (up to) | Requests |\n|---|---|--:|--:|\n", rows: seriesRows(backfills, func(as []planner.Action) (string, int64) {
				var spans []string
				var n int64
				req := 0
				for _, a := range as {
					spans = append(spans, compactSpan(a.Span))
					n += a.Estimate
					req += a.Requests
				}
				return fmt.Sprintf("%s | %s | %d", strings.Join(spans, "<br>"), count(n), req), n
			})}},
		})
	}
	if len(derives) > 0 {
		out = append(out, deriveSection(derives))
	}
	if r, ok := rebuildMarkdownSection(actions); ok {
		out = append(out, r)
	}
	if len(fresh) > 0 {
		word := "unfillable"
		if len(known) > 0 {
			word = "new unfillable"
		}
		out = append(out, mdSection{
			summary: fmt.Sprintf("<b><code>!</code> %s %s %s</b>: reported, not changes; what would fill them", count(int64(len(fresh))), word, plural(len(fresh), "gap", "gaps")),
			blocks:  gapBlocks(fresh),
		})
	}
	if len(known) > 0 {
		out = append(out, mdSection{
			summary: fmt.Sprintf("<code>!</code> %s unfillable %s already known", count(int64(len(known))), plural(len(known), "gap", "gaps")),
			blocks:  gapBlocks(known),
		})
	}
	for i := range out {
		// Known gaps are old news: folded however few.
		out[i].open = out[i].rows() <= mdOpenRows && !(len(known) > 0 && i == len(out)-1)
	}
	return out
}

// seriesRows makes one row per series of actions (in plan order, so a
// series' actions are adjacent), the biggest first by the weight cell
// returns.
func seriesRows(actions []planner.Action, cells func([]planner.Action) (string, int64)) []mdRow {
	type weighted struct {
		mdRow
		series ohlc.Series
		weight int64
	}
	var rows []weighted
	for i := 0; i < len(actions); {
		j := i
		for j < len(actions) && actions[j].Series == actions[i].Series {
			j++
		}
		text, w := cells(actions[i:j])
		rows = append(rows, weighted{mdRow{"| " + escapeMarkdown(actions[i].Series.String()) + " | " + text + " |\n", j - i}, actions[i].Series, w})
		i = j
	}
	slices.SortStableFunc(rows, func(a, b weighted) int {
		if c := cmp.Compare(b.weight, a.weight); c != 0 {
			return c
		}
		return a.series.Compare(b.series)
	})
	out := make([]mdRow, len(rows))
	for i, r := range rows {
		out[i] = r.mdRow
	}
	return out
}

// gapBlocks groups unfillable gaps by reason and by the download that
// would fill them (the suggestion without the series' own file name), the
// largest group first; in each, one row per series, the longest first.
func gapBlocks(gaps []planner.Action) []mdBlock {
	type group struct {
		intro string
		gaps  []planner.Action
		secs  int64
	}
	byKey := make(map[string]*group)
	var order []*group
	for _, a := range gaps {
		intro := "**" + upperFirst(describeReason(a.Reason)) + ".**"
		if s := genericSuggestion(a); s != "" {
			intro += " To fill: " + s + "."
		}
		g := byKey[intro]
		if g == nil {
			g = &group{intro: intro}
			byKey[intro] = g
			order = append(order, g)
		}
		g.gaps = append(g.gaps, a)
		g.secs += a.Span.End - a.Span.Start
	}
	slices.SortStableFunc(order, func(a, b *group) int {
		if c := cmp.Compare(len(b.gaps), len(a.gaps)); c != 0 {
			return c
		}
		return cmp.Compare(b.secs, a.secs)
	})
	blocks := make([]mdBlock, len(order))
	for i, g := range order {
		blocks[i] = mdBlock{intro: g.intro, header: "| Series | Span | Length |\n|---|---|--:|\n", rows: seriesRows(g.gaps, func(as []planner.Action) (string, int64) {
			var spans []string
			var secs int64
			for _, a := range as {
				spans = append(spans, compactSpan(a.Span))
				secs += a.Span.End - a.Span.Start
			}
			return strings.Join(spans, "<br>") + " | " + missingLabel(secs), secs
		})}
	}
	return blocks
}

// genericSuggestion is a gap's suggestion said for its whole group: the
// series' own file name (ADAUSD_1440.csv) becomes "each series' file", so
// that every gap the same download fills shares one sentence.
func genericSuggestion(a planner.Action) string {
	sg := a.Suggestion
	if sg == (planner.Suggestion{}) {
		return ""
	}
	if sg.Member == fmt.Sprintf("%s_%d.csv", a.Series.Pair, int(a.Series.Interval)) {
		sg.Member = "each series' file"
	}
	return escapeMarkdown(planfile.SuggestionText(a.Series, sg))
}

// compactSpan is a span as a reader writes it: 2019-01-01 → 2021-04-01.
func compactSpan(sp ohlc.Span) string {
	return ohlc.FormatTime(sp.Start) + " → " + ohlc.FormatTime(sp.End)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// writeSections writes the folds in at most budget bytes. When they do
// not all fit, the room is shared out evenly (what a small fold does not
// need goes to the larger ones), so every kind of action shows its
// biggest rows; a fold cut short says how many actions it left out and
// where they are.
func writeSections(b *strings.Builder, secs []mdSection, budget int, planFile string) {
	rendered := make([]string, len(secs))
	for i, s := range secs {
		rendered[i] = renderSection(s, 1<<62, planFile)
	}
	for i, room := range shareOut(rendered, budget) {
		if len(rendered[i]) > room {
			rendered[i] = renderSection(secs[i], room, planFile)
		}
		b.WriteString(rendered[i])
	}
}

// shareOut divides budget among items by water-filling: items smaller
// than an even share get what they need, the rest share what is left.
func shareOut(items []string, budget int) []int {
	rooms := make([]int, len(items))
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(len(items[a]), len(items[b])) })
	left := budget
	for k, i := range order {
		rooms[i] = min(len(items[i]), left/(len(order)-k))
		left -= rooms[i]
	}
	return rooms
}

// renderSection writes one fold in at most room bytes (but never less
// than its tags and a notice), rows cut at a row boundary.
func renderSection(s mdSection, room int, planFile string) string {
	const closing = "\n</details>\n"
	maxNotice := len(cutNotice(1<<30, planFile))
	tag := "<details>"
	if s.open {
		tag = "<details open>"
	}
	var sb strings.Builder
	sb.WriteString("\n" + tag + "<summary>" + s.summary + "</summary>\n")
	left := 0 // actions not shown
	full := false
	for _, blk := range s.blocks {
		head := "\n"
		if blk.intro != "" {
			head += blk.intro + "\n\n"
		}
		head += blk.header
		for k, r := range blk.rows {
			if !full {
				extra := len(r.text)
				if k == 0 {
					extra += len(head)
				}
				if sb.Len()+extra+maxNotice+len(closing) <= room {
					if k == 0 {
						sb.WriteString(head)
					}
					sb.WriteString(r.text)
					continue
				}
				full = true
			}
			left += r.actions
		}
	}
	if left > 0 {
		sb.WriteString(cutNotice(left, planFile))
	}
	sb.WriteString(closing)
	return sb.String()
}

func cutNotice(more int, planFile string) string {
	return fmt.Sprintf("\n… %s more %s not shown: the full plan is in the attached plan file (`candlekeep show %s`).\n",
		count(int64(more)), plural(more, "action", "actions"), planFile)
}
