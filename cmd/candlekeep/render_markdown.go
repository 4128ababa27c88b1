package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/planner/planfile"
)

// defaultMarkdownLimit keeps a pull-request comment under GitHub's 65,536
// character limit, with room for a marker line the workflow adds.
const defaultMarkdownLimit = 60000

// defaultPlanFile is the saved plan the truncation notice points to when
// the caller names none: the name the example workflow uses.
const defaultPlanFile = "plan.tfplan"

// noTier is the summary row of pairs listed directly in a coverage block.
const noTier = "(no tier)"

// renderMarkdown writes p as a pull-request comment of at most limit bytes
// (limit ≤ 0: defaultMarkdownLimit).
func renderMarkdown(w io.Writer, p *planner.Plan, limit int) error {
	return renderMarkdownFor(w, p, limit, defaultPlanFile)
}

// renderMarkdownFor is renderMarkdown whose truncation notice names the
// saved plan file reviewers can open with `candlekeep show`.
//
// The comment is a one-line verdict, a per tier × interval table outside
// any fold, and every action inside <details>. Bytes are counted, not
// runes: a byte count within the limit is within it in characters and in
// UTF-16 code units too. When the actions do not fit, the list is cut at
// an action boundary and says how many were left out; the verdict, the
// table and the closing </details> are always written.
func renderMarkdownFor(w io.Writer, p *planner.Plan, limit int, planFile string) error {
	if limit <= 0 {
		limit = defaultMarkdownLimit
	}
	var head strings.Builder
	head.WriteString(markdownVerdict(p) + "\n")
	if p.Partial() {
		fmt.Fprintf(&head, "\n**Partial plan:** %s.\n", partialWhat(p, escapeMarkdown))
	}
	writeMarkdownWarnings(&head, p.Warnings, planFile)
	if len(p.Actions) == 0 {
		if len(p.Warnings) == 0 {
			head.WriteString("\nStored candles match the configuration.\n")
		}
		if s := sinkLine(p); s != "" {
			fmt.Fprintf(&head, "\nSink: %s.\n", escapeMarkdown(s))
		}
		return writeAll(w, head.String())
	}
	head.WriteString("\n")
	writeTierTable(&head, p.Actions, limit-head.Len()-markdownReserve)
	fmt.Fprintf(&head, "\nPlanned as of %s UTC", ohlc.FormatTime(p.Now))
	if s := sinkLine(p); s != "" {
		fmt.Fprintf(&head, " for sink %s", escapeMarkdown(s))
	}
	head.WriteString(".\n\n")
	fmt.Fprintf(&head, "<details><summary>All %s %s</summary>\n\n", count(int64(len(p.Actions))), plural(len(p.Actions), "action", "actions"))
	head.WriteString("| Series | Kind | Span | Source or reason | To fill |\n|---|---|---|---|---|\n")

	const closing = "\n</details>\n"
	rows := make([]string, len(p.Actions))
	total := head.Len() + len(closing)
	for i, a := range p.Actions {
		rows[i] = actionRow(a)
		total += len(rows[i])
	}
	shown := len(rows)
	cut := ""
	if total > limit {
		// Take rows while they and the notice for the rest still fit.
		used := head.Len() + len(closing)
		shown = 0
		for shown < len(rows) && used+len(rows[shown])+len(cutNotice(len(rows)-shown-1, planFile)) <= limit {
			used += len(rows[shown])
			shown++
		}
		cut = cutNotice(len(rows)-shown, planFile)
	}
	var out strings.Builder
	out.Grow(limit)
	out.WriteString(head.String())
	for _, r := range rows[:shown] {
		out.WriteString(r)
	}
	out.WriteString(cut)
	out.WriteString(closing)
	return writeAll(w, out.String())
}

// markdownReserve is what the summary table leaves for the rest of the
// comment at the least: the fold, the action header and a cut notice.
const markdownReserve = 600

func writeAll(w io.Writer, s string) error {
	if _, err := io.WriteString(w, s); err != nil {
		return fmt.Errorf("write markdown plan: %w", err)
	}
	return nil
}

func cutNotice(more int, planFile string) string {
	return fmt.Sprintf("\n… %s more %s not shown: the full plan is in the attached plan file (`candlekeep show %s`).\n",
		count(int64(more)), plural(more, "action", "actions"), planFile)
}

