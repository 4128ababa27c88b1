package config

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Default retention of gc.
const (
	DefaultGapRetention = 90 * 24 * time.Hour
	DefaultRunRetention = 180 * 24 * time.Hour
)

// DefaultRetention is the retention without gaps {} and runs {} blocks.
func DefaultRetention() Retention {
	return Retention{Gaps: DefaultGapRetention, Runs: DefaultRunRetention}
}

var (
	freshnessSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "warn_after"}, {Name: "error_after"},
	}}
	retentionSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "retention", Required: true},
	}}
)

// freshness decodes a coverage block's freshness {} blocks (at most one).
func (d *decoder) freshness(blocks []*hcl.Block) Freshness {
	var f Freshness
	b := d.onlyOne(blocks, "freshness")
	if b == nil {
		return f
	}
	content, diags := b.Body.Content(freshnessSchema)
	d.diags = append(d.diags, diags...)
	attrs := content.Attributes
	warn, warnAttr := d.positiveDuration(attrs, "warn_after")
	fail, failAttr := d.positiveDuration(attrs, "error_after")
	if warnAttr == nil && failAttr == nil && !diags.HasErrors() { // a misspelt name is diagnosed already
		d.errorf(b.DefRange, "Empty freshness block",
			"A freshness block needs warn_after, error_after or both, such as warn_after = \"2h\" and error_after = \"26h\".")
		return f
	}
	if warn > 0 && fail > 0 && fail < warn {
		d.diags = append(d.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "error_after before warn_after",
			Detail:  "error_after must not be shorter than warn_after: a series warns before it errors.",
			Subject: failAttr.Expr.Range().Ptr(), Context: hcl.RangeOver(warnAttr.Range, failAttr.Range).Ptr()})
		return f
	}
	return Freshness{WarnAfter: warn, ErrorAfter: fail}
}

// retention decodes the top-level gaps {} and runs {} blocks.
func (d *decoder) retention(gaps, runs []*hcl.Block) Retention {
	r := DefaultRetention()
	if v, ok := d.retentionBlock(gaps, "gaps"); ok {
		r.Gaps = v
	}
	if v, ok := d.retentionBlock(runs, "runs"); ok {
		r.Runs = v
	}
	return r
}

func (d *decoder) retentionBlock(blocks []*hcl.Block, what string) (time.Duration, bool) {
	b := d.onlyOne(blocks, what)
	if b == nil {
		return 0, false
	}
	content, diags := b.Body.Content(retentionSchema)
	d.diags = append(d.diags, diags...)
	v, attr := d.positiveDuration(content.Attributes, "retention")
	return v, attr != nil && v > 0
}

// positiveDuration decodes an optional duration attribute that must be
// longer than zero. It returns 0 when the attribute is absent or wrong
// (wrong ones are diagnosed), and the attribute when present.
func (d *decoder) positiveDuration(attrs hcl.Attributes, name string) (time.Duration, *hcl.Attribute) {
	s, attr, ok := d.str(attrs, name)
	if !ok {
		return 0, attr
	}
	dur, err := ParseDuration(s)
	if err == nil && dur <= 0 {
		err = fmt.Errorf("%s %q must be longer than zero", name, s)
	}
	if err != nil {
		d.errorf(attr.Expr.Range(), "Invalid "+name, "%s", capitalize(err.Error()))
		return 0, attr
	}
	return dur, attr
}
