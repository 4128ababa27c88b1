package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/feefifofunds/candlekeep/planner/planfile"
)

// runShow prints a saved plan. It reads only the file: no configuration,
// no state, no lock.
func runShow(_ context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "show", "show [-json | -markdown] [-no-color] FILE")
	asJSON := fs.Bool("json", false, jsonUsage)
	asMarkdown := fs.Bool("markdown", false, "print the plan as a pull-request comment, as plan -format=markdown does")
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
	switch {
	case *asJSON && *asMarkdown:
		return fmt.Errorf("show takes -json or -markdown, not both")
	case *asJSON:
		// The version that made the plan, not this one.
		return planfile.Write(env.stdout, plan, meta)
	case *asMarkdown:
		// The comment renders the very file that will be applied; the
		// directory is -chdir's, as the workflow runs it.
		return renderMarkdownIn(env.stdout, plan, markdownOptions{planFile: filepath.Base(fs.Arg(0)), dir: dirLabel(env)})
	}
	st := style{enabled: colorFor(env.stdout, *noColor, env.environ)}
	renderPlan(env.stdout, plan, st)
	renderPartialWarning(env.stdout, plan, st)
	renderWarnings(env.stdout, plan, st)
	return nil
}
