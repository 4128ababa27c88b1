//go:build unix

package state

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"
)

func TestProcessAlive(t *testing.T) {
	pid := exitedPID(t)
	tests := []struct {
		name string
		pid  int
		want bool
	}{
		{"this process", os.Getpid(), true},
		{"init, running but maybe not ours to signal", 1, true},
		{"exited process", pid, false},
		{"no single process", 0, true},
	}
	for _, tt := range tests {
		if got := processAlive(tt.pid); got != tt.want {
			t.Errorf("%s: processAlive(%d) = %v, want %v", tt.name, tt.pid, got, tt.want)
		}
	}
}

// TestLockTakesOverRealDeadProcess uses the real process check.
func TestLockTakesOverRealDeadProcess(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfg)
		ctx := context.Background()
		dead := seedLock(t, s, whoAmI(), exitedPID(t), time.Now())
		l, err := s.Lock(ctx, "apply", 0)
		if err != nil {
			t.Fatalf("Lock = %v, want the exited holder's lock taken over", err)
		}
		defer l.Unlock(ctx)
		if l.TookOverFrom == nil || l.TookOverFrom.ID != dead.ID || l.TookOverFrom.PID != dead.PID {
			t.Errorf("TookOverFrom = %+v, want %+v", l.TookOverFrom, dead)
		}
	})
}

// exitedPID is the PID of a process that has exited and been reaped. It
// could be reused at once, but hardly ever is.
func exitedPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run true: %v", err)
	}
	return cmd.ProcessState.Pid()
}
