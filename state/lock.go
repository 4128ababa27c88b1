package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
)

// lockName is the key of the one logical lock row.
const lockName = "state"

// Lock takes the state lock for operation, waiting up to timeout (0: try
// once) while another live holder has it. A held lock is an error
// (*LockedError) that says who holds it and since when; one cut short by
// ctx also wraps ctx's error.
//
// A holder is taken over (the returned Lock's TookOverFrom says whose
// lock it was) only when it is provably gone or has stopped beating:
//   - of this host and this PID namespace, and its process no longer
//     exists (killed, out of memory): at once;
//   - of this host but another PID namespace (a container sharing the
//     host's network, a CI runner), or of a namespace a candlekeep older
//     than the lock's pid_ns column did not record: its PID means nothing
//     here, so only once its heartbeat is older than the stale timeout.
//
// Another host's holder is never taken over, stale or not: it may only be
// paused or cut off, so releasing it is left to ForceUnlock.
//
// Taking or releasing the lock does not bump the serial: it says nothing
// about the sink, and a saved plan must stay applicable under it.
func (s *Store) Lock(ctx context.Context, operation string, timeout time.Duration) (*Lock, error) {
	deadline := s.now().Add(timeout)
	delay := s.retryMin
	told := false
	for {
		info, err := s.tryLock(ctx, operation)
		if err != nil {
			return nil, fmt.Errorf("lock state: %w", err)
		}
		if info.ID != "" {
			return s.startHeartbeat(info), nil
		}
		holder, err := s.lockHolder(ctx)
		if err != nil {
			return nil, fmt.Errorf("lock state: %w", err)
		}
		if holder == nil {
			continue // released between our insert and our read: try again
		}
		if why := s.takeOverReason(*holder); why != "" {
			info, err := s.takeOver(ctx, operation, holder.ID)
			if err != nil {
				return nil, fmt.Errorf("lock state: take over lock %s: %w", holder.ID, err)
			}
			if info.ID == "" {
				continue // the dead holder's row went meanwhile: look again
			}
			l := s.startHeartbeat(info)
			l.TookOverFrom, l.TakeOverReason = holder, why
			return l, nil
		}
		if s.onLockBusy != nil {
			s.onLockBusy()
		}
		locked := s.lockedError(*holder, timeout)
		remaining := deadline.Sub(s.now())
		if locked.Stale || remaining <= 0 {
			return nil, locked
		}
		if !told && s.onLockWait != nil {
			s.onLockWait(*holder)
			told = true
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: %w", locked, ctx.Err())
		case <-time.After(min(delay, remaining)):
		}
		delay = min(delay*2, s.retryMax)
	}
}

// takeOverReason says why holder h may be taken over, in words for the
// user, or "" when it may not (see Lock).
func (s *Store) takeOverReason(h LockInfo) string {
	host, ok := hostname()
	if !ok || hostOf(h.Who) != host {
		return ""
	}
	if s.sameNamespace(h) {
		if s.processAlive(h.PID) {
			return ""
		}
		return "that process is gone"
	}
	if age := s.now().Sub(h.Heartbeat); age > s.staleAfter {
		return fmt.Sprintf("it runs in another PID namespace and its heartbeat stopped %s ago", age.Round(time.Second))
	}
	return ""
}

// sameNamespace says whether h's PID can be checked from here.
func (s *Store) sameNamespace(h LockInfo) bool {
	return s.pidNS != "" && h.PIDNamespace == s.pidNS
}

func (s *Store) lockedError(h LockInfo, timeout time.Duration) *LockedError {
	age := s.now().Sub(h.Heartbeat)
	host, ok := hostname()
	return &LockedError{
		Holder: h, Age: age, Waited: timeout,
		Stale:          age > s.staleAfter,
		OtherNamespace: ok && hostOf(h.Who) == host && !s.sameNamespace(h),
	}
}

// OnLockWait has f called once when Lock finds the lock held and starts
// waiting for it, so the user knows why nothing happens.
func (s *Store) OnLockWait(f func(holder LockInfo)) { s.onLockWait = f }

// tryLock inserts the lock row unless one exists; a zero LockInfo means
// someone else holds it.
func (s *Store) tryLock(ctx context.Context, operation string) (LockInfo, error) {
	row := s.newLockRow(operation)
	res, err := s.db.NewInsert().Model(row).On("CONFLICT (name) DO NOTHING").Exec(ctx)
	if err != nil {
		return LockInfo{}, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return LockInfo{}, err
	}
	return row.info(), nil
}

// takeOver replaces the lock row with ID deadID by ours, in one
// transaction, so two processes taking over the same dead lock cannot
// both win. A zero LockInfo means the row was no longer deadID's.
func (s *Store) takeOver(ctx context.Context, operation, deadID string) (LockInfo, error) {
	row := s.newLockRow(operation)
	taken := false
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*lockRow)(nil)).Where("name = ? AND id = ?", lockName, deadID).Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			return err
		}
		taken = true
		return nil
	})
	if err != nil || !taken {
		return LockInfo{}, err
	}
	return row.info(), nil
}

func (s *Store) newLockRow(operation string) *lockRow {
	now := utc(s.now())
	return &lockRow{
		Name: lockName, ID: newRandomID(), Operation: operation,
		Who: whoAmI(), PID: os.Getpid(), PIDNamespace: s.pidNS, Since: now, Heartbeat: now,
	}
}

func (s *Store) lockHolder(ctx context.Context) (*LockInfo, error) {
	var row lockRow
	err := s.db.NewSelect().Model(&row).Where("name = ?", lockName).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	info := row.info()
	return &info, nil
}

