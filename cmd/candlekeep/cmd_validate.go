package main

import (
	"context"
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/feefifofunds/candlekeep/config"
)

func runValidate(_ context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "validate", "validate [-json] [-var 'k=v'] [-var-file=FILE] [-no-color]")
	cf := configFlags{connects: connectsNothing}
	cf.register(fs)
	asJSON := fs.Bool("json", false, jsonUsage)
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("validate takes no arguments, got %q", fs.Args())
	}
	if !*asJSON {
		if _, err := loadConfig(env, &cf); err != nil {
			return err
		}
		fmt.Fprintln(env.stdout, style{enabled: colorFor(env.stdout, cf.noColor, env.environ)}.green("Success!")+" The configuration is valid.")
		return nil
	}
	_, diags := config.Load(env.dir, config.LoadOptions{Vars: cf.vars, VarFiles: resolveVarFiles(env, cf.varFiles), Environ: env.environ, DeferSecrets: true})
	doc := validateJSON(diags)
	if err := writeJSON(env.stdout, doc); err != nil {
		return err
	}
	if diags.HasErrors() {
		return errReported
	}
	return nil
}

// validateDoc follows the shape of `terraform validate -json`.
type validateDoc struct {
	FormatVersion string           `json:"format_version"`
	Valid         bool             `json:"valid"`
	ErrorCount    int              `json:"error_count"`
	WarningCount  int              `json:"warning_count"`
	Diagnostics   []diagnosticJSON `json:"diagnostics"`
}

type diagnosticJSON struct {
	Severity string     `json:"severity"`
	Summary  string     `json:"summary"`
	Detail   string     `json:"detail,omitempty"`
	Range    *rangeJSON `json:"range,omitempty"`
}

type rangeJSON struct {
	Filename string  `json:"filename"`
	Start    posJSON `json:"start"`
	End      posJSON `json:"end"`
}

type posJSON struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

func validateJSON(diags hcl.Diagnostics) validateDoc {
	doc := validateDoc{FormatVersion: "1.0", Diagnostics: []diagnosticJSON{}}
	for _, d := range diags {
		dj := diagnosticJSON{Severity: "warning", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagError {
			dj.Severity = "error"
			doc.ErrorCount++
		} else {
			doc.WarningCount++
		}
		if r := d.Subject; r != nil {
			dj.Range = &rangeJSON{
				Filename: r.Filename,
				Start:    posJSON{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
				End:      posJSON{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte},
			}
		}
		doc.Diagnostics = append(doc.Diagnostics, dj)
	}
	doc.Valid = doc.ErrorCount == 0
	return doc
}
