package config

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Credentials (the state's dsn, the sink's conf) are read with env() and
// are needed only by the commands that connect. validate, like
// Terraform's, must work without them, and plan without the sink's: with
// LoadOptions.DeferSecrets an env() naming an unset variable there leaves
// the attribute unresolved instead of failing the load.

// secrets is how one Load treats env() inside credentials.
type secrets struct {
	environ  map[string]string
	deferred bool
}

// UnsetEnv is an env() call, in a credential, of a variable that is not
// set: its name and where it is written. Never a value.
type UnsetEnv struct {
	Name  string
	Range hcl.Range
}

// unsetPlaceholder stands for an unset variable's value while a conf is
// checked for its shape; questdbConf skips the checks of a value holding
// it. It is not a secret and never leaves the config package.
const unsetPlaceholder = "candlekeep-unset-env"

// Who needs each credential, for the diagnostics.
const (
	stateUsers = "Every command that opens state needs it; validate does not"
	sinkUsers  = "The commands that open the sink (apply, init, refresh, plan -refresh) need it; validate and plan do not"
)

// Require returns an error for each unset environment variable the dsn
// reads (see LoadOptions.DeferSecrets), for the commands that open state.
func (s State) Require() hcl.Diagnostics {
	return unsetDiagnostics("The state's dsn", stateUsers, s.Unresolved)
}

// Require returns an error for each unset environment variable the conf
// reads (see LoadOptions.DeferSecrets), for the commands that open the
// sink.
func (s Sink) Require() hcl.Diagnostics {
	return unsetDiagnostics("The sink's conf", sinkUsers, s.Unresolved)
}

func unsetDiagnostics(what, who string, unset []UnsetEnv) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, u := range unset {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Environment variable not set",
			Detail: fmt.Sprintf("%s reads env(%q), and environment variable %q is not set. %s. Set it, or give a default: env(%q, \"…\").",
				what, u.Name, u.Name, who, u.Name),
			Subject: u.Range.Ptr(),
		})
	}
	return diags
}

// secretStr evaluates a credential attribute as a string. When it reads
// unset environment variables, unset names them (sorted, one each) and s
// is only what a check of the string's shape may see, each unset value
// replaced by unsetPlaceholder; unless deferred, each is also an error.
func (d *decoder) secretStr(attrs hcl.Attributes, name, what, who string) (s string, attr *hcl.Attribute, ok bool, unset []UnsetEnv) {
	attr = attrs[name]
	if attr == nil || d.secrets == nil {
		s, attr, ok = d.str(attrs, name)
		return s, attr, ok, nil
	}
	// First see whether it reads unset variables at all, with env()
	// answering an unknown value for them.
	var names []string
	ctx := d.withEnv(cty.UnknownVal(cty.String), &names)
	v, diags := attr.Expr.Value(ctx)
	if diags.HasErrors() {
		// A mistake elsewhere in the expression: diagnosed as value
		// does, without calling the unset variables one.
		strict := d.ctx
		d.ctx = ctx
		d.value(attr.Expr)
		d.ctx = strict
		return "", attr, false, nil
	}
	if v.IsWhollyKnown() {
		s, attr, ok = d.str(attrs, name)
		return s, attr, ok, nil
	}
	slices.Sort(names)
	for _, n := range slices.Compact(names) {
		unset = append(unset, UnsetEnv{Name: n, Range: envCallRange(attr.Expr, n, d.ctx)})
	}
	if !d.secrets.deferred {
		d.diags = append(d.diags, unsetDiagnostics(what, who, unset)...)
	}
	v, diags = attr.Expr.Value(d.withEnv(cty.StringVal(unsetPlaceholder), &names))
	if !diags.HasErrors() && v.IsWhollyKnown() && v.Type() == cty.String {
		return v.AsString(), attr, true, unset
	}
	// Unknown beyond the variables (a conditional on one): no shape to
	// check, which is no error.
	return "", attr, false, unset
}

// withEnv is the evaluation context with env() answering value for
// an unset variable without a default, and recording its name in *names.
func (d *decoder) withEnv(value cty.Value, names *[]string) *hcl.EvalContext {
	environ := d.secrets.environ
	fns := maps.Clone(d.ctx.Functions)
	fns["env"] = envFuncUnset(environ, func(name string) (cty.Value, error) {
		*names = append(*names, name)
		return value, nil
	})
	return &hcl.EvalContext{Variables: d.ctx.Variables, Functions: fns}
}

// envCallRange is the range of the env() call in expr that names name, so
// the diagnostic points at it; the whole expression when the name is
// computed.
func envCallRange(expr hcl.Expression, name string, ctx *hcl.EvalContext) hcl.Range {
	rng := expr.Range()
	found := false
	if se, ok := expr.(hclsyntax.Expression); ok {
		_ = hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
			call, ok := n.(*hclsyntax.FunctionCallExpr)
			if found || !ok || call.Name != "env" || len(call.Args) == 0 {
				return nil
			}
			if v, diags := call.Args[0].Value(ctx); !diags.HasErrors() && v.IsWhollyKnown() && v.Type() == cty.String && v.AsString() == name {
				rng, found = call.Range(), true
			}
			return nil
		})
	}
	return rng
}
