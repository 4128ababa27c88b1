package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/feefifofunds/candlekeep/ohlc"
)

var (
	tierSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "pairs", Required: true},
	}}
	coverageSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "tiers"}, {Name: "pairs"}, {Name: "intervals", Required: true},
		{Name: "from"}, {Name: "to"}, {Name: "lookback"}, {Name: "lost_severity"},
		{Name: "derive_from"},
	}, Blocks: []hcl.BlockHeaderSchema{{Type: "freshness"}}}

	altname    = regexp.MustCompile(`^[A-Z0-9]+$`)
	notAltname = regexp.MustCompile(`[^A-Za-z0-9]`)
)

func (d *decoder) tiers(blocks []*hcl.Block) []Tier {
	var out []Tier
	for b := range d.uniquelyNamed(blocks, "tier") {
		content, diags := b.Body.Content(tierSchema)
		d.diags = append(d.diags, diags...)
		attr := content.Attributes["pairs"]
		if attr == nil {
			continue
		}
		pairs, ok := d.pairs(attr)
		if ok && len(pairs) == 0 {
			d.errorf(attr.Expr.Range(), "Empty tier", "Tier %q must list at least one pair.", b.Labels[0])
		}
		// A tier with bad pairs is still kept, so coverage blocks naming it
		// do not add an "unknown tier" error on top.
		out = append(out, Tier{Name: b.Labels[0], Pairs: pairs})
	}
	return out
}

// pairs evaluates a list of Kraken altnames, diagnosing each bad or
// repeated one at its own element.
func (d *decoder) pairs(attr *hcl.Attribute) ([]string, bool) {
	vals, ranges, ok := d.strings(attr)
	var out []string
	seen := map[string]bool{}
	for i, p := range vals {
		switch {
		case altname.MatchString(p):
			if seen[p] {
				d.errorf(ranges[i], "Duplicate pair", "Pair %q is listed more than once.", p)
				ok = false
				continue
			}
			seen[p] = true
			out = append(out, p)
		case altname.MatchString(strings.ToUpper(p)):
			d.errorf(ranges[i], "Invalid pair", "Pair %q is not a Kraken altname: altnames are upper case. Did you mean %q?", p, strings.ToUpper(p))
			ok = false
		default:
			hint := ""
			if fixed := strings.ToUpper(notAltname.ReplaceAllString(p, "")); altname.MatchString(fixed) {
				hint = didYouMean(fixed)
			}
			d.errorf(ranges[i], "Invalid pair",
				"Pair %q is not a Kraken altname: upper-case letters and digits only, such as XBTUSD.%s", p, hint)
			ok = false
		}
	}
	return out, ok
}

func (d *decoder) coverages(blocks []*hcl.Block, tiers []Tier) []Coverage {
	byName := map[string]Tier{}
	var tierNames []string
	for _, t := range tiers {
		byName[t.Name] = t
		tierNames = append(tierNames, t.Name)
	}
	var out []Coverage
	for b := range d.uniquelyNamed(blocks, "coverage") {
		if c, ok := d.coverage(b, byName, tierNames); ok {
			out = append(out, c)
		}
	}
	return out
}

func (d *decoder) coverage(b *hcl.Block, tiers map[string]Tier, tierNames []string) (Coverage, bool) {
	c := Coverage{Name: b.Labels[0], DeclRange: b.DefRange}
	before := len(d.diags)
	content, diags := b.Body.Content(coverageSchema)
	d.diags = append(d.diags, diags...)
	attrs := content.Attributes

	pairsKnown := true // false once a mistake makes the pair set unknowable
	var pairs []string
	if attr := attrs["tiers"]; attr != nil {
		names, ranges, ok := d.strings(attr)
		pairsKnown = pairsKnown && ok
		for i, name := range names {
			t, found := tiers[name]
			if !found {
				d.errorf(ranges[i], "Unknown tier", "No tier %q is declared.%s", name, didYouMean(suggest(name, tierNames)))
				pairsKnown = false
				continue
			}
			c.Tiers = append(c.Tiers, name)
			pairs = append(pairs, t.Pairs...)
		}
	}
	if attr := attrs["pairs"]; attr != nil {
		explicit, ok := d.pairs(attr)
		pairsKnown = pairsKnown && ok
		pairs = append(pairs, explicit...)
	}
	slices.Sort(pairs)
	c.Pairs = slices.Compact(pairs)
	if pairsKnown && len(c.Pairs) == 0 {
		d.errorf(b.DefRange, "No pairs", "Coverage %q names no pairs: give tiers, pairs or both.", c.Name)
	}

	if attr := attrs["intervals"]; attr != nil {
		c.Intervals = d.intervals(attr)
	}
	c.Window = d.window(b, attrs)
	c.Freshness = d.freshness(content.Blocks.OfType("freshness"))
	c.LostSeverity = d.lostSeverity(attrs)
	if attr := attrs["derive_from"]; attr != nil {
		c.DeriveFrom = d.deriveFrom(attr, c.Intervals)
	}
	return c, !d.diags[before:].HasErrors()
}

// Severity says whether an event fails the command (error) or is only
// reported (warn), as dbt's test severity does.
type Severity string

