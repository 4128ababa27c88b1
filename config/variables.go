package config

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// EnvVarPrefix prefixes the environment variables that set variables:
// CANDLEKEEP_VAR_name.
const EnvVarPrefix = "CANDLEKEEP_VAR_"

var variableSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "default"}, {Name: "description"}, {Name: "type"},
}}

// variable is one declared variable block.
type variable struct {
	Name       string
	Type       cty.Type // cty.DynamicPseudoType when no type is declared
	Default    cty.Value
	HasDefault bool
	DeclRange  hcl.Range
}

// literal reports whether values from -var and the environment are taken
// as written rather than parsed as HCL: strings and untyped variables, so
// that -var from=2020-01-01 needs no quoting.
func (v *variable) literal() bool {
	return v.Type == cty.DynamicPseudoType || v.Type == cty.String
}

// declareVariables decodes the variable blocks; d.ctx has no variables yet.
func (d *decoder) declareVariables(blocks []*hcl.Block) map[string]*variable {
	decls := map[string]*variable{}
	for _, b := range blocks {
		name := b.Labels[0]
		if !d.identifier(b, "variable") {
			continue
		}
		if prev := decls[name]; prev != nil {
			d.duplicate(b, "variable", prev.DeclRange)
			continue
		}
		content, diags := b.Body.Content(variableSchema)
		d.diags = append(d.diags, diags...)
		decl := &variable{Name: name, Type: cty.DynamicPseudoType, DeclRange: b.DefRange}
		decls[name] = decl
		if attr := content.Attributes["type"]; attr != nil {
			ty, diags := typeexpr.TypeConstraint(attr.Expr)
			d.diags = append(d.diags, diags...)
			if !diags.HasErrors() {
				decl.Type = ty
			}
		}
		d.str(content.Attributes, "description")
		if attr := content.Attributes["default"]; attr != nil {
			v, ok := d.value(attr.Expr)
			if !ok {
				continue
			}
			if v, ok = d.convertVar(decl, v, attr.Expr.Range(), "default"); ok {
				decl.Default, decl.HasDefault = v, true
			}
		}
	}
	return decls
}

func (d *decoder) convertVar(decl *variable, v cty.Value, rng hcl.Range, source string) (cty.Value, bool) {
	out, err := convert.Convert(v, decl.Type)
	if err != nil {
		d.errorf(rng, "Invalid value for variable",
			"The %s for variable %q must be %s: %s.", source, decl.Name, typeexpr.TypeString(decl.Type), err)
		return cty.NilVal, false
	}
	return out, true
}

// assignVariables applies, in rising precedence: defaults, CANDLEKEEP_VAR_
// environment variables, -var-file files in order, -var flags in order.
// A variable that ends broken is unknown, so its uses stay quiet.
func (l *loader) assignVariables(decls map[string]*variable, opts LoadOptions) map[string]cty.Value {
	d := l.dec
	vals := map[string]cty.Value{}
	for name, decl := range decls {
		if decl.HasDefault {
			vals[name] = decl.Default
		}
	}
	for name, decl := range decls {
		if raw, ok := l.environ[EnvVarPrefix+name]; ok {
			vals[name] = d.rawVar(decl, raw, "environment variable "+EnvVarPrefix+name)
		}
	}
	for _, path := range opts.VarFiles {
		l.varFile(path, decls, vals)
	}
	for _, setting := range opts.Vars {
		name, raw, ok := strings.Cut(setting, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			d.diags = append(d.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid -var option",
				Detail: fmt.Sprintf("The -var option %q is not NAME=VALUE, such as -var from=2020-01-01.", setting)})
			continue
		}
		decl := decls[name]
		if decl == nil {
			d.diags = append(d.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Value for undeclared variable",
				Detail: fmt.Sprintf("The -var option sets %q, but no variable %q is declared; declare it with a variable %q block.%s",
					name, name, name, didYouMean(suggest(name, sortedKeys(decls))))})
			continue
		}
		vals[name] = d.rawVar(decl, raw, "-var option")
	}
	for _, name := range sortedKeys(decls) {
		if _, ok := vals[name]; !ok {
			d.errorf(decls[name].DeclRange, "No value for required variable",
				"Variable %q has no default. Set it with -var %s=VALUE, in a -var-file, or with the environment variable %s%s.",
				name, name, EnvVarPrefix, name)
			vals[name] = cty.DynamicVal
		}
	}
	return vals
}

// rawVar turns a -var or environment value into a variable value.
func (d *decoder) rawVar(decl *variable, raw, source string) cty.Value {
	if decl.literal() {
		return cty.StringVal(raw)
	}
	fail := func(detail string) cty.Value {
		d.diags = append(d.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid value for variable",
			Detail: fmt.Sprintf("The %s sets variable %q to %q, which is not a valid %s: %s Values for variables of type %s are written in HCL syntax, such as 30 or [\"XBTUSD\"].",
				source, decl.Name, raw, typeexpr.TypeString(decl.Type), capitalize(detail), typeexpr.TypeString(decl.Type))})
		return cty.DynamicVal
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw), fmt.Sprintf("<value for var.%s>", decl.Name), hcl.InitialPos)
	if diags.HasErrors() {
		return fail(diags[0].Detail)
	}
	v, diags := expr.Value(d.ctx)
	if diags.HasErrors() {
		return fail(diags[0].Detail)
	}
	out, err := convert.Convert(v, decl.Type)
	if err != nil {
		return fail(err.Error())
	}
	return out
}

// varFile reads one -var-file: an HCL file of name = value attributes.
func (l *loader) varFile(path string, decls map[string]*variable, vals map[string]cty.Value) {
	d := l.dec
	src, err := os.ReadFile(path)
	if err != nil {
		d.diags = append(d.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read variables file",
			Detail: capitalize(fmt.Sprintf("read %s: %s", path, err))})
		return
	}
	f, diags := l.parser.ParseHCL(src, path)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return
	}
	attrs, diags := f.Body.JustAttributes()
	d.diags = append(d.diags, diags...)
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		attr := attrs[name]
		decl := decls[name]
		if decl == nil {
			d.errorf(attr.NameRange, "Value for undeclared variable",
				"This file sets %q, but no variable %q is declared; declare it with a variable %q block.%s",
				name, name, name, didYouMean(suggest(name, sortedKeys(decls))))
			continue
		}
		v, ok := d.value(attr.Expr)
		if !ok {
			vals[name] = cty.DynamicVal
			continue
		}
		if v, ok = d.convertVar(decl, v, attr.Expr.Range(), "value"); !ok {
			v = cty.DynamicVal
		}
		vals[name] = v
	}
}

// renderVariables renders the final values: strings as they are, anything
// else in HCL syntax.
func renderVariables(vals map[string]cty.Value) map[string]string {
	out := make(map[string]string, len(vals))
	for name, v := range vals {
		if !v.IsWhollyKnown() {
			continue
		}
		if v.Type() == cty.String && !v.IsNull() {
			out[name] = v.AsString()
			continue
		}
		out[name] = string(hclwrite.TokensForValue(v).Bytes())
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
