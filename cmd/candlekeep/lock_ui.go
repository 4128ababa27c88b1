package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/feefifofunds/candlekeep/state"
)

// takeLock takes the state lock for operation, saying on stderr when it
// waits for another holder and whose lock it took over.
func takeLock(ctx context.Context, env *cliEnv, st *state.Store, operation string, timeout time.Duration) (*state.Lock, error) {
	out := style{enabled: colorFor(env.stderr, false, env.environ)}
	st.OnLockWait(func(h state.LockInfo) {
		fmt.Fprintf(env.stderr, "Waiting up to %s for the state lock, held by %s (pid %d) for %s since %s.\n",
			timeout, h.Who, h.PID, h.Operation, h.Since.UTC().Format("2006-01-02 15:04:05 UTC"))
	})
	lock, err := st.Lock(ctx, operation, timeout)
	if err != nil {
		return nil, lockError(ctx, err)
	}
	if prev := lock.TookOverFrom; prev != nil {
		fmt.Fprintf(env.stderr, "%s took over the state lock of %s (pid %d, %s since %s): %s.\n",
			out.yellow("Note:"), prev.Who, prev.PID, prev.Operation, prev.Since.UTC().Format("2006-01-02 15:04:05 UTC"), lock.TakeOverReason)
	}
	return lock, nil
}

// lockError explains a held lock and what to do about it. A wait cut
// short by a signal says so, and neither the bare "context canceled" nor
// advice to wait is shown then.
func lockError(ctx context.Context, err error) error {
	var le *state.LockedError
	if !errors.As(err, &le) {
		if ctx.Err() != nil {
			return errors.New("interrupted before the state lock was taken")
		}
		return fmt.Errorf("lock state: %w", err)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted while waiting for the state lock: %s", le.Error())
	}
	if le.Stale {
		return fmt.Errorf("%w\n\nThe holder has not renewed the lock for %s: it is probably gone. If you are sure no\ncandlekeep is running against this state, release the lock with:\n  candlekeep force-unlock %s", err, le.Age.Round(time.Second), le.Holder.ID)
	}
	wait := "Wait for it, or pass -lock-timeout=10m to wait here."
	if le.Waited > 0 {
		wait = fmt.Sprintf("Waited %s for it (-lock-timeout); pass a longer one to wait longer.", le.Waited)
	}
	msg := fmt.Sprintf("%%w\n\nAnother candlekeep is using this state. %s\n", wait)
	if le.OtherNamespace {
		msg += fmt.Sprintf("It runs in another PID namespace (a container?), where this candlekeep cannot tell whether it runs:\nits lock is taken over once its heartbeat is %s old.\n", state.StaleAfter)
	}
	msg += "If that process is gone, release the lock with:\n  candlekeep force-unlock %s"
	return fmt.Errorf(msg, err, le.Holder.ID)
}
