package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/feefifofunds/candlekeep/metrics"
)

// metricsFlags are -metrics-dir and -pushgateway of apply and check.
type metricsFlags struct {
	dir  string
	push string
}

func (m *metricsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&m.dir, "metrics-dir", "", "write Prometheus metrics into `DIR` for node_exporter's textfile collector (candlekeep_COMMAND.prom)")
	fs.StringVar(&m.push, "pushgateway", "", "push Prometheus metrics to the Pushgateway at `URL`")
}

func (m *metricsFlags) enabled() bool { return m.dir != "" || m.push != "" }

// publish ends run with the command's outcome and writes and pushes it.
// Every run counts, a failed one too (its last success time is kept): a
// metrics file that stops changing is how a dead timer shows. A metrics
// failure is reported and fails a command that otherwise succeeded.
func (m *metricsFlags) publish(ctx context.Context, env *cliEnv, run *metrics.Run, now int64, started time.Time, interrupted bool, err error) error {
	if !m.enabled() || run == nil {
		return err
	}
	code, outcome := outcomeOf(err, interrupted)
	run.Finished(time.Unix(now, 0), time.Since(started), code, outcome)
	var errs []error
	if m.dir != "" {
		errs = append(errs, run.WriteTextfile(m.dir))
	}
	if m.push != "" {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		errs = append(errs, run.Push(ctx, m.push))
	}
	merr := errors.Join(errs...)
	if merr == nil {
		return err
	}
	if err != nil {
		fmt.Fprintf(env.stderr, "Error: %v\n", merr)
		return err
	}
	return merr
}

// outcomeOf is the exit status an error will give and its metrics
// outcome.
func outcomeOf(err error, interrupted bool) (int, string) {
	code := 0
	if err != nil {
		code = 1
		var ec *exitCode
		if errors.As(err, &ec) {
			code = ec.code
		}
	}
	switch {
	case interrupted || code == 130:
		return code, metrics.OutcomeInterrupted
	case code == 0:
		return code, metrics.OutcomeSuccess
	case code == exitStale:
		return code, metrics.OutcomeStale
	case code == exitLost:
		return code, metrics.OutcomeLost
	}
	return code, metrics.OutcomeFailed
}
