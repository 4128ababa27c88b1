package state

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// lockPair opens two stores on one backend, as two processes would.
func lockPair(t *testing.T, cfg Config) (*Store, *Store) {
	t.Helper()
	a := openStore(t, cfg)
	b := openStore(t, cfg)
	b.retryMin, b.retryMax = time.Millisecond, time.Millisecond
	return a, b
}

func TestLockContention(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		a, b := lockPair(t, cfg)
		ctx := context.Background()
		held, err := a.Lock(ctx, "apply", 0)
		if err != nil {
			t.Fatalf("first Lock: %v", err)
		}
		_, err = b.Lock(ctx, "plan", 0)
		var locked *LockedError
		if !errors.As(err, &locked) {
			t.Fatalf("second Lock = %v, want a *LockedError", err)
		}
		if locked.Holder.ID != held.Info.ID || locked.Holder.Operation != "apply" || locked.Holder.PID != os.Getpid() || locked.Stale {
			t.Errorf("LockedError holder %+v (stale %v), want the first lock %+v", locked.Holder, locked.Stale, held.Info)
		}
		for _, part := range []string{held.Info.ID, held.Info.Who, "apply"} {
			if !strings.Contains(err.Error(), part) {
				t.Errorf("error %q does not mention %q", err, part)
			}
		}
		if err := held.Unlock(ctx); err != nil {
			t.Fatalf("Unlock: %v", err)
		}
		again, err := b.Lock(ctx, "plan", 0)
		if err != nil {
			t.Fatalf("Lock after Unlock: %v", err)
		}
		if again.Info.ID == held.Info.ID {
			t.Error("a new lock reused the old lock's ID")
		}
		if err := again.Unlock(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestLockWaitsUntilReleased(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		a, b := lockPair(t, cfg)
		ctx := context.Background()
		held, err := a.Lock(ctx, "apply", 0)
		if err != nil {
			t.Fatal(err)
		}
		busy := make(chan struct{}, 1)
		b.onLockBusy = func() {
			select {
			case busy <- struct{}{}:
			default:
			}
		}
		type result struct {
			lock *Lock
			err  error
		}
		done := make(chan result, 1)
		go func() {
			l, err := b.Lock(ctx, "apply", time.Hour)
			done <- result{l, err}
		}()
		<-busy // b has seen the lock held and is waiting
		if err := held.Unlock(ctx); err != nil {
			t.Fatal(err)
		}
		r := <-done
		if r.err != nil {
			t.Fatalf("waiting Lock: %v", r.err)
		}
		if err := r.lock.Unlock(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestLockTimeoutAndCancel(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		a, b := lockPair(t, cfg)
		ctx := context.Background()
		held, err := a.Lock(ctx, "apply", 0)
		if err != nil {
			t.Fatal(err)
		}
		defer held.Unlock(ctx)

		// Each failed attempt moves b's clock on, so the timeout passes
		// without waiting for it.
		clock := &fakeClock{t: time.Now()}
		b.now = clock.now
		attempts := 0
		b.onLockBusy = func() { attempts++; clock.advance(10 * time.Second) }
		_, err = b.Lock(ctx, "apply", 25*time.Second)
		var locked *LockedError
		if !errors.As(err, &locked) {
			t.Fatalf("Lock = %v, want a *LockedError after the timeout", err)
		}
		if attempts != 3 {
			t.Errorf("%d attempts in a 25s timeout with 10s steps, want 3", attempts)
		}

		cctx, cancel := context.WithCancel(ctx)
		b.onLockBusy = cancel
		_, err = b.Lock(cctx, "apply", time.Hour)
		if !errors.Is(err, context.Canceled) || !errors.As(err, &locked) {
			t.Errorf("Lock with its context cancelled = %v, want context.Canceled and a *LockedError", err)
		}
	})
}

func TestStaleLockNeedsForceUnlock(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		a, b := lockPair(t, cfg)
		ctx := context.Background()
		t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		a.now = (&fakeClock{t: t0}).now
		a.heartbeatEvery = time.Hour // the holder "dies": no beats
		b.now = (&fakeClock{t: t0.Add(5 * time.Minute)}).now
		dead, err := a.Lock(ctx, "apply", 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = b.Lock(ctx, "apply", time.Hour) // fails at once: no waiting for the dead
		var locked *LockedError
		if !errors.As(err, &locked) || !locked.Stale {
			t.Fatalf("Lock = %v, want a stale *LockedError", err)
		}
		if !strings.Contains(err.Error(), "heartbeat is 5m0s old") || strings.Contains(err.Error(), "force-unlock") {
			t.Errorf("error %q does not state the heartbeat's age, or gives advice", err)
		}
		if dead.TookOverFrom != nil {
			t.Errorf("a free lock says it took over %+v", dead.TookOverFrom)
		}
		if err := b.ForceUnlock(ctx, "not-the-id"); err == nil || !strings.Contains(err.Error(), dead.Info.ID) {
			t.Errorf("ForceUnlock with a wrong ID = %v, want an error naming the real ID", err)
		}
		if err := b.ForceUnlock(ctx, dead.Info.ID); err != nil {
			t.Fatalf("ForceUnlock: %v", err)
		}
		if err := b.ForceUnlock(ctx, dead.Info.ID); err == nil || !strings.Contains(err.Error(), "not locked") {
			t.Errorf("second ForceUnlock = %v, want 'not locked'", err)
		}
		taken, err := b.Lock(ctx, "apply", 0)
		if err != nil {
			t.Fatalf("Lock after ForceUnlock: %v", err)
		}
		if err := dead.Unlock(ctx); err == nil {
			t.Error("Unlock of a force-unlocked lock succeeded")
		}
		holder, err := b.LockHolder(ctx)
		if err != nil || holder == nil || holder.ID != taken.Info.ID {
			t.Errorf("after the old holder's Unlock, holder = %+v, %v; want the new lock", holder, err)
		}
		if err := taken.Unlock(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestHeartbeatRefreshesAndStops(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		s := openStore(t, cfg)
		ctx := context.Background()
		clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
		s.now = clock.now
		s.heartbeatEvery = time.Millisecond
		beats := make(chan struct{}, 1)
		s.onBeat = func() {
			select {
			case beats <- struct{}{}:
			default:
			}
		}
		l, err := s.Lock(ctx, "apply", 0)
		if err != nil {
			t.Fatal(err)
		}
		clock.advance(time.Minute)
		// A beat already under way may still write the old time; within
		// a few beats the new one must arrive.
		var holder *LockInfo
		for range 100 {
			<-beats
			if holder, err = s.LockHolder(ctx); err != nil {
				t.Fatal(err)
			}
			if holder != nil && holder.Heartbeat.Equal(clock.now()) {
				break
			}
		}
		if holder == nil || !holder.Heartbeat.Equal(clock.now()) || !holder.Since.Equal(l.Info.Since) {
			t.Errorf("holder %+v, want heartbeat %v since %v", holder, clock.now(), l.Info.Since)
		}
		if err := l.Unlock(ctx); err != nil {
			t.Fatal(err)
		}
		select {
		case <-l.done:
		default:
			t.Error("heartbeat goroutine still running after Unlock")
		}
		if holder, err := s.LockHolder(ctx); err != nil || holder != nil {
			t.Errorf("after Unlock, holder = %+v, %v; want none", holder, err)
		}
	})
}
