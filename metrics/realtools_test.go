package metrics

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The tests in this file run the real Prometheus parts, from Debian:
// promtool (package prometheus), prometheus-node-exporter and
// prometheus-pushgateway. .ci/run installs them; elsewhere they skip.

// need returns the path of program, or skips the test naming the Debian
// package that has it.
func need(t *testing.T, program, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(program)
	if err != nil {
		t.Skipf("%s is not installed (Debian package %s; .ci/run installs it)", program, pkg)
	}
	return path
}

func TestPromtoolAcceptsTextfile(t *testing.T) {
	promtool := need(t, "promtool", "prometheus")
	dir := t.TempDir()
	if err := sampleRun(0, OutcomeSuccess, time.Now()).WriteTextfile(dir); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, FileName("apply")))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader(data)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool check metrics: %v\n%s\n%s", err, out, data)
	}
}

func TestNodeExporterServesTextfile(t *testing.T) {
	exporter := need(t, "prometheus-node-exporter", "prometheus-node-exporter")
	dir := t.TempDir()
	if err := sampleRun(0, OutcomeSuccess, time.Unix(1795000000, 0)).WriteTextfile(dir); err != nil {
		t.Fatal(err)
	}
	// check's file beside apply's: the collector merges both families.
	check := New("check")
	check.Freshness("XBTUSD/5", "XBTUSD", 5, 0, time.Hour, 2*time.Hour)
	check.Finished(time.Unix(1795000000, 0), time.Second, 0, OutcomeSuccess)
	if err := check.WriteTextfile(dir); err != nil {
		t.Fatal(err)
	}
	url := startServer(t, exporter, func(addr string) []string {
		return []string{"--web.listen-address=" + addr, "--collector.disable-defaults",
			"--collector.textfile", "--collector.textfile.directory=" + dir}
	})
	body := get(t, url+"/metrics")
	for _, line := range []string{
		`candlekeep_last_success_timestamp_seconds{command="apply"} 1.795e+09`,
		`candlekeep_last_success_timestamp_seconds{command="check"} 1.795e+09`,
		`candlekeep_gaps{interval="5",status="lost",tier="TIER1"} 2`,
		`candlekeep_lost_candles{interval="5",tier="TIER1"} 576`,
		`candlekeep_last_run_candles_written{source="api"} 1420`,
		`node_textfile_scrape_error 0`,
	} {
		if !strings.Contains(body, line+"\n") {
			t.Errorf("node_exporter does not serve %s", line)
		}
	}
	if t.Failed() {
		t.Logf("scraped:\n%s", body)
	}
}

func TestPushgatewayHoldsPush(t *testing.T) {
	gateway := need(t, "prometheus-pushgateway", "prometheus-pushgateway")
	url := startServer(t, gateway, func(addr string) []string {
		return []string{"--web.listen-address=" + addr}
	})
	ctx := context.Background()
	t0 := time.Unix(1795000000, 0)
	if err := sampleRun(0, OutcomeSuccess, t0).Push(ctx, url); err != nil {
		t.Fatal(err)
	}
	// A failed run a day later: the group keeps the success time.
	if err := sampleRun(1, OutcomeFailed, t0.Add(24*time.Hour)).Push(ctx, url); err != nil {
		t.Fatal(err)
	}
	body := get(t, url+"/metrics")
	for _, line := range []string{
		`candlekeep_last_success_timestamp_seconds{command="apply",instance="",job="candlekeep_apply"} 1.795e+09`,
		`candlekeep_last_run_timestamp_seconds{command="apply",instance="",job="candlekeep_apply"} 1.7950864e+09`,
		`candlekeep_last_run_outcome{command="apply",instance="",job="candlekeep_apply",outcome="failed"} 1`,
		`candlekeep_gaps{instance="",interval="5",job="candlekeep_apply",status="lost",tier="TIER1"} 2`,
	} {
		if !strings.Contains(body, line+"\n") {
			t.Errorf("the Pushgateway does not hold %s", line)
		}
	}
	if t.Failed() {
		t.Logf("scraped:\n%s", body)
	}
}

// startServer starts program on a free loopback port (args gets the
// address) and waits until it answers, for at most 20 seconds; the test's
// cleanup stops it. A port taken between choosing and binding is retried.
func startServer(t *testing.T, program string, args func(addr string) []string) string {
	t.Helper()
	var lastErr error
	for range 3 {
		addr := freeAddr(t)
		ctx, cancel := context.WithCancel(context.Background())
		cmd := exec.CommandContext(ctx, program, args(addr)...)
		var logs bytes.Buffer
		cmd.Stdout, cmd.Stderr = &logs, &logs
		if err := cmd.Start(); err != nil {
			cancel()
			t.Fatalf("start %s: %v", program, err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		url := "http://" + addr
		if lastErr = waitReady(url, exited); lastErr == nil {
			t.Cleanup(func() {
				cancel()
				<-exited
			})
			return url
		}
		cancel()
		<-exited
		lastErr = fmt.Errorf("%w\n%s", lastErr, logs.String())
	}
	t.Fatalf("%s did not come up: %v", program, lastErr)
	return ""
}

// waitReady polls url until it answers 200, the process exits, or 20
// seconds pass.
func waitReady(url string, exited <-chan error) error {
	deadline := time.Now().Add(20 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	client := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("exited before answering: %v", err)
		case <-tick.C:
		}
		resp, err := client.Get(url + "/metrics")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return errors.New("no answer within 20s")
}

// freeAddr is a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", url, resp.Status, data)
	}
	return string(data)
}

// TestExampleAlertingRules checks the example rules and runs their unit
// tests; the missed-week script (cmd/candlekeep) runs them on a
// scenario's own metrics too.
func TestExampleAlertingRules(t *testing.T) {
	promtool := need(t, "promtool", "prometheus")
	dir := filepath.Join("..", "examples", "prometheus")
	for _, args := range [][]string{
		{"check", "rules", filepath.Join(dir, "candlekeep.rules.yml")},
		{"test", "rules", filepath.Join(dir, "candlekeep.rules.test.yml")},
	} {
		if out, err := exec.Command(promtool, args...).CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
