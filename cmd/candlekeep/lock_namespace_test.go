package main

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"

	"github.com/feefifofunds/candlekeep/state"
)

// A process of this host in another PID namespace (a container sharing
// the host's network, a CI runner) has a PID that means nothing here: its
// lock is kept while its heartbeat is fresh, whatever runs or does not
// run here under that number, and taken over once the heartbeat is stale.
func TestLockOfAnotherPIDNamespace(t *testing.T) {
	gone := exitedProcessPID(t)
	tests := []struct {
		name         string
		heartbeatAge time.Duration
		wantTakeOver string // the note's reason; "" when apply must refuse
	}{
		{"fresh heartbeat, PID gone here", 10 * time.Second, ""},
		{"stale heartbeat", 10 * time.Minute, "it runs in another PID namespace and its heartbeat stopped 10m0s ago"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gate := newKrakenGate(t)
			dir := newLockWorkspace(t, gate.URL)
			gate.open()
			const id = "0123456789abcdef"
			now := time.Now().UTC()
			plantLock(t, filepath.Join(dir, ".candlekeep", "state.db"), plantedLock{
				Name: "state", ID: id, Operation: "apply", Who: "ops" + atThisHost(t), PID: gone,
				PIDNamespace: "pid:[4026599999]", Since: now.Add(-time.Hour), Heartbeat: now.Add(-tt.heartbeatAge),
			})
			p := startCandlekeep(t, dir, lockApplyArgs...)
			waitFor(t, p.done, "the apply")
			if tt.wantTakeOver == "" {
				want := fmt.Sprintf("state is locked by ops%s (pid %d in another PID namespace) for apply", atThisHost(t), gone)
				if p.exitCode() != 1 || !strings.Contains(p.stderr.String(), want) ||
					!strings.Contains(p.stderr.String(), "its lock is taken over once its heartbeat is 2m0s old") || strings.Contains(p.stderr.String(), "took over") {
					t.Errorf("apply under a live lock of another namespace: want exit 1 and %q\n%s", want, p)
				}
				return
			}
			want := fmt.Sprintf("took over the state lock of ops%s (pid %d, apply since ", atThisHost(t), gone)
			if p.exitCode() != 0 || !strings.Contains(p.stderr.String(), want) || !strings.Contains(p.stderr.String(), tt.wantTakeOver) {
				t.Errorf("apply under a stale lock of another namespace: want exit 0, %q and %q\n%s", want, tt.wantTakeOver, p)
			}
		})
	}
}

// A live apply in another PID namespace, whose PID is no process here,
// keeps its lock against an apply of the host, and ends as it should:
// the two applies at once, ending "lock … was no longer held".
// Needs root and unshare(1); skipped where they are missing.
func TestLiveHolderInAnotherPIDNamespaceKeepsTheLock(t *testing.T) {
	unshare := needPIDNamespaces(t)
	gate := newKrakenGate(t)
	dir := newLockWorkspace(t, gate.URL)
	bin, err := exec.LookPath("candlekeep")
	if err != nil {
		t.Fatalf("the test binary is not on PATH as candlekeep: %v", err)
	}
	// The holder gets a PID no process of the host has, as a container's
	// process often does: sh sets the namespace's last PID, then forks.
	pid := exitedProcessPID(t)
	script := `echo "$1" > /proc/sys/kernel/ns_last_pid || exit 97; shift; "$@"; exit $?`
	cmd := exec.Command(unshare, append([]string{"--pid", "--fork", "--mount-proc", "--kill-child", "sh", "-c", script, "sh", strconv.Itoa(pid - 1), bin, "-chdir=" + dir}, lockApplyArgs...)...)
	stdout, stderr := newWatchedBuffer(""), newWatchedBuffer("")
	cmd.Stdout, cmd.Stderr = stdout, stderr
	holder := startProcess(t, cmd)
	waitFor(t, gate.arrived, "the apply in the other namespace to hold the lock")

	ourNS, err := os.Readlink("/proc/self/ns/pid")
	if err != nil {
		t.Fatal(err)
	}
	row := readLockRow(t, dir)
	if row.PID != pid || row.PIDNamespace == "" || row.PIDNamespace == ourNS {
		t.Fatalf("the holder's lock = %+v; want pid %d in a namespace other than ours (%s)", row, pid, ourNS)
	}

	// A contender that took the lock over would wait at the gate: its
	// note says so at once.
	cstderr := newWatchedBuffer("took over the state lock")
	ccmd := candlekeepCmd(t, dir, lockApplyArgs...)
	ccmd.Stdout, ccmd.Stderr = new(strings.Builder), cstderr
	contender := startProcess(t, ccmd)
	select {
	case <-contender.done:
	case <-cstderr.seen:
		t.Fatalf("the host's apply took over the lock of a live apply in another namespace:\n%s", cstderr)
	case <-time.After(time.Minute):
		t.Fatal("timed out waiting for the host's apply")
	}
	want := fmt.Sprintf("state is locked by %s (pid %d in another PID namespace) for apply", row.Who, pid)
	if contender.status() != "exit 1" || !strings.Contains(cstderr.String(), want) {
		t.Errorf("the host's apply under a live lock of another namespace: %s, want exit 1 and %q\n%s", contender.status(), want, cstderr)
	}

	gate.open()
	waitFor(t, holder.done, "the apply in the other namespace to finish")
	if holder.status() != "exit 0" || !strings.Contains(stdout.String(), "Apply complete") || strings.Contains(stderr.String(), "no longer held") {
		t.Errorf("the apply in the other namespace: %s\nstdout:\n%s\nstderr:\n%s", holder.status(), stdout, stderr)
	}
	if lockID, run := stateAfter(t, dir); lockID != "" || run != state.RunSucceeded {
		t.Errorf("after both: lock %q and the newest run %s, want no lock and %s", lockID, run, state.RunSucceeded)
	}
}

// needPIDNamespaces returns unshare's path, or skips the test saying why
// another PID namespace cannot be made here.
func needPIDNamespaces(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to make a PID namespace with unshare --pid --fork (CI runs it as root)")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skipf("needs unshare(1) to make a PID namespace: %v", err)
	}
	probe := exec.Command(unshare, "--pid", "--fork", "--mount-proc", "sh", "-c", "echo 300 > /proc/sys/kernel/ns_last_pid")
	if out, err := probe.CombinedOutput(); err != nil {
		t.Skipf("cannot make a PID namespace here (unshare --pid --fork --mount-proc: %v): %s", err, out)
	}
	return unshare
}

// exitedProcessPID is a PID no process of this host has: one that ran and
// was reaped. It could be reused at once, but hardly ever is.
func exitedProcessPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run true: %v", err)
	}
	pid := cmd.ProcessState.Pid()
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Skipf("pid %d was reused at once", pid)
	}
	return pid
}

// readLockRow reads the lock row straight from the state file.
func readLockRow(t *testing.T, dir string) plantedLock {
	t.Helper()
	db := openStateFile(t, dir)
	var row plantedLock
	if err := db.NewSelect().Model(&row).Where("name = 'state'").Scan(t.Context()); err != nil {
		t.Fatalf("read the lock: %v", err)
	}
	return row
}

func openStateFile(t *testing.T, dir string) *bun.DB {
	t.Helper()
	sqldb, err := sql.Open("sqlite", "file:"+filepath.Join(dir, ".candlekeep", "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	db := bun.NewDB(sqldb, sqlitedialect.New())
	t.Cleanup(func() { db.Close() })
	return db
}
