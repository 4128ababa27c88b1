package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feefifofunds/candlekeep/state"
)

// While another process holds the state lock, apply refuses and says how
// to release a dead lock; force-unlock releases it and apply runs.
func TestApplyRespectsTheLock(t *testing.T) {
	dir := t.TempDir()
	if err := copyQuickstart(dir); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	run1 := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(ctx, append([]string{"-chdir=" + dir}, args...), strings.NewReader(""), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	if code, _, stderr := run1("init"); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	st, err := state.Open(ctx, state.Config{Path: filepath.Join(dir, ".candlekeep", "state.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	held, err := st.Lock(ctx, "apply", 0)
	if err != nil {
		t.Fatal(err)
	}

	code, _, stderr := run1("apply", "-auto-approve", "-lock-timeout=0s")
	if code != 1 || !strings.Contains(stderr, "state is locked") || !strings.Contains(stderr, "candlekeep force-unlock "+held.Info.ID) {
		t.Fatalf("apply under a held lock: exit %d\n%s", code, stderr)
	}
	// Given a timeout that passes, apply says it waited, not to pass one.
	code, _, stderr = run1("apply", "-auto-approve", "-lock-timeout=20ms")
	for _, want := range []string{"Waiting up to 20ms for the state lock, held by ", "state is locked", "Waited 20ms for it (-lock-timeout)", "candlekeep force-unlock " + held.Info.ID} {
		if code != 1 || !strings.Contains(stderr, want) || strings.Contains(stderr, "-lock-timeout=10m") {
			t.Errorf("apply timing out on a held lock: exit %d, want 1, %q and no advice to pass -lock-timeout=10m\n%s", code, want, stderr)
		}
	}
	if code, _, stderr := run1("force-unlock", held.Info.ID); code != 0 {
		t.Fatalf("force-unlock: %s", stderr)
	}
	if code, stdout, stderr := run1("apply", "-auto-approve", "-now=2026-11-28"); code != 0 || !strings.Contains(stdout, "Apply complete") {
		t.Fatalf("apply after force-unlock: exit %d\n%s\n%s", code, stdout, stderr)
	}
	unlockCtx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := held.Unlock(unlockCtx); err == nil {
		t.Error("the force-unlocked holder could still unlock")
	}
}
