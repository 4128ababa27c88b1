package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
	"github.com/feefifofunds/candlekeep/workspace"
)

// session is what plan and apply share: the configuration, the clock, the
// open state store and the scanned dumps.
type session struct {
	env     *cliEnv
	noColor bool
	cfg     *config.Config
	now     int64
	st      *state.Store
	// inv is the dumps scanned before state existed; nil once used.
	inv *krakencsv.Inventory
	// refresh reads the sink before planning and plans as if drifted
	// coverage were forgotten (plan -refresh); it writes nothing.
	refresh bool
	// sel limits the plan to part of the configuration (-target,
	// -exclude).
	sel selection
	// sink is the sink the plan is made for, once planned.
	sink workspace.SinkBinding
}

// refreshed reports drift between state and the sink and returns the
// snapshot without the drifted coverage.
func (s *session) refreshed(ctx context.Context, snap *state.Snapshot) (_ *state.Snapshot, err error) {
	if !s.sink.Identity.Exists() {
		// No table: state holds nothing for it (see the sink notes), and
		// reading it would create it.
		return snap, nil
	}
	sink, err := workspace.OpenSinkReadOnly(ctx, s.cfg)
	if err != nil {
		return nil, err
	}
	defer closeWith(&err, sink)
	drifts, err := executor.DetectDrift(ctx, sink, snap)
	if err != nil {
		return nil, err
	}
	if len(drifts) > 0 {
		renderDrift(s.env.stdout, s.cfg, drifts, style{enabled: colorFor(s.env.stdout, s.noColor, s.env.environ)})
		fmt.Fprintln(s.env.stdout, "This plan loads them again; 'candlekeep refresh' makes state forget them.")
		fmt.Fprintln(s.env.stdout)
	} else {
		// Say what was read, so a clean refresh is not mistaken for none.
		fmt.Fprintf(s.env.stdout, "Refreshed: read back %s from sink %s; nothing drifted (the sink holds candles wherever state says files were loaded).\n\n",
			loadedSeries(snap), s.sink.Identity)
	}
	return executor.WithoutDrift(snap, drifts), nil
}

// openSession loads the configuration and opens state: for writing (apply)
// or read-only (plan). When a store to write does not exist yet, the dumps
// are scanned first, so that a broken dump stops the command before
// anything is created. Targets and excludes are checked against the
// configuration before anything is opened: one naming nothing is an
// error, not an empty plan.
func openSession(ctx context.Context, env *cliEnv, cf *configFlags, now int64, write bool, sel selection) (*session, error) {
	cfg, err := loadConfig(env, cf)
	if err != nil {
		return nil, err
	}
	if err := sel.check(cfg); err != nil {
		return nil, err
	}
	s := &session{env: env, noColor: cf.noColor, cfg: cfg, now: now, sel: sel}
	if !write {
		if s.st, err = workspace.OpenStateReadOnly(ctx, cfg); err != nil {
			return nil, err
		}
		return s, nil
	}
	if !workspace.StateExists(cfg) {
		if s.inv, err = s.scan(ctx, nil); err != nil {
			return nil, err
		}
	}
	if s.st, err = workspace.OpenState(ctx, cfg); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *session) Close() error { return s.st.Close() }

// plan scans the dumps (through the fingerprint cache), reads state and
// computes the plan.
func (s *session) plan(ctx context.Context) (*planner.Plan, error) {
	inv := s.inv
	s.inv = nil
	if inv == nil {
		cached, err := s.st.FileCache(ctx)
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
	if s.sink, err = workspace.BindSink(ctx, s.cfg, s.st); err != nil {
		return nil, err
	}
	snap, err := s.st.Snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("read state: %w", err)
	}
	if s.refresh {
		if !s.sink.Checked {
			return nil, fmt.Errorf("plan -refresh reads the sink, which could not be reached: %w", s.sink.Unchecked)
		}
		if snap, err = s.refreshed(ctx, snap); err != nil {
			return nil, err
		}
	}
	p := planner.Compute(planner.Input{Config: s.cfg, State: snap, Inventory: inv, Now: s.now,
		Targets: s.sel.targets.targets, Excludes: s.sel.excludes.targets,
		Pairs: workspace.KnownPairs(s.cfg)})
	p.Sink, p.SinkChecked = s.sink.Identity, s.sink.Checked
	return p, nil
}

// saveCache keeps the dump files' fingerprints and profiles, so the next
// plan reads none of them again. apply saves them in its own store. A
// read-only plan saves them only where it may write and the store already
// exists with the current schema: the cache is no claim about the sink
// (it bumps no serial) and creating or upgrading state is apply's, so any
// failure (a read-only directory, a role that may only SELECT, a store
// busy past a second) just leaves the cache for later.
func (s *session) saveCache(ctx context.Context, entries []krakencsv.CacheEntry) error {
	updates := make([]state.FileCacheEntry, len(entries))
	for i, e := range entries {
		updates[i] = state.FileCacheEntry{Key: e.Key, Fingerprint: e.Fingerprint, Rows: e.Profile.Rows, First: e.Profile.First, Last: e.Profile.Last}
	}
	if !s.st.ReadOnly() {
		if err := s.st.SaveFileCache(ctx, updates); err != nil {
			return fmt.Errorf("save fingerprint cache: %w", err)
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	st, err := workspace.OpenStateExisting(ctx, s.cfg, false)
	if err != nil {
		return nil
	}
	defer st.Close()
	_ = st.SaveFileCache(ctx, updates) // a cache: best effort
	return nil
}

// scan scans every configured dump and prints what it noticed about them.
func (s *session) scan(ctx context.Context, known map[string]krakencsv.CacheEntry) (*krakencsv.Inventory, error) {
	specs := make([]krakencsv.DumpSpec, len(s.cfg.Dumps))
	for i, d := range s.cfg.Dumps {
		specs[i] = krakencsv.DumpSpec{Name: d.Name, Path: d.Path, Kind: krakencsv.Kind(d.Kind), Until: d.Until, Quarter: d.Quarter, TrustEarlyEnds: d.TrustEarlyEnds, Now: s.now}
	}
	inv, err := krakencsv.Scan(ctx, specs, known)
	if err != nil {
		return nil, err
	}
	warn := style{enabled: colorFor(s.env.stderr, s.noColor, s.env.environ)}
	for _, d := range inv.Dumps {
		for _, w := range d.Warnings {
			fmt.Fprintf(s.env.stderr, "%s dump %q: %s\n", warn.yellow("Warning:"), d.Spec.Name, w)
		}
		if len(d.Ignored) > 0 {
			fmt.Fprintf(s.env.stderr, "%s dump %q: ignored what is not a PAIR_INTERVAL.csv file: %s\n", warn.yellow("Warning:"), d.Spec.Name, listSome(d.Ignored, 5))
		}
	}
	return inv, nil
}

// listSome joins the first n names and counts the rest.
func listSome(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}

// loadedSeries counts, as "3 series", the series whose files plan
// -refresh compares with the sink: those with rows loaded from a file.
func loadedSeries(snap *state.Snapshot) string {
	seen := map[ohlc.Series]bool{}
	for _, f := range snap.Files {
		if f.Rows > 0 && f.Status != state.FileFailed {
			seen[f.Series] = true
		}
	}
	return fmt.Sprintf("%s %s", count(int64(len(seen))), plural(len(seen), "series", "series"))
}
