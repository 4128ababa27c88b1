package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
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
func renderMarkdownFor(w io.Writer, p *planner.Plan, limit int, planFile string) error {
	return renderMarkdownIn(w, p, markdownOptions{limit: limit, planFile: planFile})
}

// markdownOptions are what the comment says besides the plan.
type markdownOptions struct {
	limit    int    // ≤ 0: defaultMarkdownLimit
	planFile string // the saved plan a cut comment points to
	dir      string // the configuration directory, as the reader knows it; "" leaves it out
}

// renderMarkdownIn writes the comment: a one-line verdict, one line of
// context (directory, clock, sink, state serial), warnings, a per tier ×
// interval table outside any fold, then one fold per kind of action (see
// render_markdown_sections.go). Bytes are counted, not runes: a byte
// count within the limit is within it in characters and in UTF-16 code
// units too. What does not fit is cut at a row boundary and counted; the
// verdict, the table and every fold's closing tag are always written.
func renderMarkdownIn(w io.Writer, p *planner.Plan, o markdownOptions) error {
	if o.limit <= 0 {
		o.limit = defaultMarkdownLimit
	}
	if o.planFile == "" {
		o.planFile = defaultPlanFile
	}
	var head strings.Builder
	head.WriteString(markdownVerdict(p) + "\n")
	head.WriteString("\n" + markdownContext(p, o.dir) + "\n")
	if p.Partial() {
		fmt.Fprintf(&head, "\n**Partial plan:** %s.\n", partialWhat(p, escapeMarkdown))
	}
	writeMarkdownWarnings(&head, p.Warnings, o.planFile)
	list := p.Listing() // gaps shown among the actions
	if len(list) == 0 {
		if len(p.Warnings) == 0 {
			head.WriteString("\nStored candles match the configuration.\n")
		}
		return writeAll(w, head.String())
	}
	head.WriteString("\n")
	writeTierTable(&head, list, o.limit-head.Len()-markdownReserve)
	var out strings.Builder
	out.Grow(o.limit)
	out.WriteString(head.String())
	sections := markdownSections(list)
	if d, ok := deferredMarkdownSection(p.Deferred); ok {
		sections = append(sections, d)
	}
	writeSections(&out, sections, o.limit-head.Len(), o.planFile)
	return writeAll(w, out.String())
}

// markdownContext says what the plan is for, on one line: the
// configuration directory, the clock, the sink and state's serial.
func markdownContext(p *planner.Plan, dir string) string {
	var parts []string
	if dir != "" {
		parts = append(parts, "Directory `"+strings.ReplaceAll(dir, "`", "'")+"`")
	}
	parts = append(parts, "planned as of "+ohlc.FormatTime(p.Now)+" UTC")
	if s := sinkLine(p); s != "" {
		parts = append(parts, "sink "+escapeMarkdown(s))
	}
	parts = append(parts, fmt.Sprintf("state serial %d", p.Serial))
	line := strings.Join(parts, " · ")
	return strings.ToUpper(line[:1]) + line[1:] + "."
}

// markdownReserve is what the summary table leaves for the rest of the
// comment at the least: the folds and their cut notices.
const markdownReserve = 1500

func writeAll(w io.Writer, s string) error {
	if _, err := io.WriteString(w, s); err != nil {
		return fmt.Errorf("write markdown plan: %w", err)
	}
	return nil
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
	if s.Derives > 0 {
		parts = append(parts, fmt.Sprintf("%s %s (%s candles)", count(int64(s.Derives)), plural(s.Derives, "derive", "derives"), count(s.DeriveCandles)))
	}
	parts = append(parts, rebuildVerdict(s)...)
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
	derives                  int
	unfillKnown              int   // of unfill, the gaps state already recorded
	candles                  int64 // estimated candles written by loads, backfills and derives
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
		rows[i] = tierRow{tier: tier, interval: ohlc.Interval(t.Interval), loads: t.Loads, backfills: t.Backfills, derives: t.Derives, unfill: t.Unfillable, unfillKnown: t.UnfillableKnown, candles: t.Candles}
	}
	return rows
}

// writeTierTable writes the summary table in at most budget bytes: only a
// configuration with thousands of tiers could need more, and then the
// table says how many rows it left out rather than break the cap. The
// derives column appears only in a plan that derives, as most do not.
func writeTierTable(b *strings.Builder, actions []planner.Action, budget int) {
	rows := tierRows(actions)
	derives := slices.ContainsFunc(rows, func(r tierRow) bool { return r.derives > 0 })
	header := "| Tier | Interval | `+` CSV loads | `~` API backfills | `!` Unfillable gaps | Candles (est.) |\n|---|---|--:|--:|--:|--:|\n"
	if derives {
		header = "| Tier | Interval | `+` CSV loads | `~` API backfills | `=` Derives | `!` Unfillable gaps | Candles (est.) |\n|---|---|--:|--:|--:|--:|--:|\n"
	}
	known := anyKnown(actions)
	used := len(header)
	b.WriteString(header)
	for i, r := range rows {
		derived := ""
		if derives {
			derived = " " + count(int64(r.derives)) + " |"
		}
		line := fmt.Sprintf("| %s | %s | %s | %s |%s %s | %s |\n", escapeMarkdown(r.tier), r.interval.Label(),
			count(int64(r.loads)), count(int64(r.backfills)), derived, unfillableCell(r.unfill, r.unfillKnown, known), count(r.candles))
		if used+len(line) > budget-80 {
			fmt.Fprintf(b, "\n… %s more tier rows not shown.\n", count(int64(len(rows)-i)))
			return
		}
		used += len(line)
		b.WriteString(line)
	}
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

// dirLabel names the configuration directory for a reader: -chdir as
// given, or the working directory's own name when there was none.
func dirLabel(env *cliEnv) string {
	if env.dir != "." {
		return filepath.ToSlash(env.dir)
	}
	if wd, err := os.Getwd(); err == nil {
		return filepath.Base(wd)
	}
	return ""
}
