package main

import (
	"context"
	"fmt"

	"github.com/feefifofunds/candlekeep/planner/planfile"
)

// runShow prints a saved plan. It reads only the file: no configuration,
// no state, no lock.
func runShow(_ context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "show", "show [-json] [-no-color] FILE")
	asJSON := fs.Bool("json", false, "print the plan as JSON (docs/json-format.md)")
	noColor := fs.Bool("no-color", false, "never colour the output")
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("show takes one argument, a plan file saved with 'candlekeep plan -out=FILE'; got %q", fs.Args())
	}
	plan, meta, err := readSavedPlan(env, fs.Arg(0))
	if err != nil {
		return err
	}
	if *asJSON {
		// The version that made the plan, not this one.
		return planfile.Write(env.stdout, plan, meta)
	}
	st := style{enabled: colorFor(env.stdout, *noColor, env.environ)}
	renderPlan(env.stdout, plan, st)
	renderPartialWarning(env.stdout, plan, st)
	return nil
}
