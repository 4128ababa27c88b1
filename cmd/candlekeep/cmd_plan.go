package main

import (
	"context"
	"fmt"
	"path/filepath"
)

func runPlan(ctx context.Context, env *cliEnv, args []string) (err error) {
	fs := newFlagSet(env, "plan", "plan [-detailed-exitcode] [-refresh] [-target=KIND.NAME] [-exclude=KIND.NAME] [-format=text|markdown|json | -json] [-out=FILE] [-now=TIME] [-var 'k=v'] [-var-file=FILE] [-no-color]")
	var cf configFlags
	var clock clockFlag
	cf.register(fs)
	clock.register(fs)
	var sel selection
	sel.register(fs)
	detailed := fs.Bool("detailed-exitcode", false, "exit 0 when there are no changes, 2 when there are, 1 on error")
	refresh := fs.Bool("refresh", false, "read the sink first and show coverage it no longer holds (drift); the plan loads it again")
	var ff formatFlags
	ff.register(fs, "output format: text, markdown for a pull-request comment, or json (docs/json-format.md)")
	format := &ff.format
	out := fs.String("out", "", "save the plan to FILE, for 'candlekeep apply FILE' and 'candlekeep show FILE'")
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if err := ff.resolve(); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("plan takes no arguments, got %q", fs.Args())
	}
	if *format != "text" && *format != "markdown" && *format != "json" {
		return &exitCode{code: 1, err: fmt.Errorf("-format=%s: want text, markdown or json", *format)}
	}
	if *refresh {
		cf.connects = connectsStateAndSink // it reads the sink
	}
	now, err := clock.now()
	if err != nil {
		return err
	}
	sess, err := openSession(ctx, machineOutput(env, *format != "text"), &cf, now, false, sel)
	if err != nil {
		return err
	}
	defer closeWith(&err, sess)
	sess.Refresh = *refresh
	plan, err := sess.Plan(ctx)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		if err := writePlanJSON(env.stdout, plan); err != nil {
			return err
		}
	case "markdown":
		// A cut comment points at the saved plan, under its real name.
		planFile := defaultPlanFile
		if *out != "" {
			planFile = filepath.Base(*out)
		}
		if err := renderMarkdownIn(env.stdout, plan, markdownOptions{planFile: planFile, dir: dirLabel(env)}); err != nil {
			return err
		}
	default:
		st := style{enabled: colorFor(env.stdout, cf.noColor, env.environ)}
		renderSinkNotes(env.stdout, sess.Sink, st)
		renderPlan(env.stdout, plan, st)
		renderPartialWarning(env.stdout, plan, st)
		renderWarnings(env.stdout, plan, st)
	}
	if *out != "" {
		if err := savePlan(env, plan, *out, *format == "text"); err != nil {
			return err
		}
	}
	if *detailed && plan.HasChanges() {
		return &exitCode{code: 2}
	}
	return nil
}
