package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/state"
)

func runApply(ctx context.Context, env *cliEnv, args []string) (err error) {
	fs := newFlagSet(env, "apply", "apply [-auto-approve] [-parallelism=N] [-lock-timeout=D] [-now=TIME] [-var 'k=v'] [-var-file=FILE] [-no-color]")
	var cf configFlags
	var clock clockFlag
	cf.register(fs)
	clock.register(fs)
	autoApprove := fs.Bool("auto-approve", false, "apply without asking for confirmation")
	parallelism := fs.Int("parallelism", executor.DefaultParallelism, "how many actions run at once")
	lockTimeout := fs.Duration("lock-timeout", 0, "how long to wait for the state lock (e.g. 30s)")
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("apply takes no arguments, got %q", fs.Args())
	}
	if *parallelism < 1 {
		return fmt.Errorf("-parallelism must be at least 1, got %d", *parallelism)
	}
	now, err := clock.now()
	if err != nil {
		return err
	}
	cfg, err := loadConfig(env, &cf)
	if err != nil {
		return err
	}
	if !*autoApprove && !isTerminal(env.stdin) {
		return errors.New("apply needs approval, and there is no terminal to ask on: run 'candlekeep apply -auto-approve' to apply without asking")
	}
	out := style{enabled: colorFor(env.stdout, cf.noColor, env.environ)}

	st, err := openState(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeWith(&err, st)
	lock, err := st.Lock(ctx, "apply", *lockTimeout)
	if err != nil {
		return lockError(err)
	}
	defer func() {
		err = errors.Join(err, lock.Unlock(context.WithoutCancel(ctx)))
	}()

	plan, err := computePlan(ctx, cfg, st, now)
	if err != nil {
		return err
	}
	renderPlan(env.stdout, plan, out)
	if plan.HasChanges() && !*autoApprove {
		ok, err := confirm(env)
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintln(env.stdout, "\nApply cancelled.")
			return errReported
		}
	}

	sink, err := openSink(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeWith(&err, sink)
	if plan.HasChanges() {
		if err := sink.Setup(ctx); err != nil {
			return fmt.Errorf("set up sink: %w", err)
		}
		fmt.Fprintln(env.stdout)
	}

	view := newApplyView(env.stdout, out, isTerminal(env.stdout))
	stopNotice := noticeInterrupt(ctx, env)
	ex := &executor.Executor{
		Sink:    sink,
		State:   st,
		Open:    executor.OpenCSV,
		Emit:    view.handle,
		Options: executor.Options{Parallelism: *parallelism},
	}
	res, err := ex.Apply(ctx, plan)
	stopNotice()
	if err != nil {
		return err
	}
	if !plan.HasChanges() {
		return nil
	}
	view.summary(res, plan.Summary().Unfillable)
	if len(res.Failures) > 0 || res.Interrupted {
		return errReported
	}
	return nil
}

// confirm asks for "yes" on the terminal, as Terraform does.
func confirm(env *cliEnv) (bool, error) {
	fmt.Fprintln(env.stdout, "\nDo you want to perform these actions?")
	fmt.Fprintln(env.stdout, "  candlekeep will perform the actions described above.")
	fmt.Fprintln(env.stdout, "  Only 'yes' will be accepted to approve.")
	fmt.Fprint(env.stdout, "\n  Enter a value: ")
	line, err := bufio.NewReader(env.stdin).ReadString('\n')
	if err != nil && line == "" {
		return false, fmt.Errorf("read approval: %w", err)
	}
	return strings.TrimSpace(line) == "yes", nil
}

// noticeInterrupt tells the user, once, that a clean stop is under way.
func noticeInterrupt(ctx context.Context, env *cliEnv) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-ctx.Done():
			fmt.Fprintln(env.stderr, "\nInterrupt received: finishing the batches in flight and recording them in state.\nPress Ctrl-C again to exit at once (the next apply redoes the unrecorded work).")
		case <-done:
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// lockError explains a held lock and how to release a dead one.
func lockError(err error) error {
	var le *state.LockedError
	if !errors.As(err, &le) {
		return fmt.Errorf("lock state: %w", err)
	}
	return fmt.Errorf("%w\n\nAnother candlekeep is using this state. Wait for it (or pass -lock-timeout=5m).\nIf that process is gone, release the lock with:\n  candlekeep force-unlock %s", err, le.Holder.ID)
}
