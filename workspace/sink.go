package workspace

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/sinks/questdb"
	"github.com/feefifofunds/candlekeep/sinks/sqlite"
	"github.com/feefifofunds/candlekeep/state"
)

// SinkBinding is which sink a command's reads of state concern: the
// configured sink's identity, read from the sink when it can be reached,
// and what state knows of it.
type SinkBinding struct {
	Identity ohlc.SinkIdentity
	Checked  bool
	// Unchecked says why the sink could not be read, when it could not.
	Unchecked error
	Match     state.SinkMatch
}

// BindSink reads the configured sink's identity (a read, never a write)
// and makes st read and write that sink's coverage.
func BindSink(ctx context.Context, cfg *config.Config, st *state.Store) (SinkBinding, error) {
	id, err := identifySink(ctx, cfg)
	b := SinkBinding{Identity: id, Checked: err == nil, Unchecked: err}
	if b.Match, err = st.FindSink(ctx, id, b.Checked); err != nil {
		return b, err
	}
	st.UseSink(b.Match.ID)
	if !b.Checked && b.Match.Record != nil {
		b.Identity = b.Match.Record.Identity // the record fills in what could not be read
	}
	return b, nil
}

// identifySink reads which incarnation of the configured sink's table is
// there. On error the identity still names the sink's kind, address and
// table.
func identifySink(ctx context.Context, cfg *config.Config) (ohlc.SinkIdentity, error) {
	switch cfg.Sink.Type {
	case "", "sqlite":
		id, err := sqlite.Identify(ctx, cfg.Sink.Path, cfg.Sink.Table)
		id.Kind, id.Address, id.Table = "sqlite", SinkAddress(cfg), cfg.Sink.Table
		return id, err
	case "questdb":
		if err := SinkCredentials(cfg); err != nil {
			// The address may be among what is unset: state's record is
			// then found by kind and table.
			return ohlc.SinkIdentity{Kind: "questdb", Table: cfg.Sink.Table}, err
		}
		s, err := questdb.Open(ctx, cfg.Sink.Conf, cfg.Sink.Table)
		if err != nil {
			return ohlc.SinkIdentity{Kind: "questdb", Table: cfg.Sink.Table}, fmt.Errorf("open sink: %w", err)
		}
		defer s.Close()
		return s.Identify(ctx)
	}
	return ohlc.SinkIdentity{}, fmt.Errorf("sink type %q is not supported", cfg.Sink.Type)
}

// SetUpSink creates the sink's table if needed and returns its identity
// after that: what apply and init record coverage under.
func SetUpSink(ctx context.Context, cfg *config.Config, sink sinks.Sink) (ohlc.SinkIdentity, error) {
	if err := sink.Setup(ctx); err != nil {
		return ohlc.SinkIdentity{}, fmt.Errorf("set up sink: %w", err)
	}
	id, err := sink.Identify(ctx)
	if err != nil {
		return id, err
	}
	if id.Kind == "sqlite" {
		id.Address = SinkAddress(cfg)
	}
	return id, nil
}

// SinkAddress names a SQLite sink's file as state records it: relative to
// the configuration's directory when inside it, so a checkout moved or
// planned with another -chdir keeps its coverage.
func SinkAddress(cfg *config.Config) string {
	abs, err := filepath.Abs(cfg.Sink.Path)
	if err != nil {
		return filepath.ToSlash(cfg.Sink.Path)
	}
	if dir, err := filepath.Abs(cfg.Dir); err == nil {
		if rel, err := filepath.Rel(dir, abs); err == nil && filepath.IsLocal(rel) {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(abs)
}

// RegisterSink records the set-up sink in state and makes st write its
// coverage. A state upgraded from before sink identities gives its
// coverage to the sink found configured, when that table existed before
// set-up; claimed is how many series it held.
func RegisterSink(ctx context.Context, st *state.Store, before SinkBinding, after ohlc.SinkIdentity) (claimed int, err error) {
	rec, err := st.RegisterSink(ctx, after)
	if err != nil {
		return 0, err
	}
	if before.Match.ID == state.LegacySink && before.Identity.Exists() {
		if claimed, err = st.ClaimLegacy(ctx, rec.ID); err != nil {
			return 0, err
		}
	}
	st.UseSink(rec.ID)
	return claimed, nil
}
