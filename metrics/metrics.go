// Package metrics turns what one apply or check did into Prometheus
// metrics, written for node_exporter's textfile collector and pushed to a
// Pushgateway. It owns github.com/prometheus/client_golang: the rest of
// candlekeep hands it plain numbers.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/push"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Outcomes of a run, one-hot in candlekeep_run_outcome.
const (
	OutcomeSuccess     = "success"     // exit 0
	OutcomeFailed      = "failed"      // exit 1: an action failed, or the command could not run
	OutcomeInterrupted = "interrupted" // stopped by a signal
	OutcomeLost        = "lost"        // exit 5: candles lost with lost_severity = "error"
	OutcomeStale       = "stale"       // check's exit 4
)

var outcomes = []string{OutcomeSuccess, OutcomeFailed, OutcomeInterrupted, OutcomeLost, OutcomeStale}

// Gap statuses of candlekeep_gaps.
const (
	GapOpen       = "open"       // fillable, not filled by this run (planned, failed or not started)
	GapUnfillable = "unfillable" // nothing configured can fill it
	GapLost       = "lost"       // newly unfillable: a run on time would have filled it
)

// Run collects one command's metrics. Its zero value is not usable: see
// New.
type Run struct {
	command string
	reg     *prometheus.Registry

	lastSuccess, lastRun, duration, exitStatus *prometheus.GaugeVec
	outcome                                    *prometheus.GaugeVec
	written, actions, gaps, lostCandles        *prometheus.GaugeVec
	age, warnAfter, errorAfter                 *prometheus.GaugeVec

	success bool
}

// New starts the metrics of one run of command ("apply" or "check").
func New(command string) *Run {
	r := &Run{command: command, reg: prometheus.NewRegistry()}
	gauge := func(name, help string, labels ...string) *prometheus.GaugeVec {
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "candlekeep", Name: name, Help: help}, labels)
		r.reg.MustRegister(g)
		return g
	}
	// Help texts are the same whichever command writes them: the
	// textfile collector merges the families of every file.
	r.lastSuccess = gauge("last_success_timestamp_seconds", "When the command last succeeded (exit 0), Unix seconds.", "command")
	r.lastRun = gauge("last_run_timestamp_seconds", "When the command last ran, Unix seconds.", "command")
	r.duration = gauge("last_run_duration_seconds", "How long the command's last run took.", "command")
	r.exitStatus = gauge("last_run_exit_status", "The exit status of the command's last run (docs/exit-codes.md).", "command")
	r.outcome = gauge("last_run_outcome", "1 for the outcome of the command's last run, 0 for the others.", "command", "outcome")
	r.written = gauge("last_run_candles_written", "Candles the last apply wrote to the sink, per source.", "source")
	r.actions = gauge("last_run_actions", "Actions of the last apply, per kind and outcome.", "kind", "outcome")
	r.gaps = gauge("gaps", "Gaps after the last apply, per tier, interval (minutes) and status.", "tier", "interval", "status")
	r.lostCandles = gauge("lost_candles", "Candle slots the last apply found lost for good, per tier and interval (minutes).", "tier", "interval")
	// The series' freshness, as apply leaves it and check finds it; the
	// command label keeps the two files' series apart.
	r.age = gauge("newest_candle_age_seconds", "How old the newest covered candle of a series is, from the start of the forming candle.", "command", "series", "pair", "interval")
	r.warnAfter = gauge("freshness_warn_after_seconds", "The series' freshness warn_after.", "command", "series", "pair", "interval")
	r.errorAfter = gauge("freshness_error_after_seconds", "The series' freshness error_after.", "command", "series", "pair", "interval")
	return r
}

// Finished records how the run ended: at now, after d, with exit status
// exit and the outcome (one of the Outcome constants).
func (r *Run) Finished(now time.Time, d time.Duration, exit int, outcome string) {
	r.lastRun.WithLabelValues(r.command).Set(unix(now))
	r.duration.WithLabelValues(r.command).Set(d.Seconds())
	r.exitStatus.WithLabelValues(r.command).Set(float64(exit))
	for _, o := range outcomes {
		v := 0.0
		if o == outcome {
			v = 1
		}
		r.outcome.WithLabelValues(r.command, o).Set(v)
	}
	r.success = exit == 0
	if r.success {
		r.lastSuccess.WithLabelValues(r.command).Set(unix(now))
	}
}