// Severities.
const (
	SeverityWarn  Severity = "warn"
	SeverityError Severity = "error"
)

// DefaultLostSeverity is lost_severity's default: candles lost for good
// are the one event a nightly run must not pass over in silence.
const DefaultLostSeverity = SeverityError

// lostSeverity decodes lost_severity: what candles becoming unfillable
// because a run came too late does to apply's and check's exit status.
func (d *decoder) lostSeverity(attrs hcl.Attributes) Severity {
	s, attr, ok := d.str(attrs, "lost_severity")
	if attr == nil || !ok {
		return ""
	}
	switch sev := Severity(s); sev {
	case SeverityWarn, SeverityError:
		return sev
	}
	d.errorf(attr.Expr.Range(), "Invalid lost_severity", "lost_severity is \"warn\" or \"error\", not %q.", s)
	return ""
}

// Lost is the block's lost_severity, or its default when not set.
func (c Coverage) Lost() Severity {
	if c.LostSeverity == "" {
		return DefaultLostSeverity
	}
	return c.LostSeverity
}

// intervals evaluates a list of minutes (60) or lengths ("1h"), sorted and
// deduplicated.
func (d *decoder) intervals(attr *hcl.Attribute) []ohlc.Interval {
	elems, ok := d.list(attr)
	if ok && len(elems) == 0 {
		d.errorf(attr.Expr.Range(), "No intervals", "List at least one interval, in minutes (60) or as a length (\"1h\", \"1d\").")
	}
	var out []ohlc.Interval
	for _, e := range elems {
		if iv, ok := d.interval(e); ok {
			out = append(out, iv)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// interval evaluates one list element as an interval, diagnosing it at
// its own range.
func (d *decoder) interval(e element) (ohlc.Interval, bool) {
	var text string
	switch {
	case e.Val.IsNull():
		d.errorf(e.Range, "Invalid interval", "An interval must not be null.")
		return 0, false
	case e.Val.Type() == cty.Number:
		text = e.Val.AsBigFloat().Text('f', -1)
	case e.Val.Type() == cty.String:
		text = e.Val.AsString()
	default:
		d.errorf(e.Range, "Invalid interval", "An interval is a number of minutes (60) or a length (\"1h\"), not a %s.", e.Val.Type().FriendlyName())
		return 0, false
	}
	iv, err := ohlc.ParseInterval(text)
	if err != nil {
		d.errorf(e.Range, "Invalid interval", "%s", capitalize(err.Error()))
		return 0, false
	}
	return iv, true
}

// window decodes from/to or lookback.
func (d *decoder) window(b *hcl.Block, attrs hcl.Attributes) Window {
	var w Window
	fromAttr, toAttr, lookbackAttr := attrs["from"], attrs["to"], attrs["lookback"]
	if lookbackAttr != nil {
		if fromAttr != nil || toAttr != nil {
			other := fromAttr
			if other == nil {
				other = toAttr
			}
			d.diags = append(d.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Conflicting window arguments",
				Detail:  "Give either from (with an optional to) or lookback, not both: a lookback window always ends now.",
				Subject: lookbackAttr.NameRange.Ptr(), Context: hcl.RangeOver(other.Range, lookbackAttr.Range).Ptr()})
			return w
		}
		s, attr, ok := d.str(attrs, "lookback")
		if !ok {
			return w
		}
		dur, err := ParseDuration(s)
		if err == nil && dur <= 0 {
			err = fmt.Errorf("lookback %q must be longer than zero", s)
		}
		if err != nil {
			d.errorf(attr.Expr.Range(), "Invalid lookback", "%s", capitalize(err.Error()))
			return w
		}
		w.Lookback, w.ToNow = int64(dur.Seconds()), true
		return w
	}
	if fromAttr == nil {
		d.errorf(b.DefRange, "Missing window", "Coverage %q needs from = \"2020-01-01\" (with an optional to) or lookback = \"30d\".", b.Labels[0])
		return w
	}
	fromOK, toOK := false, true
	if s, attr, ok := d.str(attrs, "from"); ok {
		t, err := ohlc.ParseTime(s)
		if err != nil {
			d.errorf(attr.Expr.Range(), "Invalid from", "%s", capitalize(err.Error()))
		} else {
			w.From, fromOK = t, true
		}
	}
	w.ToNow = true
	if toAttr != nil {
		toOK = false
		if s, attr, ok := d.str(attrs, "to"); ok {
			if s == "now" {
				toOK = true
			} else if t, err := ohlc.ParseTime(s); err != nil {
				d.errorf(attr.Expr.Range(), "Invalid to", "%s Use \"now\" for an open end.", capitalize(err.Error()))
			} else {
				w.To, w.ToNow, toOK = t, false, true
			}
		}
	}
	if fromOK && toOK && !w.ToNow && w.From >= w.To {
		d.diags = append(d.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Empty window",
			Detail:  fmt.Sprintf("from (%s) is not before to (%s).", ohlc.FormatTime(w.From), ohlc.FormatTime(w.To)),
			Subject: fromAttr.Range.Ptr(), Context: hcl.RangeOver(fromAttr.Range, toAttr.Range).Ptr()})
	}
	return w
}
