package main

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
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
