package state

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/uptrace/bun/migrate"
)

// A store of the schema before the lock's namespace (v2), holding a lock an
// older candlekeep left: read-only commands read it as current, not as
// legacy, and after the upgrade its holder's PID is no longer trusted.
func TestStoreBeforeLockNamespace(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := openSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	v2 := migrate.NewMigrations()
	for _, m := range migrations().Sorted() {
		if m.Name <= migrationSinks {
			v2.Add(m)
		}
	}
	m := migrate.NewMigrator(db, v2, migrate.WithMarkAppliedOnSuccess(true))
	if err := m.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	heartbeat := time.Now().Add(-time.Minute).UTC()
	old := &lockRowV1{Name: lockName, ID: "0ld10ck", Operation: "apply", Who: whoAmI(), PID: fakeDeadPID,
		Since: heartbeat, Heartbeat: heartbeat}
	if _, err := db.NewInsert().Model(old).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()

	ro, err := OpenReadOnly(ctx, Config{Path: path})
	if err != nil {
		t.Fatalf("OpenReadOnly of a v2 store: %v", err)
	}
	if ro.legacy {
		t.Error("a v2 store is read as legacy: its coverage would be taken for the configured sink's")
	}
	if _, err := ro.Snapshot(ctx); err != nil {
		t.Errorf("Snapshot of a v2 store opened read-only: %v", err)
	}
	ro.Close()

	s := openStore(t, Config{Path: path})
	s.processAlive = func(int) bool { return false }
	holder, err := s.LockHolder(ctx)
	if err != nil || holder == nil || holder.ID != old.ID || holder.PIDNamespace != "" {
		t.Fatalf("lock after the upgrade = %+v, %v; want %s with no namespace", holder, err, old.ID)
	}
	_, err = s.Lock(ctx, "apply", 0)
	var locked *LockedError
	if !errors.As(err, &locked) || !locked.OtherNamespace || locked.Stale {
		t.Fatalf("Lock = %v, want a *LockedError: the old lock's namespace is unknown and its heartbeat fresh", err)
	}
}

// The heartbeat stays fresh while a long state operation holds the
// store's connection (SQLite's store has one): a holder in another PID
// namespace is judged by its heartbeat alone, so a long plan must not
// make it look stopped.
func TestHeartbeatBeatsWhileTheStoreIsBusy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	s := openStore(t, Config{Path: path})
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
	defer l.Unlock(ctx)

	// A long read: the store's only connection, taken and kept.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	clock.advance(time.Minute)
	other := openStore(t, Config{Path: path})
	var holder *LockInfo
	for range 200 {
		<-beats
		if holder, err = other.LockHolder(ctx); err != nil {
			t.Fatal(err)
		}
		if holder != nil && holder.Heartbeat.Equal(clock.now()) {
			break
		}
	}
	conn.Close()
	if holder == nil || !holder.Heartbeat.Equal(clock.now()) {
		t.Errorf("while the store was busy, the lock's heartbeat stayed %+v; want %v", holder, clock.now())
	}
}
