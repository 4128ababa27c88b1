package state

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeDeadPID is the PID of lock rows whose holder the tests declare dead.
const fakeDeadPID = 999_999

// seedLock writes a lock row as another process would have left it.
func seedLock(t *testing.T, s *Store, who string, pid int, heartbeat time.Time) LockInfo {
	t.Helper()
	row := &lockRow{Name: lockName, ID: newRandomID(), Operation: "apply", Who: who, PID: pid,
		Since: utc(heartbeat.Add(-time.Hour)), Heartbeat: utc(heartbeat)}
	if _, err := s.db.NewInsert().Model(row).Exec(context.Background()); err != nil {
		t.Fatalf("seed lock: %v", err)
	}
	return row.info()
}

func TestLockTakesOverOnlyDeadHoldersOfThisHost(t *testing.T) {
	here, ok := hostname()
	if !ok {
		t.Skip("this host has no name")
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name         string
		who          string
		alive        bool
		heartbeatAge time.Duration
		wantTakeOver bool
		wantStale    bool
	}{
		{"dead here, fresh heartbeat", "ops@" + here, false, time.Second, true, false},
		{"dead here, stale heartbeat", "ops@" + here, false, time.Hour, true, false},
		{"alive here, fresh heartbeat", "ops@" + here, true, time.Second, false, false},
		{"alive here, stale heartbeat", "ops@" + here, true, time.Hour, false, true},
		{"dead elsewhere, fresh heartbeat", "ops@elsewhere.invalid", false, time.Second, false, false},
		{"dead elsewhere, stale heartbeat", "ops@elsewhere.invalid", false, time.Hour, false, true},
		{"host a prefix of ours", "ops@" + here[:len(here)-1], false, time.Hour, false, true},
		{"no host", "ops", false, time.Hour, false, true},
	}
	forEachBackend(t, func(t *testing.T, cfg Config) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := openStore(t, cfgFresh(t, cfg))
				ctx := context.Background()
				s.now = (&fakeClock{t: t0}).now
				var asked []int
				s.processAlive = func(pid int) bool { asked = append(asked, pid); return tt.alive }
				dead := seedLock(t, s, tt.who, fakeDeadPID, t0.Add(-tt.heartbeatAge))

				l, err := s.Lock(ctx, "apply", 0)
				if !tt.wantTakeOver {
					var locked *LockedError
					if !errors.As(err, &locked) {
						t.Fatalf("Lock = %v, want a *LockedError", err)
					}
					if diff := cmp.Diff(dead, locked.Holder); diff != "" {
						t.Errorf("holder (-want +got):\n%s", diff)
					}
					if locked.Stale != tt.wantStale {
						t.Errorf("Stale = %v, want %v", locked.Stale, tt.wantStale)
					}
					return
				}
				if err != nil {
					t.Fatalf("Lock = %v, want the dead holder's lock taken over", err)
				}
				defer l.Unlock(ctx)
				if diff := cmp.Diff(&dead, l.TookOverFrom); diff != "" {
					t.Errorf("TookOverFrom (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff([]int{fakeDeadPID}, asked); diff != "" {
					t.Errorf("PIDs checked (-want +got):\n%s", diff)
				}
				holder, err := s.LockHolder(ctx)
				if err != nil || holder == nil || *holder != l.Info || l.Info.ID == dead.ID {
					t.Errorf("holder after the takeover = %+v, %v; want the new lock %+v", holder, err, l.Info)
				}
			})
		}
	})
}

// TestLockTakeOverHasOneWinner: two processes finding the same dead holder
// cannot both take the lock.
func TestLockTakeOverHasOneWinner(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		a, b := lockPair(t, cfg)
		ctx := context.Background()
		for _, s := range []*Store{a, b} {
			s.processAlive = func(pid int) bool { return pid != fakeDeadPID }
		}
		dead := seedLock(t, a, whoAmI(), fakeDeadPID, time.Now())

		locks := make([]*Lock, 2)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, s := range []*Store{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				locks[i], errs[i] = s.Lock(ctx, "apply", 0)
			}()
		}
		wg.Wait()
		winner, loser := 0, 1
		if errs[0] != nil {
			winner, loser = 1, 0
		}
		if errs[winner] != nil {
			t.Fatalf("neither Lock took the dead holder's lock over: %v; %v", errs[0], errs[1])
		}
		defer locks[winner].Unlock(ctx)
		var locked *LockedError
		if !errors.As(errs[loser], &locked) || locked.Holder.ID != locks[winner].Info.ID {
			t.Errorf("losing Lock = %v, %v; want a *LockedError naming the winner %s", locks[loser], errs[loser], locks[winner].Info.ID)
		}
		if locks[winner].TookOverFrom == nil || locks[winner].TookOverFrom.ID != dead.ID {
			t.Errorf("winner's TookOverFrom = %+v, want the dead lock %s", locks[winner].TookOverFrom, dead.ID)
		}
	})
}

func TestLockedErrorStatesFacts(t *testing.T) {
	holder := LockInfo{ID: "abc123", Operation: "apply", Who: "ops@db1", PID: 4242,
		Since: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	tests := []struct {
		name string
		err  *LockedError
		want string
	}{
		{"live holder", &LockedError{Holder: holder, Age: 3 * time.Second},
			"state is locked by ops@db1 (pid 4242) for apply since 2025-01-02T03:04:05Z (lock ID abc123)"},
		{"stale holder", &LockedError{Holder: holder, Stale: true, Age: 5*time.Minute + 400*time.Millisecond},
			"state is locked by ops@db1 (pid 4242) for apply since 2025-01-02T03:04:05Z (lock ID abc123); its heartbeat is 5m0s old"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.err.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
}
