package workspace

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/time/rate"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/sinks/questdb"
	"github.com/feefifofunds/candlekeep/sinks/sqlite"
	"github.com/feefifofunds/candlekeep/sources/krakenapi"
	"github.com/feefifofunds/candlekeep/state"
)

// OpenState opens the configured state store, running migrations.
func OpenState(ctx context.Context, cfg *config.Config) (*state.Store, error) {
	// state.Open's errors already say "open state …".
	return state.Open(ctx, state.Config{Backend: cfg.State.Backend, Path: cfg.State.Path, DSN: cfg.State.DSN})
}

// OpenStateExisting opens the configured state store for writing without
// creating or migrating it (only init and apply do that); a store older
// than this binary is refused (state.ErrUpgradeNeeded), unless allowOld.
func OpenStateExisting(ctx context.Context, cfg *config.Config, allowOld bool) (*state.Store, error) {
	return state.OpenExisting(ctx, state.Config{Backend: cfg.State.Backend, Path: cfg.State.Path, DSN: cfg.State.DSN}, allowOld)
}

// OpenStateReadOnly opens the configured state store for reading only:
// nothing is created, migrated or locked; a missing store reads as empty.
func OpenStateReadOnly(ctx context.Context, cfg *config.Config) (*state.Store, error) {
	return state.OpenReadOnly(ctx, state.Config{Backend: cfg.State.Backend, Path: cfg.State.Path, DSN: cfg.State.DSN})
}

// OpenBoundState opens state read-only and binds it to the configured
// sink: what the commands that inspect state read.
func OpenBoundState(ctx context.Context, cfg *config.Config) (*state.Store, SinkBinding, error) {
	st, err := OpenStateReadOnly(ctx, cfg)
	if err != nil {
		return nil, SinkBinding{}, err
	}
	b, err := BindSink(ctx, cfg, st)
	if err != nil {
		st.Close()
		return nil, SinkBinding{}, err
	}
	return st, b, nil
}

// OpenSinkReadOnly opens the configured sink for reading back, creating
// nothing: a SQLite file is opened read-only; a QuestDB sink only reads.
func OpenSinkReadOnly(ctx context.Context, cfg *config.Config) (sinks.Sink, error) {
	if cfg.Sink.Type == "questdb" {
		return OpenSink(ctx, cfg)
	}
	s, err := sqlite.OpenReadOnly(cfg.Sink.Path, cfg.Sink.Table)
	if err != nil {
		return nil, fmt.Errorf("open sink: %w", err)
	}
	return s, nil
}

// OpenSink opens the configured sink.
func OpenSink(ctx context.Context, cfg *config.Config) (sinks.Sink, error) {
	if err := SinkCredentials(cfg); err != nil {
		return nil, err
	}
	switch cfg.Sink.Type {
	case "", "sqlite":
		s, err := sqlite.Open(ctx, cfg.Sink.Path, cfg.Sink.Table)
		if err != nil {
			return nil, fmt.Errorf("open sink: %w", err)
		}
		return s, nil
	case "questdb":
		// Open parses the conf without the network; its errors never
		// hold the credentials.
		s, err := questdb.Open(ctx, cfg.Sink.Conf, cfg.Sink.Table)
		if err != nil {
			return nil, fmt.Errorf("open sink: %w", err)
		}
		return s, nil
	}
	return nil, fmt.Errorf("sink type %q is not supported", cfg.Sink.Type)
}

// closeWith closes c and joins its error into *err.
func closeWith(err *error, c interface{ Close() error }) {
	*err = errors.Join(*err, c.Close())
}

// NewAPIClient returns a Kraken REST client for the plan's backfills, with
// one rate limiter for all workers. Kraken's pair list is cached next to
// the default state, for a day.
func NewAPIClient(cfg *config.Config) *krakenapi.Client {
	retries := cfg.API.MaxRetries
	if retries == 0 {
		retries = -1 // the client reads 0 as "the default"
	}
	return krakenapi.New(krakenapi.Options{
		BaseURL:    cfg.API.BaseURL,
		Limiter:    rate.NewLimiter(rate.Limit(cfg.API.RateLimit), cfg.API.Burst),
		MaxRetries: retries,
		Timeout:    cfg.API.Timeout,
		KeepEmpty:  cfg.API.KeepEmpty,
		PairCache:  PairCachePath(cfg),
	})
}

// SinkCredentials is the last guard before the sink is opened, for a
// command that did not say it connects to it: an error naming the unset
// variables and where they are read, never a value.
func SinkCredentials(cfg *config.Config) error {
	if len(cfg.Sink.Unresolved) == 0 {
		return nil
	}
	where := make([]string, len(cfg.Sink.Unresolved))
	for i, u := range cfg.Sink.Unresolved {
		where[i] = fmt.Sprintf("%s (%s)", u.Name, u.Range)
	}
	return fmt.Errorf("open sink: its conf reads environment variables that are not set: %s", strings.Join(where, ", "))
}

// StateExists reports whether the state store is already there; a
// PostgreSQL store is assumed to be.
func StateExists(cfg *config.Config) bool {
	if cfg.State.Backend == state.BackendPostgres {
		return true
	}
	_, err := os.Stat(cfg.State.Path)
	return !errors.Is(err, os.ErrNotExist)
}

// PairCachePath is where the Kraken client keeps the AssetPairs answer.
func PairCachePath(cfg *config.Config) string {
	return filepath.Join(cfg.Dir, ".candlekeep", "assetpairs.json")
}

// KnownPairs is Kraken's pair list for the planner, from the client's cache
// file, read only: planning never fetches and never writes it. nil when
// there is no cached list (a first run offline, another API): the planner
// then calls no pair unknown. An unreadable file is no list either, since
// the list only sharpens warnings and must not stop a plan.
func KnownPairs(cfg *config.Config) *planner.PairList {
	list, err := krakenapi.ReadPairCache(PairCachePath(cfg), cfg.API.BaseURL)
	if err != nil || list == nil {
		return nil
	}
	return &planner.PairList{Names: list.Names}
}

// ReadState runs read on the state store bound to the configured sink,
// opened read-only, and closes it; where no store exists yet it does
// nothing: inspecting must not create a state, and none means nothing is
// recorded.
func ReadState(ctx context.Context, cfg *config.Config, read func(*state.Store) error) (err error) {
	if !StateExists(cfg) {
		return nil
	}
	st, _, err := OpenBoundState(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeWith(&err, st)
	return read(st)
}
