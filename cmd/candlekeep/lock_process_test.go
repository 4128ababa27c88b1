package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"

	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
)

// These tests run candlekeep as real processes (the test binary, which
// TestMain puts on $PATH as "candlekeep"), so the state lock is contended
// between processes, not goroutines.
//
// None of them relies on timing. An apply holds the state lock from before
// it plans until it ends, and it asks Kraken for candles only after it has
// taken the lock; the fake Kraken below is behind a gate that holds every
// candle request until the test opens it. So a process seen at the gate is
// the lock holder, and it stays the holder, mid-apply, for as long as the
// test wants.

// lockProcessConfig asks for one API backfill and nothing from dumps; %q
// is the fake Kraken's URL.
const lockProcessConfig = `api {
  base_url   = %q
  rate_limit = "10/s"
}

coverage "daily" {
  pairs     = ["XBTUSD"]
  intervals = ["1d"]
  from      = "2026-06-01"
}
`

// krakenGate is a fake Kraken whose candle requests wait until open.
type krakenGate struct {
	URL     string
	arrived chan struct{} // closed when the first candle request arrives
	release chan struct{} // closed by open: candle requests go through
	once    sync.Once
}

func newKrakenGate(t *testing.T) *krakenGate {
	t.Helper()
	fake := krakenfake.New(krakenfake.Options{Now: scriptNow, Tolerance: 100 * time.Millisecond})
	t.Cleanup(fake.Close)
	target, err := url.Parse(fake.URL())
	if err != nil {
		t.Fatal(err)
	}
	g := &krakenGate{arrived: make(chan struct{}), release: make(chan struct{})}
	proxy := httputil.NewSingleHostReverseProxy(target)
	var arrivedOnce sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Only candle requests wait: they come from apply's executor,
		// after the lock; anything asked earlier must not stall a loser.
		if strings.Contains(r.URL.Path, "OHLC") {
			arrivedOnce.Do(func() { close(g.arrived) })
			select {
			case <-g.release:
			case <-r.Context().Done():
				return
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(g.open) // never leave a request hanging past the test
	g.URL = srv.URL
	return g
}

func (g *krakenGate) open() { g.once.Do(func() { close(g.release) }) }

// candlekeepProcess is one candlekeep run as a child process.
type candlekeepProcess struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{} // closed when it has exited; the exit status is in cmd.ProcessState
}

func startCandlekeep(t *testing.T, dir string, args ...string) *candlekeepProcess {
	t.Helper()
	bin, err := exec.LookPath("candlekeep")
	if err != nil {
		t.Fatalf("the test binary is not on PATH as candlekeep: %v", err)
	}
	p := &candlekeepProcess{done: make(chan struct{})}
	p.cmd = exec.Command(bin, append([]string{"-chdir=" + dir}, args...)...)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = p.cmd.Wait() // a failed run is judged by its exit code and output
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

func (p *candlekeepProcess) exitCode() int { return p.cmd.ProcessState.ExitCode() }

func (p *candlekeepProcess) String() string {
	return fmt.Sprintf("pid %d, exit %d\nstdout:\n%s\nstderr:\n%s", p.cmd.Process.Pid, p.exitCode(), p.stdout.String(), p.stderr.String())
}

// newLockWorkspace writes the config and creates state and sink up front,
// so that the contended runs race only for the lock.
func newLockWorkspace(t *testing.T, krakenURL string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(fmt.Sprintf(lockProcessConfig, krakenURL)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runIn(dir, "init"); code != 0 {
		t.Fatalf("init: exit %d\n%s\n%s", code, stdout, stderr)
	}
	return dir
}

func runIn(dir string, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"-chdir=" + dir}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

var lockApplyArgs = []string{"apply", "-auto-approve", "-no-color", "-lock-timeout=0s", "-now=2026-11-28T00:30:00Z"}

// waitFor fails the test when ch is not closed within a generous bound,
// which only a hung process can exceed.
func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(time.Minute):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// Two applies started together against one state: exactly one runs, and
// the other fails at once naming the holder.
func TestConcurrentAppliesOnlyOneRuns(t *testing.T) {
	gate := newKrakenGate(t)
	dir := newLockWorkspace(t, gate.URL)
	a := startCandlekeep(t, dir, lockApplyArgs...)
	b := startCandlekeep(t, dir, lockApplyArgs...)

	// The holder waits at the gate, so the first to exit is the loser,
	// and it has tried the lock while the winner held it.
	var loser, winner *candlekeepProcess
	select {
	case <-a.done:
		loser, winner = a, b
	case <-b.done:
		loser, winner = b, a
	case <-time.After(time.Minute):
		t.Fatal("neither apply ended: both took the lock?")
	}
	waitFor(t, gate.arrived, "the lock holder to ask Kraken for candles")
	gate.open()
	waitFor(t, winner.done, "the lock holder to finish")

	if winner.exitCode() != 0 || !strings.Contains(winner.stdout.String(), "Apply complete") {
		t.Errorf("the lock holder did not complete:\n%s", winner)
	}
	wantHolder := fmt.Sprintf("(pid %d) for apply", winner.cmd.Process.Pid)
	if loser.exitCode() != 1 || !strings.Contains(loser.stderr.String(), "state is locked by ") ||
		!strings.Contains(loser.stderr.String(), wantHolder) || strings.Contains(loser.stdout.String(), "Apply complete") {
		t.Errorf("the other apply should fail naming the holder %q:\n%s", wantHolder, loser)
	}
}

// A holder killed mid-apply leaves its lock behind; on the same host the
// next apply sees its process is gone, takes the lock over and runs.
func TestKilledHolderIsTakenOver(t *testing.T) {
	gate := newKrakenGate(t)
	dir := newLockWorkspace(t, gate.URL)
	victim := startCandlekeep(t, dir, lockApplyArgs...)
	waitFor(t, gate.arrived, "the apply to start loading")
	if err := victim.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, victim.done, "the killed apply to exit")
	gate.open()

	code, stdout, stderr := runIn(dir, "force-unlock", "not-the-lock-id")
	if code != 1 || !strings.Contains(stderr, "force-unlock not-the-lock-id: the state lock has ID ") {
		t.Errorf("force-unlock with a wrong ID: exit %d\n%s\n%s", code, stdout, stderr)
	}

	next := startCandlekeep(t, dir, lockApplyArgs...)
	waitFor(t, next.done, "the next apply")
	wantNote := fmt.Sprintf("%s (pid %d, apply since ", atThisHost(t), victim.cmd.Process.Pid)
	if next.exitCode() != 0 || !strings.Contains(next.stderr.String(), "took over the state lock of ") ||
		!strings.Contains(next.stderr.String(), wantNote) || !strings.Contains(next.stdout.String(), "Apply complete") {
		t.Errorf("the apply after the kill should take the lock over (%q) and complete:\n%s", wantNote, next)
	}
}

// A lock of another host whose heartbeat stopped is not taken over: apply
// says it is probably dead and prints the force-unlock command, which
// releases it.
func TestStaleLockOfAnotherHostNeedsForceUnlock(t *testing.T) {
	gate := newKrakenGate(t)
	dir := newLockWorkspace(t, gate.URL)
	gate.open()
	const id = "0123456789abcdef"
	plantLock(t, filepath.Join(dir, ".candlekeep", "state.db"), plantedLock{
		Name: "state", ID: id, Operation: "apply", Who: "ops@elsewhere.example", PID: 4242,
		Since: time.Now().Add(-time.Hour).UTC(), Heartbeat: time.Now().Add(-10 * time.Minute).UTC(),
	})

	code, stdout, stderr := runIn(dir, lockApplyArgs...)
	for _, want := range []string{"state is locked by ops@elsewhere.example (pid 4242) for apply", "its heartbeat is 10m", "candlekeep force-unlock " + id} {
		if code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("apply under a stale lock of another host: exit %d, want 1 and %q in stderr\n%s\n%s", code, want, stdout, stderr)
		}
	}
	if strings.Contains(stderr, "took over") {
		t.Errorf("another host's lock was taken over:\n%s", stderr)
	}

	code, stdout, stderr = runIn(dir, "force-unlock", "wrong-id")
	if code != 1 || !strings.Contains(stderr, "the state lock has ID "+id) {
		t.Errorf("force-unlock with a wrong ID: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, stdout, stderr := runIn(dir, "force-unlock", id); code != 0 || !strings.Contains(stdout, "The state lock "+id+" has been released.") {
		t.Fatalf("force-unlock: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, stdout, stderr := runIn(dir, lockApplyArgs...); code != 0 || !strings.Contains(stdout, "Apply complete") {
		t.Errorf("apply after force-unlock: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, stderr = runIn(dir, "force-unlock", id)
	if code != 1 || !strings.Contains(stderr, "the state is not locked") {
		t.Errorf("force-unlock of a released lock: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

// plantedLock mirrors the state store's lock row, to plant one as another
// host would have left it: the store takes locks only as this process.
type plantedLock struct {
	bun.BaseModel `bun:"table:locks"`

	Name      string    `bun:"name,pk"`
	ID        string    `bun:"id,notnull"`
	Operation string    `bun:"operation,notnull"`
	Who       string    `bun:"who,notnull"`
	PID       int       `bun:"pid,notnull"`
	Since     time.Time `bun:"since,notnull"`
	Heartbeat time.Time `bun:"heartbeat,notnull"`
	// PIDNamespace is left '' by a candlekeep older than the column.
	PIDNamespace string `bun:"pid_ns,notnull"`
}

func plantLock(t *testing.T, path string, row plantedLock) {
	t.Helper()
	sqldb, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	db := bun.NewDB(sqldb, sqlitedialect.New())
	defer db.Close()
	if _, err := db.NewInsert().Model(&row).Exec(context.Background()); err != nil {
		t.Fatalf("plant lock: %v", err)
	}
}

// atThisHost is the end of how the state store names a user of this host (user@host).
func atThisHost(t *testing.T) string {
	t.Helper()
	host, err := os.Hostname()
	if err != nil {
		t.Skip("no hostname: locks cannot be attributed to this host")
	}
	return "@" + host
}
