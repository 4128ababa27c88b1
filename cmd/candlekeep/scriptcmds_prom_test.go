package main

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/rogpeppe/go-internal/testscript"
)

// scriptEnv are the variables a script's programs run with under
// cmdStatus.
var scriptEnv = []string{"PATH", "HOME", "TMPDIR", "WORK", "KRAKEN_URL", "NOW", "QDB_ADDR", "QDB_PASSWORD"}

// cmdStatus runs a program of the script and checks its exact exit
// status, which "! exec" cannot: status N PROGRAM [ARGS...]. Its output
// is the command's stdout and stderr.
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status N PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	path, err := lookPathIn(args[1], ts.Getenv("PATH"))
	ts.Check(err)
	cmd := exec.Command(path, args[2:]...)
	cmd.Dir = ts.MkAbs(".")
	for _, name := range scriptEnv {
		cmd.Env = append(cmd.Env, name+"="+ts.Getenv(name))
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	ts.Stdout().Write(stdout.Bytes())
	ts.Stderr().Write(stderr.Bytes())
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("run %s: %v", args[1], err)
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

func lookPathIn(name, path string) (string, error) {
	for _, dir := range filepath.SplitList(path) {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found in the script's PATH", name)
}

// cmdPromtool checks metrics files and alerting rules with the real
// promtool (scripts guard it with [exec:promtool]):
//
//	promtool metrics FILE...              promtool check metrics accepts each file
//	promtool rules RULES TEST FILE...     promtool test rules runs TEST, whose
//	                                      input_series are made from FILEs
//
// For rules, each FILE is one run's metrics, taken to hold for a day from
// the start of its day (the first FILE at time 0); timestamps are moved
// by the same amount, so time() in a rule sees the scenario's clock. TEST
// holds the line "    input_series: SERIES" where they go.
func cmdPromtool(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: promtool metrics FILE... | promtool rules RULES TEST FILE...")
	}
	switch args[0] {
	case "metrics":
		for _, f := range args[1:] {
			cmd := exec.Command("promtool", "check", "metrics")
			cmd.Stdin = strings.NewReader(ts.ReadFile(f))
			if out, err := cmd.CombinedOutput(); err != nil {
				ts.Fatalf("promtool check metrics %s: %v\n%s", f, err, out)
			}
		}
	case "rules":
		if len(args) < 4 {
			ts.Fatalf("usage: promtool rules RULES TEST FILE...")
		}
		rules := ts.MkAbs(args[1])
		if out, err := exec.Command("promtool", "check", "rules", rules).CombinedOutput(); err != nil {
			ts.Fatalf("promtool check rules: %v\n%s", err, out)
		}
		series, err := inputSeries(ts, args[3:])
		ts.Check(err)
		test := strings.Replace(ts.ReadFile(args[2]), "    input_series: SERIES\n", "    input_series:\n"+series, 1)
		testFile := filepath.Join(filepath.Dir(rules), "generated_"+filepath.Base(args[2]))
		ts.Check(os.WriteFile(testFile, []byte(test), 0o644))
		out, err := exec.Command("promtool", "test", "rules", testFile).CombinedOutput()
		ts.Stdout().Write(out)
		if err != nil {
			ts.Fatalf("promtool test rules: %v", err)
		}
	default:
		ts.Fatalf("unknown promtool subcommand %q", args[0])
	}
}

// inputSeries turns one metrics file per day into promtool's input series
// at a 1h interval: 24 samples a day, "_" (none) where a day's file lacks
// the series.
func inputSeries(ts *testscript.TestScript, files []string) (string, error) {
	var base float64
	values := map[string][]string{} // series → one value per day
	for day, f := range files {
		p := expfmt.NewTextParser(model.LegacyValidation)
		families, err := p.TextToMetricFamilies(strings.NewReader(ts.ReadFile(f)))
		if err != nil {
			return "", fmt.Errorf("%s: %w", f, err)
		}
		if day == 0 {
			for _, m := range families["candlekeep_last_run_timestamp_seconds"].GetMetric() {
				base = m.GetGauge().GetValue()
			}
		}
		for name, mf := range families {
			for _, m := range mf.GetMetric() {
				var labels []string
				for _, l := range m.GetLabel() {
					labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
				}
				key := name + "{" + strings.Join(labels, ",") + "}"
				v := m.GetGauge().GetValue()
				if strings.HasSuffix(name, "_timestamp_seconds") {
					v -= base
				}
				for len(values[key]) < day {
					values[key] = append(values[key], "")
				}
				values[key] = append(values[key], strconv.FormatFloat(v, 'f', -1, 64))
			}
		}
	}
	var b strings.Builder
	for _, key := range slices.Sorted(maps.Keys(values)) {
		days := values[key]
		for len(days) < len(files) {
			days = append(days, "")
		}
		var parts []string
		for _, v := range days {
			if v == "" {
				parts = append(parts, "_x24")
				continue
			}
			parts = append(parts, v+"+0x23")
		}
		fmt.Fprintf(&b, "      - series: '%s'\n        values: '%s'\n", key, strings.Join(parts, " "))
	}
	return b.String(), nil
}
