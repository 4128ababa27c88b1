package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/metrics"
	"github.com/feefifofunds/candlekeep/workspace"
)

func runApply(ctx context.Context, env *cliEnv, args []string) (err error) {
	fs := newFlagSet(env, "apply", "apply [-auto-approve] [-parallelism=N] [-lock-timeout=D] [-metrics-dir=DIR] [-pushgateway=URL] [-target=KIND.NAME] [-exclude=KIND.NAME] [-json] [-log-format=text|json] [-now=TIME] [-var 'k=v'] [-var-file=FILE] [-no-color] [FILE]")
	cf := configFlags{connects: connectsStateAndSink}
	var clock clockFlag
	cf.register(fs)
	clock.register(fs)
	var sel selection
	sel.register(fs)
	autoApprove := fs.Bool("auto-approve", false, "apply without asking for confirmation")
	parallelism := fs.Int("parallelism", executor.DefaultParallelism, "how many actions run at once")
	lockTimeout := fs.Duration("lock-timeout", 0, "how long to wait for the state lock (e.g. 30s)")
	jsonOut := fs.Bool("json", false, "print events as JSON lines instead of the text view (needs -auto-approve or a plan FILE)")
	logFormat := fs.String("log-format", "text", "how the run is logged after the plan: text, or json (log/slog records, one per line)")
	gcAfter := fs.Bool("gc", true, "after a successful apply, delete resolved gap records and finished runs older than their retention (as 'candlekeep gc')")
	var mf metricsFlags
	mf.register(fs)
	started := time.Now()
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	saved, err := savedPlanArg(env, fs)
	if err != nil {
		return err
	}
	if *logFormat != "text" && *logFormat != "json" {
		return fmt.Errorf("-log-format=%s: want text or json", *logFormat)
	}
	if *parallelism < 1 {
		return fmt.Errorf("-parallelism must be at least 1, got %d", *parallelism)
	}
	now, err := clock.now()
	if err != nil {
		return err
	}
	if saved != nil {
		// The file is the approval; its clock, targets and excludes
		// are the plan's.
		now, *autoApprove = saved.Now, true
		if sel, err = savedSelection(saved); err != nil {
			return err
		}
	}
	if *jsonOut && !*autoApprove {
		return errJSONNeedsApproval
	}
	out := style{enabled: colorFor(env.stdout, cf.noColor, env.environ)}

	// Metrics are published last, once the lock is released, for every
	// outcome: a run that could not start is a failed run too.
	var m workspace.ApplyMetrics
	if mf.enabled() {
		m.Start(metrics.New("apply"))
		defer func() {
			m.Record()
			err = mf.publish(ctx, env, m.Run, now, started, m.Interrupted, err)
		}()
	}
	sess, err := openSession(ctx, env, &cf, now, true, sel)
	if err != nil {
		return err
	}
	m.Config = sess.Config
	defer closeWith(&err, sess)
	lock, err := takeLock(ctx, env, sess.State, "apply", *lockTimeout)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, lock.Unlock(context.WithoutCancel(ctx)))
	}()

	plan, err := sess.PlanOrSaved(ctx, saved)
	if err != nil {
		return savedPlanHint(err)
	}
	m.Plan = plan
	if !sess.Sink.Checked {
		return fmt.Errorf("apply writes to the sink, which could not be reached: %w", sess.Sink.Unchecked)
	}
	// Unattended (no terminal, approved up front), the journal gets the
	// plan in brief and one line per action that ends.
	brief := *autoApprove && !isTerminal(env.stdout)
	if !*jsonOut {
		renderSinkNotes(env.stdout, sess.Sink, out)
		if brief {
			renderPlanBrief(env.stdout, plan, out)
		} else {
			renderPlan(env.stdout, plan, out)
		}
		renderPartialWarning(env.stdout, plan, out)
		renderWarnings(env.stdout, plan, out)
	}
	if plan.HasChanges() && !*autoApprove {
		// Asked only now: a plan with nothing to apply needs no approval,
		// on a terminal or not, and records its unfillable gaps.
		if !isTerminal(env.stdin) {
			return errNoTerminal
		}
		ok, err := confirm(ctx, env)
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintln(env.stdout, "\nApply cancelled.")
			return errReported
		}
	}

	var view applyRenderer
	stopNotice := noticeInterrupt(ctx, env)
	res, err := sess.Apply(ctx, plan, workspace.ApplyOptions{Parallelism: *parallelism,
		Ready: func(r workspace.SinkReady) func(executor.Event) {
			renderClaimed(env.stdout, r.Claimed, r.Sink, out)
			if !r.Loads {
				return nil
			}
			view = newApplyRenderer(env.stdout, out, *jsonOut, *logFormat == "json")
			if v, ok := view.(*applyView); ok {
				v.brief = brief
			}
			return m.Wrap(view.handle)
		}})
	stopNotice()
	if err != nil {
		return err
	}
	m.Interrupted = res.Interrupted
	if err := m.ReadFreshness(context.WithoutCancel(ctx), sess.State, now); err != nil {
		return err
	}
	if *gcAfter && len(res.Failures) == 0 && !res.Interrupted {
		// Deferred so its line follows the summary, and still runs
		// before the lock is released.
		defer gcAfterApply(ctx, env, sess, now, *jsonOut, cf.noColor)
	}
	lost, lostFatal := workspace.Lost(sess.Config, plan)
	if *jsonOut {
		// Before the summary, which stays the last line.
		writeLostJSON(env.stdout, lost)
	}
	unfillable := plan.Summary().Unfillable
	switch {
	case view != nil:
		view.summary(res, unfillable)
	case *jsonOut:
		newJSONEventView(env.stdout).summary(res, unfillable)
	case unfillable > 0:
		fmt.Fprintf(env.stdout, "\nNothing to apply; %d unfillable %s recorded in state.\n", unfillable, plural(unfillable, "gap", "gaps"))
	}
	// Lost candles come last, where a reader of the journal looks; a
	// failed or interrupted run exits 1 all the same.
	lostErr := reportLost(env.stdout, lost, lostFatal, out, *jsonOut, *logFormat == "json")
	if len(res.Failures) > 0 || res.Interrupted {
		return errReported
	}
	return lostErr
}

