package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"time"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/metrics"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/workspace"
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

// tierIntervals are the configuration's tiers × intervals ("" for pairs
// listed directly), so every gauge of a configured tier exists, at 0 when
// nothing is missing: an alert on "> 0" then never sees an absent series.
func tierIntervals(cfg *config.Config) []tierInterval {
	var out []tierInterval
	for _, c := range cfg.Coverage {
		tiers := slices.Clone(c.Tiers)
		if len(c.Tiers) == 0 || hasDirectPairs(cfg, c) {
			tiers = append(tiers, "")
		}
		for _, t := range tiers {
			for _, iv := range c.Intervals {
				out = append(out, tierInterval{t, iv})
			}
		}
	}
	slices.SortFunc(out, func(a, b tierInterval) int {
		if a.tier != b.tier {
			if a.tier < b.tier {
				return -1
			}
			return 1
		}
		return int(a.interval) - int(b.interval)
	})
	return slices.Compact(out)
}

type tierInterval struct {
	tier     string
	interval ohlc.Interval
}

// hasDirectPairs reports whether c lists pairs beyond its tiers'.
func hasDirectPairs(cfg *config.Config, c config.Coverage) bool {
	inTiers := map[string]bool{}
	for _, t := range cfg.Tiers {
		if slices.Contains(c.Tiers, t.Name) {
			for _, p := range t.Pairs {
				inTiers[p] = true
			}
		}
	}
	for _, p := range c.Pairs {
		if !inTiers[p] {
			return true
		}
	}
	return false
}

// freshnessMetrics sets every checked series' age and thresholds.
func freshnessMetrics(run *metrics.Run, results []workspace.Freshness) {
	for _, r := range results {
		age := time.Duration(r.Age) * time.Second
		if r.CoveredUntil == 0 {
			// Never loaded: as old as the window, which no threshold
			// passes; the age of the start of time would overflow rules.
			age = time.Duration(r.Expected-ohlc.KrakenFirstTrade) * time.Second
		}
		run.Freshness(r.Series.String(), r.Series.Pair, int(r.Series.Interval), age, r.WarnAfter, r.ErrorAfter)
	}
}