// markdownVerdict is the first line: what applying the plan would do.
func markdownVerdict(p *planner.Plan) string {
	s := p.Summary()
	// What this change adds leads: new unfillable gaps before known ones,
	// warnings (series no longer configured, ...) counted at the end.
	gaps := unfillableCount(s)
	warned := warningsVerdict(p.Warnings)
	if !p.HasChanges() {
		var parts []string
		if s.Unfillable > 0 {
			parts = append(parts, gaps)
		}
		if warned != "" {
			parts = append(parts, warned)
		}
		if len(parts) == 0 {
			return "**candlekeep plan:** no changes."
		}
		return "**candlekeep plan:** no changes; " + strings.Join(parts, ", ") + "."
	}
	var parts []string
	if s.Loads > 0 {
		parts = append(parts, fmt.Sprintf("%s CSV %s (%s candles)", count(int64(s.Loads)), plural(s.Loads, "load", "loads"), count(s.LoadCandles)))
	}
	if s.Backfills > 0 {
		parts = append(parts, fmt.Sprintf("%s API %s (%s candles, %s %s)", count(int64(s.Backfills)), plural(s.Backfills, "backfill", "backfills"),
			count(s.BackfillCandles), count(int64(s.Requests)), plural(s.Requests, "request", "requests")))
	}
	if s.Unfillable > 0 {
		parts = append(parts, gaps)
	}
	if warned != "" {
		parts = append(parts, warned)
	}
	return "**candlekeep plan:** " + strings.Join(parts, ", ") + "."
}

// tierRow is one line of the summary table.
type tierRow struct {
	tier                     string
	interval                 ohlc.Interval
	loads, backfills, unfill int
	unfillKnown              int   // of unfill, the gaps state already recorded
	candles                  int64 // estimated candles written by loads and backfills
}

// tierRows are the plan's per-tier totals, the same as in the JSON plan
// (planfile.TierTotals): an action asked for through several tiers counts
// in each, so every tier's row tells what happens to that tier; pairs
// listed directly go under noTier, last. The verdict above the table
// carries the plan's true totals.
func tierRows(actions []planner.Action) []tierRow {
	totals := planfile.TierTotals(&planner.Plan{Actions: actions})
	rows := make([]tierRow, len(totals))
	for i, t := range totals {
		tier := t.Tier
		if tier == "" {
			tier = noTier
		}
		rows[i] = tierRow{tier: tier, interval: ohlc.Interval(t.Interval), loads: t.Loads, backfills: t.Backfills, unfill: t.Unfillable, unfillKnown: t.UnfillableKnown, candles: t.Candles}
	}
	return rows
}

// writeTierTable writes the summary table in at most budget bytes: only a
// configuration with thousands of tiers could need more, and then the
// table says how many rows it left out rather than break the cap.
func writeTierTable(b *strings.Builder, actions []planner.Action, budget int) {
	const header = "| Tier | Interval | CSV loads | API backfills | Unfillable gaps | Candles (est.) |\n|---|---|--:|--:|--:|--:|\n"
	rows := tierRows(actions)
	known := anyKnown(actions)
	used := len(header)
	b.WriteString(header)
	for i, r := range rows {
		line := fmt.Sprintf("| %s | %s | %s | %s | %s | %s |\n", escapeMarkdown(r.tier), r.interval.Label(),
			count(int64(r.loads)), count(int64(r.backfills)), unfillableCell(r.unfill, r.unfillKnown, known), count(r.candles))
		if used+len(line) > budget-80 {
			fmt.Fprintf(b, "\n… %s more tier rows not shown.\n", count(int64(len(rows)-i)))
			return
		}
		used += len(line)
		b.WriteString(line)
	}
}

// actionRow is one action as a row of the details table.
func actionRow(a planner.Action) string {
	var source, fill string
	switch a.Kind {
	case planner.LoadCSV:
		if a.CSV != nil {
			source = escapeMarkdown(a.CSV.Dump+" › "+a.CSV.Member) + ", "
		}
		source += "~" + count(a.Estimate) + " candles"
	case planner.BackfillAPI:
		source = fmt.Sprintf("Kraken REST API, up to %s candles, %d %s", count(a.Estimate), a.Requests, plural(a.Requests, "request", "requests"))
	case planner.Unfillable:
		source = describeReason(a.Reason) + knownMark(a)
		fill = escapeMarkdown(a.Suggestion)
	}
	return fmt.Sprintf("| %s | `%s` | `%s` | %s | %s |\n", escapeMarkdown(a.Series.String()), a.Kind, a.Span, source, fill)
}

// markdownEscaper neutralises what user-provided names could do in a
// comment: split a table cell (|), start emphasis, code or a link, mention
// a user or an issue (@, #), or close the fold with raw HTML.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "`", "\\`", "*", `\*`, "_", `\_`, "~", `\~`,
	"[", `\[`, "]", `\]`, "#", `\#`, "@", `\@`,
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
	"\r\n", " ", "\n", " ", "\r", " ",
)

// escapeMarkdown makes s safe as plain text in a markdown table cell.
func escapeMarkdown(s string) string { return markdownEscaper.Replace(s) }
