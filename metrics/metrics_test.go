package metrics

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// sampleRun is an apply that found 5-minute candles of TIER1 lost.
func sampleRun(exit int, outcome string, at time.Time) *Run {
	r := New("apply")
	r.Written("csv", 0)
	r.Written("api", 1420)
	r.Actions("backfill_api", "done", 2)
	r.Actions("backfill_api", "failed", 0)
	r.Gaps("TIER1", 5, GapOpen, 0)
	r.Gaps("TIER1", 5, GapUnfillable, 2)
	r.Gaps("TIER1", 5, GapLost, 2)
	r.LostCandles("TIER1", 5, 576)
	r.Freshness("XBTUSD/5", "XBTUSD", 5, 0, 2*time.Hour, 26*time.Hour)
	r.Finished(at, 1500*time.Millisecond, exit, outcome)
	return r
}

// samples reads a textfile back as name{labels} → value.
func samples(t *testing.T, path string) map[string]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := expfmt.NewTextParser(model.LegacyValidation)
	families, err := p.TextToMetricFamilies(f)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	out := map[string]float64{}
	for name, mf := range families {
		for _, m := range mf.GetMetric() {
			key := name + "{"
			for i, l := range m.GetLabel() {
				if i > 0 {
					key += ","
				}
				key += l.GetName() + "=" + l.GetValue()
			}
			out[key+"}"] = m.GetGauge().GetValue()
		}
	}
	return out
}

func TestWriteTextfile(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 20, 0, 30, 0, 0, time.UTC)
	if err := sampleRun(0, OutcomeSuccess, t0).WriteTextfile(dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "candlekeep_apply.prom")
	got := samples(t, path)
	for key, want := range map[string]float64{
		"candlekeep_last_success_timestamp_seconds{command=apply}":                                       float64(t0.Unix()),
		"candlekeep_last_run_timestamp_seconds{command=apply}":                                           float64(t0.Unix()),
		"candlekeep_last_run_duration_seconds{command=apply}":                                            1.5,
		"candlekeep_last_run_exit_status{command=apply}":                                                 0,
		"candlekeep_last_run_outcome{command=apply,outcome=success}":                                     1,
		"candlekeep_last_run_outcome{command=apply,outcome=lost}":                                        0,
		"candlekeep_last_run_candles_written{source=api}":                                                1420,
		"candlekeep_gaps{interval=5,status=lost,tier=TIER1}":                                             2,
		"candlekeep_lost_candles{interval=5,tier=TIER1}":                                                 576,
		"candlekeep_newest_candle_age_seconds{command=apply,interval=5,pair=XBTUSD,series=XBTUSD/5}":     0,
		"candlekeep_freshness_error_after_seconds{command=apply,interval=5,pair=XBTUSD,series=XBTUSD/5}": 26 * 3600,
	} {
		if got[key] != want {
			t.Errorf("%s = %v, want %v", key, got[key], want)
		}
	}

	// A failed run a day later keeps the success time of the file it
	// replaces, and says it failed.
	t1 := t0.Add(24 * time.Hour)
	if err := sampleRun(5, OutcomeLost, t1).WriteTextfile(dir); err != nil {
		t.Fatal(err)
	}
	got = samples(t, path)
	want := map[string]float64{
		"candlekeep_last_success_timestamp_seconds{command=apply}":   float64(t0.Unix()),
		"candlekeep_last_run_timestamp_seconds{command=apply}":       float64(t1.Unix()),
		"candlekeep_last_run_exit_status{command=apply}":             5,
		"candlekeep_last_run_outcome{command=apply,outcome=lost}":    1,
		"candlekeep_last_run_outcome{command=apply,outcome=success}": 0,
	}
	for key := range want {
		if diff := cmp.Diff(want[key], got[key]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", key, diff)
		}
	}
	// Only the file: the temporary one was renamed over it.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("dir holds %d entries, want only candlekeep_apply.prom", len(entries))
	}
}

func TestFailedFirstRunHasNoSuccess(t *testing.T) {
	dir := t.TempDir()
	if err := sampleRun(1, OutcomeFailed, time.Unix(1e9, 0)).WriteTextfile(dir); err != nil {
		t.Fatal(err)
	}
	got := samples(t, filepath.Join(dir, FileName("apply")))
	if _, ok := got["candlekeep_last_success_timestamp_seconds{command=apply}"]; ok {
		t.Error("a first run that failed exports a last success time")
	}
}
