package main

import (
	"context"
	"fmt"
)

func runPlan(ctx context.Context, env *cliEnv, args []string) (err error) {
	fs := newFlagSet(env, "plan", "plan [-detailed-exitcode] [-refresh] [-now=TIME] [-var 'k=v'] [-var-file=FILE] [-no-color]")
	var cf configFlags
	var clock clockFlag
	cf.register(fs)
	clock.register(fs)
	detailed := fs.Bool("detailed-exitcode", false, "exit 0 when there are no changes, 2 when there are, 1 on error")
	refresh := fs.Bool("refresh", false, "read the sink first and show coverage it no longer holds (drift); the plan loads it again")
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("plan takes no arguments, got %q", fs.Args())
	}
	now, err := clock.now()
	if err != nil {
		return err
	}
	sess, err := openSession(ctx, env, &cf, now)
	if err != nil {
		return err
	}
	defer closeWith(&err, sess)
	sess.refresh = *refresh
	plan, err := sess.plan(ctx)
	if err != nil {
		return err
	}
	renderPlan(env.stdout, plan, style{enabled: colorFor(env.stdout, cf.noColor, env.environ)})
	if *detailed && plan.HasChanges() {
		return &exitCode{code: 2}
	}
	return nil
}
