package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
)

// Session is what plan and apply share: the configuration, the clock, the
// open state store and the scanned dumps.
type Session struct {
	Config *config.Config
	Now    int64
	State  *state.Store
	// inv is the dumps scanned before state existed; nil once used.
	inv *krakencsv.Inventory
	// Refresh reads the sink before planning and plans as if drifted
	// coverage were forgotten (plan -refresh); it writes nothing.
	Refresh bool
	// Targets and Excludes limit the plan to part of the configuration.
	Targets, Excludes []planner.Target
	// Sink is the sink the plan is made for, once planned.
	Sink SinkBinding
	// emit receives what the session notices along the way.
	emit func(Event)
}

// refreshed reports drift between state and the sink and returns the
// snapshot without the drifted coverage.
func (s *Session) refreshed(ctx context.Context, snap *state.Snapshot) (*state.Snapshot, error) {
	if !s.Sink.Identity.Exists() {
		return snap, nil // nothing to read: see detectDrift
	}
	drifts, err := detectDrift(ctx, s.Config, snap, func(checked, total int) {
		s.emit(DriftProgress{Checked: checked, Total: total})
	})
	if err != nil {
		return nil, err
	}
	s.emit(Refreshed{Drifts: drifts, Series: loadedSeries(snap), Sink: s.Sink.Identity})
	return executor.WithoutDrift(snap, drifts), nil
}

// Options are what a session is opened with.
type Options struct {
	Now int64
	// Write opens state for writing (apply), else read-only (plan).
	Write             bool
	Targets, Excludes []planner.Target
	// Emit receives what the session notices (Event); nil drops it.
	Emit func(Event)
}

// Open opens cfg's state: for writing or read-only. When a store to write
// does not exist yet, the dumps are scanned first, so that a broken dump
// stops the command before anything is created.
func Open(ctx context.Context, cfg *config.Config, o Options) (*Session, error) {
	s := &Session{Config: cfg, Now: o.Now, Targets: o.Targets, Excludes: o.Excludes, emit: o.Emit}
	if s.emit == nil {
		s.emit = func(Event) {}
	}
	var err error
	if !o.Write {
		if s.State, err = OpenStateReadOnly(ctx, cfg); err != nil {
			return nil, err
		}
		return s, nil
	}
	if !StateExists(cfg) {
		if s.inv, err = s.scan(ctx, nil); err != nil {
			return nil, err
		}
	}
	if s.State, err = OpenState(ctx, cfg); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Session) Close() error { return s.State.Close() }

// Plan scans the dumps (through the fingerprint cache), reads state and
// computes the plan.
func (s *Session) Plan(ctx context.Context) (*planner.Plan, error) {
	inv := s.inv
	s.inv = nil
	if inv == nil {
		cached, err := s.State.FileCache(ctx)
		if err != nil {
			return nil, fmt.Errorf("read fingerprint cache: %w", err)
		}
		known := make(map[string]krakencsv.CacheEntry, len(cached))
		for k, e := range cached {
			known[k] = krakencsv.CacheEntry{Key: e.Key, Fingerprint: e.Fingerprint, Profile: krakencsv.Profile{Rows: e.Rows, First: e.First, Last: e.Last}}
		}
		if inv, err = s.scan(ctx, known); err != nil {
			return nil, err
		}
	}
	if len(inv.CacheUpdates) > 0 {
		if err := s.saveCache(ctx, inv.CacheUpdates); err != nil {
			return nil, err
		}
	}
	var err error
	if s.Sink, err = BindSink(ctx, s.Config, s.State); err != nil {
		return nil, err
	}
	snap, err := s.State.Snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("read state: %w", err)
	}
	if s.Refresh {
		if !s.Sink.Checked {
			return nil, fmt.Errorf("plan -refresh reads the sink, which could not be reached: %w", s.Sink.Unchecked)
		}
		if snap, err = s.refreshed(ctx, snap); err != nil {
			return nil, err
		}
	}
	in := planner.Input{Config: s.Config, State: snap, Inventory: inv, Now: s.Now,
		Targets: s.Targets, Excludes: s.Excludes,
		Pairs: KnownPairs(s.Config)}
	p := planner.Compute(in)
	if p, err = s.estimateRebuilds(ctx, in, p); err != nil {
		return nil, err
	}
	p.Sink, p.SinkChecked = s.Sink.Identity, s.Sink.Checked
	return p, nil
}

