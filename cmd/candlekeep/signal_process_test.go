package main

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/feefifofunds/candlekeep/state"
)

// These tests send signals to, and close the outputs of, real apply
// processes: the test binary, which runs main's signal handling as
// candlekeep (TestMain). As in lock_process_test.go, an apply seen at the
// Kraken gate holds the lock and has a run marked running; nothing waits
// on time, only on the gate and on lines of output.

// watchedBuffer is a process's output that tells when a line holding want
// has been written.
type watchedBuffer struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
	once sync.Once
}

func newWatchedBuffer(want string) *watchedBuffer {
	return &watchedBuffer{want: want, seen: make(chan struct{})}
}

func (w *watchedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if w.want != "" && strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return n, err
}

func (w *watchedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// applyProcess is an apply whose outputs the test sets up.
type applyProcess struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// startProcess starts cmd and reaps it in the background; the test kills
// it at the end if it still runs.
func startProcess(t *testing.T, cmd *exec.Cmd) *applyProcess {
	t.Helper()
	p := &applyProcess{cmd: cmd, done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = cmd.Wait() // judged by the exit status
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
	})
	return p
}

// status is "exit N" or "killed by SIGNAL".
func (p *applyProcess) status() string {
	ws := p.cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		return "killed by " + ws.Signal().String()
	}
	return fmt.Sprintf("exit %d", ws.ExitStatus())
}

// closablePipes are a child's stdout and stderr as pipes, and a function
// that closes their read ends, as a reader that quits does (head).
func closablePipes(t *testing.T) (stdout, stderr *os.File, closeReaders func()) {
	t.Helper()
	var readers []*os.File
	pipe := func() *os.File {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		readers = append(readers, r)
		t.Cleanup(func() { w.Close(); r.Close() })
		return w
	}
	stdout, stderr = pipe(), pipe()
	return stdout, stderr, func() {
		for _, r := range readers {
			r.Close()
		}
	}
}

func candlekeepCmd(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	bin, err := exec.LookPath("candlekeep")
	if err != nil {
		t.Fatalf("the test binary is not on PATH as candlekeep: %v", err)
	}
	return exec.Command(bin, append([]string{"-chdir=" + dir}, args...)...)
}

// stateAfter reads the lock's ID ("" when free) and the newest run's
// status straight from the state file, as a later command would see them.
func stateAfter(t *testing.T, dir string) (lockID string, run state.RunStatus) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, ".candlekeep", "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow("SELECT status FROM runs ORDER BY id DESC LIMIT 1").Scan(&run); err != nil {
		t.Fatalf("newest run: %v", err)
	}
	err = db.QueryRow("SELECT id FROM locks").Scan(&lockID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("lock: %v", err)
	}
	return lockID, run
}

// A hangup (the terminal or SSH session went away) stops apply cleanly, as
// Ctrl-C does: the run is marked interrupted, the lock released, and the
// next apply completes. Closed outputs, as a hangup usually brings, change
// nothing of that.
func TestSIGHUPStopsApplyCleanly(t *testing.T) {
	for _, closed := range []bool{false, true} {
		name := "outputs open"
		if closed {
			name = "outputs closed"
		}
		t.Run(name, func(t *testing.T) {
			gate := newKrakenGate(t)
			dir := newLockWorkspace(t, gate.URL)
			cmd := candlekeepCmd(t, dir, lockApplyArgs...)
			stdout, stderr := newWatchedBuffer(""), newWatchedBuffer("")
			closeOutputs := func() {}
			if closed {
				cmd.Stdout, cmd.Stderr, closeOutputs = closablePipes(t)
			} else {
				cmd.Stdout, cmd.Stderr = stdout, stderr
			}
			p := startProcess(t, cmd)
			waitFor(t, gate.arrived, "the apply to ask Kraken for candles")
			closeOutputs()
			if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
				t.Fatal(err)
			}
			waitFor(t, p.done, "the apply to stop after SIGHUP")
			if got := p.status(); got != "exit 1" {
				t.Errorf("apply after SIGHUP: %s, want exit 1\nstdout:\n%s\nstderr:\n%s", got, stdout, stderr)
			}
			if !closed && !strings.Contains(stderr.String(), "Interrupt received") {
				t.Errorf("apply after SIGHUP did not say it stops cleanly:\n%s", stderr)
			}
			if lockID, run := stateAfter(t, dir); lockID != "" || run != state.RunInterrupted {
				t.Errorf("after SIGHUP: lock %q and run %s, want no lock and the run %s", lockID, run, state.RunInterrupted)
			}
			gate.open()
			if code, stdout, stderr := runIn(dir, lockApplyArgs...); code != 0 || !strings.Contains(stdout, "Apply complete") || strings.Contains(stderr, "took over") {
				t.Errorf("the next apply: exit %d\n%s\n%s", code, stdout, stderr)
			}
		})
	}
}