// LockHolder returns who holds the state lock, or nil when nobody does.
func (s *Store) LockHolder(ctx context.Context) (*LockInfo, error) {
	info, err := s.lockHolder(ctx)
	if err != nil {
		return nil, fmt.Errorf("read state lock: %w", err)
	}
	return info, nil
}

// ForceUnlock removes the lock with the given ID, whoever holds it.
func (s *Store) ForceUnlock(ctx context.Context, id string) error {
	res, err := s.db.NewDelete().Model((*lockRow)(nil)).Where("name = ? AND id = ?", lockName, id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("force-unlock %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		holder, herr := s.lockHolder(ctx)
		if herr == nil && holder != nil {
			return fmt.Errorf("force-unlock %s: the state lock has ID %s (held by %s for %s)", id, holder.ID, holder.Who, holder.Operation)
		}
		return fmt.Errorf("force-unlock %s: the state is not locked", id)
	}
	return nil
}

func (s *Store) startHeartbeat(info LockInfo) *Lock {
	db, closeDB := s.heartbeatDB()
	l := &Lock{Info: info, store: s, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		defer closeDB()
		l.beat(db, s.heartbeatEvery)
	}()
	return l
}

// heartbeatDB is what the heartbeat writes through. A SQLite store has one
// connection, which a long read or write of state holds for as long as it
// lasts; the heartbeat gets its own, so that it stays fresh meanwhile (in
// WAL mode a reader never blocks it). PostgreSQL's pool has connections
// to spare.
func (s *Store) heartbeatDB() (*bun.DB, func()) {
	if s.backend != BackendSQLite || s.path == "" {
		return s.db, func() {}
	}
	sqldb, err := sql.Open("sqlite", sqliteDSN(s.path))
	if err != nil {
		return s.db, func() {} // the shared connection still beats, if less surely
	}
	sqldb.SetMaxOpenConns(1)
	db := bun.NewDB(sqldb, sqlitedialect.New())
	return db, func() { db.Close() }
}

// Lock is a held state lock. Its heartbeat is refreshed in the background
// until Unlock.
type Lock struct {
	Info LockInfo
	// TookOverFrom is the lock this one replaced because its holder, a
	// process of this host, was gone; nil when the lock was free.
	TookOverFrom *LockInfo
	// TakeOverReason says how the holder was known to be gone.
	TakeOverReason string

	store    *Store
	stop     chan struct{}
	done     chan struct{} // closed when the heartbeat goroutine has ended
	stopOnce sync.Once
}

func (l *Lock) beat(db *bun.DB, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			// A missed beat is retried on the next tick; the lock only
			// looks stale after many missed ones.
			ctx, cancel := context.WithTimeout(context.Background(), every)
			_, _ = db.NewUpdate().Model((*lockRow)(nil)).
				Set("heartbeat = ?", utc(l.store.now())).
				Where("name = ? AND id = ?", lockName, l.Info.ID).Exec(ctx)
			cancel()
			if l.store.onBeat != nil {
				l.store.onBeat()
			}
		}
	}
}

// Unlock stops the heartbeat and releases the lock. It fails when the lock
// was force-unlocked meanwhile.
func (l *Lock) Unlock(ctx context.Context) error {
	l.stopOnce.Do(func() { close(l.stop) })
	<-l.done
	res, err := l.store.db.NewDelete().Model((*lockRow)(nil)).Where("name = ? AND id = ?", lockName, l.Info.ID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("unlock state: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("unlock state: lock %s was no longer held (force-unlocked?)", l.Info.ID)
	}
	return nil
}

// LockedError says the state is locked by someone else.
type LockedError struct {
	Holder LockInfo
	// Stale says the holder's heartbeat stopped: it probably died, or it
	// is paused or cut off from the store.
	Stale bool
	Age   time.Duration // since the holder's last heartbeat
	// OtherNamespace says the holder is of this host but its PID cannot be
	// checked from here (another PID namespace, or one not recorded).
	OtherNamespace bool
	// Waited is the -lock-timeout that passed, or was cut short.
	Waited time.Duration
}

func (e *LockedError) Error() string {
	h := e.Holder
	pid := fmt.Sprintf("pid %d", h.PID)
	if e.OtherNamespace {
		pid += " in another PID namespace"
	}
	msg := fmt.Sprintf("state is locked by %s (%s) for %s since %s (lock ID %s)",
		h.Who, pid, h.Operation, h.Since.UTC().Format(time.RFC3339), h.ID)
	if e.Stale {
		msg += fmt.Sprintf("; its heartbeat is %s old", e.Age.Round(time.Second))
	}
	return msg
}

func (r lockRow) info() LockInfo {
	return LockInfo{ID: r.ID, Operation: r.Operation, Who: r.Who, PID: r.PID, PIDNamespace: r.PIDNamespace,
		Since: utc(r.Since), Heartbeat: utc(r.Heartbeat)}
}

func whoAmI() string {
	name := os.Getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	host, ok := hostname()
	if !ok {
		host = "unknown-host"
	}
	return name + "@" + host
}

// hostname is this host's name; false when it cannot be known, and then
// no holder counts as being on this host.
func hostname() (string, bool) {
	host, err := os.Hostname()
	return host, err == nil && host != ""
}

// hostOf is the host part of a LockInfo.Who (user@host).
func hostOf(who string) string {
	i := strings.LastIndex(who, "@")
	if i < 0 {
		return ""
	}
	return who[i+1:]
}
