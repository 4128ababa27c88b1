package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/workspace"
)

func runInit(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "init", "init [-var 'k=v'] [-var-file=FILE] [-no-color]")
	cf := configFlags{connects: connectsStateAndSink}
	cf.register(fs)
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("init takes no arguments, got %q", fs.Args())
	}
	cfg, err := loadConfig(env, &cf)
	if err != nil {
		return err
	}
	done, err := workspace.Init(ctx, cfg)
	if err != nil {
		return err
	}
	renderClaimed(env.stdout, done.Claimed, done.Sink, style{enabled: colorFor(env.stdout, cf.noColor, env.environ)})
	fmt.Fprintf(env.stdout, "State:  %s (lineage %s, serial %d), migrated.\n", describeState(cfg), done.Lineage, done.Serial)
	fmt.Fprintf(env.stdout, "Sink:   %s, ready.\n", describeSink(cfg))
	fmt.Fprintln(env.stdout, "\ncandlekeep has been initialized. Run 'candlekeep plan' to see what it would load.")
	return nil
}

// describeState names the state store without its secrets.
func describeState(cfg *config.Config) string {
	if cfg.State.Backend == "postgres" {
		return "postgres (DSN from the configuration)"
	}
	return "sqlite at " + relPath(cfg.Dir, cfg.State.Path)
}

// relPath shows p relative to the configuration directory when it is
// inside it.
func relPath(dir, p string) string {
	if r, err := filepath.Rel(dir, p); err == nil && filepath.IsLocal(r) {
		return r
	}
	return p
}

// describeSink names the sink without its secrets: for QuestDB only the
// table, never the conf string (it holds credentials).
func describeSink(cfg *config.Config) string {
	if cfg.Sink.Type == "questdb" {
		return fmt.Sprintf("questdb table %q (DEDUP UPSERT KEYS(timestamp, pair, interval))", cfg.Sink.Table)
	}
	return fmt.Sprintf("sqlite table %q at %s", cfg.Sink.Table, relPath(cfg.Dir, cfg.Sink.Path))
}