// An apply whose reader quit (candlekeep apply | head) finishes its work,
// records it and releases the lock: a broken stdout, or stdout and stderr
// both, never kill it. What it could not print is noted on stderr while
// stderr still takes it.
func TestClosedOutputsDoNotKillApply(t *testing.T) {
	for _, tt := range []struct {
		name        string
		closeStderr bool
	}{
		{"stdout closed", false},
		{"stdout and stderr closed", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			gate := newKrakenGate(t)
			dir := newLockWorkspace(t, gate.URL)
			cmd := candlekeepCmd(t, dir, lockApplyArgs...)
			stdout, stderr, closeReaders := closablePipes(t)
			cmd.Stdout = stdout
			var stderrBuf *watchedBuffer
			if tt.closeStderr {
				cmd.Stderr = stderr
			} else {
				stderrBuf = newWatchedBuffer("")
				cmd.Stderr = stderrBuf
			}
			p := startProcess(t, cmd)
			// The plan is printed; the rest (progress, summary) is
			// written after the gate, into pipes nobody reads.
			waitFor(t, gate.arrived, "the apply to ask Kraken for candles")
			closeReaders()
			gate.open()
			waitFor(t, p.done, "the apply to end")
			if got := p.status(); got != "exit 0" {
				t.Errorf("apply with its outputs closed: %s, want exit 0 (stderr: %v)", got, stderrBuf)
			}
			if stderrBuf != nil && !strings.Contains(stderrBuf.String(), "Warning: writing to stdout failed (write /dev/stdout: broken pipe)") {
				t.Errorf("the lost output is not noted on stderr:\n%s", stderrBuf)
			}
			if lockID, run := stateAfter(t, dir); lockID != "" || run != state.RunSucceeded {
				t.Errorf("after the apply: lock %q and run %s, want no lock and the run %s", lockID, run, state.RunSucceeded)
			}
			// All was recorded: the next plan has nothing to do.
			if code, stdout, stderr := runIn(dir, "plan", "-detailed-exitcode", "-no-color", "-now=2026-11-28T00:30:00Z"); code != 0 {
				t.Errorf("plan after the apply: exit %d, want 0 (no changes)\n%s\n%s", code, stdout, stderr)
			}
		})
	}
}

// SIGTERM while apply waits for the lock stops the wait: exit 1, a plain
// message, neither a bare "context canceled" nor advice to pass the
// -lock-timeout it was given.
func TestSIGTERMWhileWaitingForTheLock(t *testing.T) {
	gate := newKrakenGate(t)
	dir := newLockWorkspace(t, gate.URL)
	holder := startCandlekeep(t, dir, lockApplyArgs...)
	waitFor(t, gate.arrived, "the first apply to hold the lock")

	stderr := newWatchedBuffer("Waiting up to 10m0s for the state lock, held by ")
	cmd := candlekeepCmd(t, dir, "apply", "-auto-approve", "-no-color", "-lock-timeout=10m", "-now=2026-11-28T00:30:00Z")
	cmd.Stdout, cmd.Stderr = new(bytes.Buffer), stderr
	waiter := startProcess(t, cmd)
	waitFor(t, stderr.seen, "the second apply to say it waits for the lock")
	if err := waiter.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitFor(t, waiter.done, "the waiting apply to stop")
	got := stderr.String()
	if waiter.status() != "exit 1" || !strings.Contains(got, "Error: interrupted while waiting for the state lock: state is locked by ") ||
		!strings.Contains(got, fmt.Sprintf("%s (pid %d) for apply", atThisHost(t), holder.cmd.Process.Pid)) {
		t.Errorf("apply stopped waiting: %s, want exit 1, saying it was interrupted waiting for pid %d:\n%s", waiter.status(), holder.cmd.Process.Pid, got)
	}
	for _, stray := range []string{"context canceled", "-lock-timeout=10m", "Interrupt received"} {
		if strings.Contains(got, stray) {
			t.Errorf("apply stopped waiting says %q:\n%s", stray, got)
		}
	}

	gate.open()
	waitFor(t, holder.done, "the lock holder to finish")
	if holder.exitCode() != 0 || strings.Contains(holder.stderr.String(), "no longer held") {
		t.Errorf("the lock holder did not complete:\n%s", holder)
	}
}