// saveCache keeps the dump files' fingerprints and profiles, so the next
// plan reads none of them again. apply saves them in its own store. A
// read-only plan saves them only where it may write and the store already
// exists with the current schema: the cache is no claim about the sink
// (it bumps no serial) and creating or upgrading state is apply's, so any
// failure (a read-only directory, a role that may only SELECT, a store
// busy past a second) just leaves the cache for later.
func (s *Session) saveCache(ctx context.Context, entries []krakencsv.CacheEntry) error {
	updates := make([]state.FileCacheEntry, len(entries))
	for i, e := range entries {
		updates[i] = state.FileCacheEntry{Key: e.Key, Fingerprint: e.Fingerprint, Rows: e.Profile.Rows, First: e.Profile.First, Last: e.Profile.Last}
	}
	if !s.State.ReadOnly() {
		if err := s.State.SaveFileCache(ctx, updates); err != nil {
			return fmt.Errorf("save fingerprint cache: %w", err)
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	st, err := OpenStateExisting(ctx, s.Config, false)
	if err != nil {
		return nil
	}
	defer st.Close()
	_ = st.SaveFileCache(ctx, updates) // a cache: best effort
	return nil
}

// scan scans every configured dump and emits what it noticed about them.
func (s *Session) scan(ctx context.Context, known map[string]krakencsv.CacheEntry) (*krakencsv.Inventory, error) {
	specs := make([]krakencsv.DumpSpec, len(s.Config.Dumps))
	for i, d := range s.Config.Dumps {
		specs[i] = krakencsv.DumpSpec{Name: d.Name, Path: d.Path, Kind: krakencsv.Kind(d.Kind), Until: d.Until, Quarter: d.Quarter, TrustEarlyEnds: d.TrustEarlyEnds, Now: s.Now}
	}
	inv, err := krakencsv.Scan(ctx, specs, known)
	if err != nil {
		return nil, err
	}
	for _, d := range inv.Dumps {
		for _, w := range d.Warnings {
			s.emit(DumpWarning{Dump: d.Spec.Name, Text: w})
		}
		if len(d.Ignored) > 0 {
			s.emit(DumpIgnored{Dump: d.Spec.Name, Names: d.Ignored})
		}
	}
	return inv, nil
}

// loadedSeries counts the series whose files plan -refresh compares with
// the sink: those with rows loaded from a file.
func loadedSeries(snap *state.Snapshot) int {
	seen := map[ohlc.Series]bool{}
	for _, f := range snap.Files {
		if f.Rows > 0 && f.Status != state.FileFailed {
			seen[f.Series] = true
		}
	}
	return len(seen)
}

// Event is something a session noticed, for the caller to show.
type Event interface{ sessionEvent() }

// DumpWarning is something odd a dump scan noticed.
type DumpWarning struct{ Dump, Text string }

// DumpIgnored names what a dump holds that is not a PAIR_INTERVAL.csv file.
type DumpIgnored struct {
	Dump  string
	Names []string
}

// Refreshed is what plan -refresh found reading the sink back: Drifts
// (none when nothing drifted) among the Series loaded from files.
type Refreshed struct {
	Drifts []executor.Drift
	Series int
	Sink   ohlc.SinkIdentity
}

// DriftProgress is how far plan -refresh has read the sink back: Checked
// of Total calendar months.
type DriftProgress struct{ Checked, Total int }

func (DriftProgress) sessionEvent() {}
func (DumpWarning) sessionEvent()   {}
func (DumpIgnored) sessionEvent()   {}
func (Refreshed) sessionEvent()     {}
