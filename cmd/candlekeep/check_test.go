package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
)

// TestCheckExitStatus runs the files of testdata/script/check.txtar and
// checks the exact exit statuses, which a script's "! exec" cannot.
func TestCheckExitStatus(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "script", "check.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		p := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fresh := "-chdir=" + filepath.Join(dir, "fresh")
	steps := []struct {
		name string
		args []string
		want int
	}{
		{"before any load every series errors", []string{fresh, "check", "-now=2021-04-01T05:00:00Z"}, exitStale},
		{"apply", []string{fresh, "apply", "-auto-approve", "-now=2021-04-01T05:00:00Z"}, 0},
		{"one series beyond error_after", []string{fresh, "check", "-now=2021-04-01T05:00:00Z"}, exitStale},
		{"json too", []string{fresh, "check", "-format=json", "-now=2021-04-01T05:00:00Z"}, exitStale},
		{"warnings only", []string{fresh, "check", "-now=2021-03-31T23:59:00Z"}, 0},
		{"all pass", []string{fresh, "check", "-now=2021-03-29T12:00:00Z"}, 0},
		{"bad format", []string{fresh, "check", "-format=xml"}, 1},
		{"bad clock", []string{fresh, "check", "-now=yesterday"}, 1},
	}
	for _, s := range steps {
		var stdout, stderr bytes.Buffer
		if got := run(context.Background(), s.args, nil, &stdout, &stderr); got != s.want {
			t.Errorf("%s: exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", s.name, got, s.want, stdout.String(), stderr.String())
		}
	}
}

func TestCheckFreshness(t *testing.T) {
	day := int64(86400)
	at := func(s string) int64 {
		v, err := ohlc.ParseTime(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	hourly := config.Coverage{Name: "hourly", Pairs: []string{"XBTUSD", "DOTUSD"}, Intervals: []ohlc.Interval{60},
		Window: config.Window{Lookback: 7 * day, ToNow: true}, Freshness: config.Freshness{ErrorAfter: 2 * time.Hour}}
	past := config.Coverage{Name: "past", Pairs: []string{"XBTUSD"}, Intervals: []ohlc.Interval{1440},
		Window: config.Window{From: at("2021-01-01"), To: at("2021-02-01")}, Freshness: config.Freshness{WarnAfter: time.Hour}}
	unwatched := config.Coverage{Name: "unwatched", Pairs: []string{"ETHUSD"}, Intervals: []ohlc.Interval{60},
		Window: config.Window{Lookback: day, ToNow: true}}
	cfg := &config.Config{Coverage: []config.Coverage{hourly, past, unwatched}}
	now := at("2021-03-10T10:20:00Z")
	coverage := map[ohlc.Series]ohlc.SpanSet{
		{Pair: "XBTUSD", Interval: 60}: ohlc.NewSpanSet(ohlc.Span{Start: now - 5*day, End: now - 3*day},
			ohlc.Span{Start: now - 2*day, End: at("2021-03-10T08:00:00Z")}),
		{Pair: "XBTUSD", Interval: 1440}: ohlc.NewSpanSet(ohlc.Span{Start: at("2021-01-01"), End: at("2021-02-01")}),
	}
	got := checkFreshness(cfg, coverage, now)
	want := []freshnessResult{
		// Never loaded, with only error_after set: an error.
		{Series: ohlc.Series{Pair: "DOTUSD", Interval: 60}, Coverage: []string{"hourly"}, ErrorAfter: 2 * time.Hour,
			Expected: at("2021-03-10T10:00:00Z"), Status: freshError},
		// The forming candle starts 10:00; data to 08:00 is exactly 2h old.
		{Series: ohlc.Series{Pair: "XBTUSD", Interval: 60}, Coverage: []string{"hourly"}, ErrorAfter: 2 * time.Hour,
			Expected: at("2021-03-10T10:00:00Z"), CoveredUntil: at("2021-03-10T08:00:00Z"), Age: 7200, Status: freshPass},
		// A window that ended in the past expects data only to its end.
		{Series: ohlc.Series{Pair: "XBTUSD", Interval: 1440}, Coverage: []string{"past"}, WarnAfter: time.Hour,
			Expected: at("2021-02-01"), CoveredUntil: at("2021-02-01"), Status: freshPass},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("checkFreshness (-want +got):\n%s", diff)
	}
}

func TestFormatAge(t *testing.T) {
	for sec, want := range map[int64]string{0: "0", -5: "0", 59: "59s", 2700: "45m", 93600: "1d2h", 90061: "1d1h1m1s"} {
		if got := formatAge(sec); got != want {
			t.Errorf("formatAge(%d) = %q, want %q", sec, got, want)
		}
	}
}

// TestCheckUnitAlertsOnStale keeps the example check unit failing on exit
// status 4, so that OnFailure= alerts on stale data.
func TestCheckUnitAlertsOnStale(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "systemd", "candlekeep-check.service"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "SuccessExitStatus=") && slices.Contains(strings.Fields(strings.TrimPrefix(line, "SuccessExitStatus=")), "4") {
			t.Errorf("%s: exit status 4 (stale) must fail the unit", line)
		}
	}
	if !strings.Contains(string(data), "\nOnFailure=candlekeep-alert@%n.service\n") {
		t.Error("candlekeep-check.service lacks OnFailure=candlekeep-alert@%n.service")
	}
	if !strings.Contains(string(data), "ExecStart=/usr/local/bin/candlekeep check ") {
		t.Error("candlekeep-check.service does not run candlekeep check")
	}
}
