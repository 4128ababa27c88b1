package main

import (
	"context"
	"fmt"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/workspace"
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
	doc := workspace.ValidateDocument(diags)
	doc.CandlekeepVersion = candlekeepVersion()
	if err := writeJSON(env.stdout, doc); err != nil {
		return err
	}
	if diags.HasErrors() {
		return errReported
	}
	return nil
}
