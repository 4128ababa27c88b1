package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"golang.org/x/time/rate"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/sinks/questdb"
	"github.com/feefifofunds/candlekeep/sinks/sqlite"
	"github.com/feefifofunds/candlekeep/sources/krakenapi"
	"github.com/feefifofunds/candlekeep/state"
)

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// configFlags are the flags of every command that reads the configuration.
type configFlags struct {
	vars     stringList
	varFiles stringList
	noColor  bool
	// connects says which credentials must resolve; see connects.
	connects connects
}

func (f *configFlags) register(fs *flag.FlagSet) {
	fs.Var(&f.vars, "var", "set a variable: -var 'name=value' (repeatable)")
	fs.Var(&f.varFiles, "var-file", "read variable values from an HCL file (repeatable)")
	fs.BoolVar(&f.noColor, "no-color", false, "never colour the output")
}

// clockFlag is -now, which fixes the clock for reproducible results.
type clockFlag struct{ value string }

func (c *clockFlag) register(fs *flag.FlagSet) {
	fs.StringVar(&c.value, "now", "", "compute as if it were this time (2024-07-01, 2024-07-01 10:00 in UTC, or with Z or an offset); default: the current time")
}

func (c *clockFlag) now() (int64, error) {
	if c.value == "" || c.value == "now" {
		return time.Now().Unix(), nil
	}
	t, err := ohlc.ParseTime(c.value)
	if err != nil {
		return 0, fmt.Errorf("-now: %w", err)
	}
	return t, nil
}

// loadConfig loads the configuration and prints its diagnostics; on errors
// it returns errReported.
func loadConfig(env *cliEnv, f *configFlags) (*config.Config, error) {
	varFiles := resolveVarFiles(env, f.varFiles)
	cfg, diags := config.Load(env.dir, config.LoadOptions{Vars: f.vars, VarFiles: varFiles, Environ: env.environ, DeferSecrets: true})
	if !diags.HasErrors() {
		diags = append(diags, f.connects.require(cfg)...)
	}
	if len(diags) > 0 {
		var files = map[string]*hcl.File{}
		if cfg != nil {
			files = cfg.Files
		}
		_ = config.WriteDiagnostics(env.stderr, files, diags, uint(terminalWidth(env.stderr)), colorFor(env.stderr, f.noColor, env.environ))
	}
	if diags.HasErrors() {
		return nil, errReported
	}
	return cfg, nil
}

// resolveVarFiles makes -var-file paths relative to -chdir: it works as if
// candlekeep had changed directory first, as Terraform's does.
func resolveVarFiles(env *cliEnv, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		if !filepath.IsAbs(p) {
			p = filepath.Join(env.dir, p)
		}
		out[i] = p
	}
	return out
}

// loadConfigAndState loads the configuration and opens its state store:
// what every command that reads or writes state starts with.
func loadConfigAndState(ctx context.Context, env *cliEnv, cf *configFlags) (*config.Config, *state.Store, error) {
	cfg, err := loadConfig(env, cf)
	if err != nil {
		return nil, nil, err
	}
	st, err := openState(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return cfg, st, nil
}

// openState opens the configured state store, running migrations.
func openState(ctx context.Context, cfg *config.Config) (*state.Store, error) {
	// state.Open's errors already say "open state …".
	return state.Open(ctx, state.Config{Backend: cfg.State.Backend, Path: cfg.State.Path, DSN: cfg.State.DSN})
}

// openStateExisting opens the configured state store for writing without
// creating or migrating it (only init and apply do that); a store older
// than this binary is refused with the command that upgrades it, unless
// allowOld.
func openStateExisting(ctx context.Context, cfg *config.Config, allowOld bool) (*state.Store, error) {
	st, err := state.OpenExisting(ctx, state.Config{Backend: cfg.State.Backend, Path: cfg.State.Path, DSN: cfg.State.DSN}, allowOld)
	if errors.Is(err, state.ErrUpgradeNeeded) {
		return nil, fmt.Errorf("%w; run 'candlekeep init' (or 'candlekeep apply') to upgrade it", err)
	}
	return st, err
}

// openStateReadOnly opens the configured state store for reading only:
// nothing is created, migrated or locked; a missing store reads as empty.
func openStateReadOnly(ctx context.Context, cfg *config.Config) (*state.Store, error) {
	return state.OpenReadOnly(ctx, state.Config{Backend: cfg.State.Backend, Path: cfg.State.Path, DSN: cfg.State.DSN})
}

// openBoundState opens state read-only and binds it to the configured
// sink: what the commands that inspect state read.
func openBoundState(ctx context.Context, cfg *config.Config) (*state.Store, sinkBinding, error) {
	st, err := openStateReadOnly(ctx, cfg)
	if err != nil {
		return nil, sinkBinding{}, err
	}
	b, err := bindSink(ctx, cfg, st)
	if err != nil {
		st.Close()
		return nil, sinkBinding{}, err
	}
	return st, b, nil
}

// openSinkReadOnly opens the configured sink for reading back, creating
// nothing: a SQLite file is opened read-only; a QuestDB sink only reads.
func openSinkReadOnly(ctx context.Context, cfg *config.Config) (sinks.Sink, error) {
	if cfg.Sink.Type == "questdb" {
		return openSink(ctx, cfg)
	}
	s, err := sqlite.OpenReadOnly(cfg.Sink.Path, cfg.Sink.Table)
	if err != nil {
		return nil, fmt.Errorf("open sink: %w", err)
	}
	return s, nil
}

// openSink opens the configured sink.
func openSink(ctx context.Context, cfg *config.Config) (sinks.Sink, error) {
	if err := sinkCredentials(cfg); err != nil {
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

// newAPIClient returns a Kraken REST client for the plan's backfills, with
// one rate limiter for all workers. Kraken's pair list is cached next to
// the default state, for a day.
func newAPIClient(cfg *config.Config) *krakenapi.Client {
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
		PairCache:  pairCachePath(cfg),
	})
}
