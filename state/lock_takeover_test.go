package state

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeDeadPID is the PID of lock rows whose holder the tests declare dead.
const fakeDeadPID = 999_999

// The PID namespaces of the takeover tests: the test store's, another
// one on the same host, and none recorded (a lock of an older candlekeep).
const (
	ourNS     = "pid:[4026531836]"
	otherNS   = "pid:[4026532999]"
	unknownNS = ""
)

// seedLock writes a lock row as another process of this PID namespace
// would have left it.
func seedLock(t *testing.T, s *Store, who string, pid int, heartbeat time.Time) LockInfo {
	t.Helper()
	return seedLockIn(t, s, s.pidNS, who, pid, heartbeat)
}

// seedLockIn writes a lock row as a process of PID namespace ns would have
// left it.
func seedLockIn(t *testing.T, s *Store, ns, who string, pid int, heartbeat time.Time) LockInfo {
	t.Helper()
	row := &lockRow{Name: lockName, ID: newRandomID(), Operation: "apply", Who: who, PID: pid, PIDNamespace: ns,
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
	// Just under and just over the stale timeout (2m).
	const fresh, stale = 2*time.Minute - time.Second, 2*time.Minute + time.Second
	tests := []struct {
		name         string
		who          string
		ns           string
		alive        bool
		heartbeatAge time.Duration
		wantTakeOver bool
		wantStale    bool
		wantChecked  bool // the holder's PID is looked up
		wantOtherNS  bool
	}{
		{"dead here, fresh heartbeat", "ops@" + here, ourNS, false, time.Second, true, false, true, false},
		{"dead here, stale heartbeat", "ops@" + here, ourNS, false, time.Hour, true, false, true, false},
		{"alive here, fresh heartbeat", "ops@" + here, ourNS, true, time.Second, false, false, true, false},
		{"alive here, stale heartbeat", "ops@" + here, ourNS, true, time.Hour, false, true, true, false},
		// The PID of another namespace says nothing here: only its
		// heartbeat does, whatever a process of that number here does.
		{"other namespace, heartbeat just fresh", "ops@" + here, otherNS, false, fresh, false, false, false, true},
		{"other namespace, heartbeat just stale", "ops@" + here, otherNS, true, stale, true, false, false, false},
		{"unknown namespace, heartbeat just fresh", "ops@" + here, unknownNS, false, fresh, false, false, false, true},
		{"unknown namespace, heartbeat just stale", "ops@" + here, unknownNS, true, stale, true, false, false, false},
		{"dead elsewhere, fresh heartbeat", "ops@elsewhere.invalid", ourNS, false, time.Second, false, false, false, false},
		{"dead elsewhere, stale heartbeat", "ops@elsewhere.invalid", ourNS, false, time.Hour, false, true, false, false},
		{"elsewhere in another namespace, stale heartbeat", "ops@elsewhere.invalid", otherNS, false, time.Hour, false, true, false, false},
		{"host a prefix of ours", "ops@" + here[:len(here)-1], ourNS, false, time.Hour, false, true, false, false},
		{"no host", "ops", ourNS, false, time.Hour, false, true, false, false},
	}
	forEachBackend(t, func(t *testing.T, cfg Config) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := openStore(t, cfgFresh(t, cfg))
				ctx := context.Background()
				s.now = (&fakeClock{t: t0}).now
				s.pidNS = ourNS
				var asked []int
				s.processAlive = func(pid int) bool { asked = append(asked, pid); return tt.alive }
				dead := seedLockIn(t, s, tt.ns, tt.who, fakeDeadPID, t0.Add(-tt.heartbeatAge))
				var wantAsked []int
				if tt.wantChecked {
					wantAsked = []int{fakeDeadPID}
				}

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
					if locked.OtherNamespace != tt.wantOtherNS || strings.Contains(err.Error(), "in another PID namespace") != tt.wantOtherNS {
						t.Errorf("OtherNamespace = %v in %q, want %v", locked.OtherNamespace, err, tt.wantOtherNS)
					}
					if diff := cmp.Diff(wantAsked, asked); diff != "" {
						t.Errorf("PIDs checked (-want +got):\n%s", diff)
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
				if diff := cmp.Diff(wantAsked, asked); diff != "" {
					t.Errorf("PIDs checked (-want +got):\n%s", diff)
				}
				wantWhy := "that process is gone"
				if tt.ns != ourNS {
					wantWhy = "it runs in another PID namespace and its heartbeat stopped 2m1s ago"
				}
				if l.TakeOverReason != wantWhy {
					t.Errorf("TakeOverReason = %q, want %q", l.TakeOverReason, wantWhy)
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