// Written sets the candles written from a source ("csv", "api",
// "trades").
func (r *Run) Written(source string, n int64) { r.written.WithLabelValues(source).Set(float64(n)) }

// Actions sets how many actions of a kind ended with an outcome (done,
// failed, interrupted, skipped).
func (r *Run) Actions(kind, outcome string, n int) {
	r.actions.WithLabelValues(kind, outcome).Set(float64(n))
}

// Gaps sets the gaps of a tier ("" for pairs listed directly) and
// interval with a status (GapOpen, GapUnfillable, GapLost).
func (r *Run) Gaps(tier string, interval int, status string, n int) {
	r.gaps.WithLabelValues(tier, strconv.Itoa(interval), status).Set(float64(n))
}

// LostCandles sets the candle slots lost in a tier and interval.
func (r *Run) LostCandles(tier string, interval int, n int64) {
	r.lostCandles.WithLabelValues(tier, strconv.Itoa(interval)).Set(float64(n))
}

// Freshness sets a series' newest candle age and its thresholds (zero:
// not set, not exported).
func (r *Run) Freshness(series, pair string, interval int, age, warnAfter, errorAfter time.Duration) {
	l := []string{r.command, series, pair, strconv.Itoa(interval)}
	r.age.WithLabelValues(l...).Set(age.Seconds())
	if warnAfter > 0 {
		r.warnAfter.WithLabelValues(l...).Set(warnAfter.Seconds())
	}
	if errorAfter > 0 {
		r.errorAfter.WithLabelValues(l...).Set(errorAfter.Seconds())
	}
}

// FileName is the conventional name of the command's file in the
// textfile collector's directory: candlekeep_apply.prom.
func FileName(command string) string { return "candlekeep_" + command + ".prom" }

// WriteTextfile writes the metrics into dir as FileName, through a
// temporary file renamed over it, so node_exporter never reads half a
// file. A failed run keeps the last success time of the file it
// replaces.
func (r *Run) WriteTextfile(dir string) error {
	path := filepath.Join(dir, FileName(r.command))
	if !r.success {
		if t, ok, err := readLastSuccess(path, r.command); err != nil {
			return err
		} else if ok {
			r.lastSuccess.WithLabelValues(r.command).Set(t)
		}
	}
	if err := prometheus.WriteToTextfile(path, r.reg); err != nil {
		return fmt.Errorf("write metrics: %w", err)
	}
	return nil
}

// readLastSuccess reads the command's last success time from an earlier
// file, if there is one.
func readLastSuccess(path, command string) (float64, bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read earlier metrics: %w", err)
	}
	defer f.Close()
	p := expfmt.NewTextParser(model.LegacyValidation)
	families, err := p.TextToMetricFamilies(f)
	if err != nil {
		// A file mangled by hand is replaced, not trusted.
		return 0, false, nil
	}
	return lastSuccessOf(families["candlekeep_last_success_timestamp_seconds"], command)
}

func lastSuccessOf(mf *dto.MetricFamily, command string) (float64, bool, error) {
	if mf == nil {
		return 0, false, nil
	}
	for _, m := range mf.GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "command" && l.GetValue() == command && m.GetGauge() != nil {
				return m.GetGauge().GetValue(), true, nil
			}
		}
	}
	return 0, false, nil
}

// Push sends the metrics to a Pushgateway at url, in the group
// job="candlekeep_COMMAND" (the metrics carry command already, which a
// grouping label may not repeat). A successful run replaces the group; a
// failed one updates only what it measured (POST), so the group keeps
// the last success time.
func (r *Run) Push(ctx context.Context, url string) error {
	p := push.New(url, "candlekeep_"+r.command).Gatherer(r.reg)
	var err error
	if r.success {
		err = p.PushContext(ctx)
	} else {
		err = p.AddContext(ctx)
	}
	if err != nil {
		return fmt.Errorf("push metrics to %s: %w", url, err)
	}
	return nil
}

func unix(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }
