package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// decoder evaluates attribute expressions and collects every diagnostic,
// so one Load reports all mistakes at once.
type decoder struct {
	ctx   *hcl.EvalContext
	diags hcl.Diagnostics
	// secrets says how env() inside credentials is treated; nil
	// evaluates them like any attribute.
	secrets *secrets
}

// element is one value of a list attribute with the range it was written
// at, so a diagnostic can point at the offending element.
type element struct {
	Val   cty.Value
	Range hcl.Range
}

func (d *decoder) errorf(subject hcl.Range, summary, format string, args ...any) {
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  subject.Ptr(),
	})
}

// value evaluates an expression. ok is false when it failed (diagnosed) or
// is unknown, which happens only downstream of an already diagnosed
// mistake (such as a broken variable) and so is skipped silently.
func (d *decoder) value(expr hcl.Expression) (cty.Value, bool) {
	v, diags := expr.Value(d.ctx)
	for _, diag := range diags {
		d.explainUndeclared(diag)
		// HCL's diagnostic writer would print the values of the
		// variables in the expression ("with var.pw as ..."), and a
		// variable may hold a password or a DSN: show the source only.
		diag.EvalContext = nil
		diag.Expression = nil
	}
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() || !v.IsWhollyKnown() {
		return cty.NilVal, false
	}
	return v, true
}

// convertTo converts v to want, diagnosing a null or a mismatch at rng.
func (d *decoder) convertTo(v cty.Value, want cty.Type, rng hcl.Range, what string) (cty.Value, bool) {
	if v.IsNull() {
		d.errorf(rng, "Missing value", "%s must not be null.", what)
		return cty.NilVal, false
	}
	out, err := convert.Convert(v, want)
	if err != nil {
		d.errorf(rng, "Incorrect value type", "%s must be a %s: %s.", what, want.FriendlyName(), err)
		return cty.NilVal, false
	}
	return out, true
}

// str evaluates attribute name of attrs as a string; present is false when
// the attribute is absent, ok false when it is present but broken.
func (d *decoder) str(attrs hcl.Attributes, name string) (s string, attr *hcl.Attribute, ok bool) {
	attr = attrs[name]
	if attr == nil {
		return "", nil, false
	}
	v, ok := d.value(attr.Expr)
	if !ok {
		return "", attr, false
	}
	v, ok = d.convertTo(v, cty.String, attr.Expr.Range(), fmt.Sprintf("The %q argument", name))
	if !ok {
		return "", attr, false
	}
	return v.AsString(), attr, true
}

// list evaluates a list attribute element by element. A literal list keeps
// each element's own range; a computed one (concat(…), var.x) gives every
// element the range of the whole expression.
func (d *decoder) list(attr *hcl.Attribute) ([]element, bool) {
	if exprs, diags := hcl.ExprList(attr.Expr); !diags.HasErrors() {
		out := make([]element, 0, len(exprs))
		ok := true
		for _, e := range exprs {
			v, vok := d.value(e)
			if !vok {
				ok = false
				continue
			}
			out = append(out, element{Val: v, Range: e.Range()})
		}
		return out, ok
	}
	v, ok := d.value(attr.Expr)
	if !ok {
		return nil, false
	}
	rng := attr.Expr.Range()
	if v.IsNull() || !(v.Type().IsListType() || v.Type().IsTupleType() || v.Type().IsSetType()) {
		d.errorf(rng, "Incorrect value type", "The %q argument must be a list, such as [\"XBTUSD\", \"ETHUSD\"].", attr.Name)
		return nil, false
	}
	var out []element
	for it := v.ElementIterator(); it.Next(); {
		_, ev := it.Element()
		out = append(out, element{Val: ev, Range: rng})
	}
	return out, true
}

// strings evaluates a list attribute whose elements must be strings.
func (d *decoder) strings(attr *hcl.Attribute) ([]string, []hcl.Range, bool) {
	elems, ok := d.list(attr)
	var vals []string
	var ranges []hcl.Range
	for _, e := range elems {
		v, vok := d.convertTo(e.Val, cty.String, e.Range, fmt.Sprintf("Each element of %q", attr.Name))
		if !vok {
			ok = false
			continue
		}
		vals = append(vals, v.AsString())
		ranges = append(ranges, e.Range)
	}
	return vals, ranges, ok
}

// explainUndeclared rewrites HCL's generic "object does not have an
// attribute" for var.NAME into one that names the variable and suggests a
// declared one.
func (d *decoder) explainUndeclared(diag *hcl.Diagnostic) {
	tr, ok := diag.Expression.(*hclsyntax.ScopeTraversalExpr)
	if !ok || diag.Summary != "Unsupported attribute" || tr.Traversal.RootName() != "var" || len(tr.Traversal) < 2 {
		return
	}
	attr, ok := tr.Traversal[1].(hcl.TraverseAttr)
	if !ok || d.ctx == nil || d.ctx.Variables == nil {
		return
	}
	var declared []string
	for name := range d.ctx.Variables["var"].Type().AttributeTypes() {
		declared = append(declared, name)
	}
	diag.Summary = "Undeclared variable"
	diag.Detail = fmt.Sprintf("No variable %q is declared; declare it with a variable %q block.%s", attr.Name, attr.Name, didYouMean(suggest(attr.Name, declared)))
}