// errNoTerminal refuses an apply with work to do that cannot ask for
// approval.
var errNoTerminal = errors.New("apply needs approval, and there is no terminal to ask on: run 'candlekeep apply -auto-approve' to apply without asking")

// confirm asks for "yes" on the terminal, as Terraform does. Ctrl-C or
// Ctrl-D at the prompt cancels.
func confirm(ctx context.Context, env *cliEnv) (bool, error) {
	fmt.Fprintln(env.stdout, "\nDo you want to perform these actions?")
	fmt.Fprintln(env.stdout, "  candlekeep will perform the actions described above.")
	fmt.Fprintln(env.stdout, "  Only 'yes' will be accepted to approve.")
	fmt.Fprint(env.stdout, "\n  Enter a value: ")
	type answer struct {
		line string
		err  error
	}
	answers := make(chan answer, 1)
	go func() {
		line, err := bufio.NewReader(env.stdin).ReadString('\n')
		answers <- answer{line, err}
	}()
	select {
	case <-ctx.Done():
		fmt.Fprintln(env.stdout)
		return false, nil
	case a := <-answers:
		if errors.Is(a.err, io.EOF) {
			// Ctrl-D (end of input) cancels, as "no" does.
			fmt.Fprintln(env.stdout)
			return strings.TrimSpace(a.line) == "yes", nil
		}
		if a.err != nil && a.line == "" {
			return false, fmt.Errorf("read approval: %w", a.err)
		}
		return strings.TrimSpace(a.line) == "yes", nil
	}
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
