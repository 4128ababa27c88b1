package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// exitCode makes an error carry a specific exit status.
type exitCode struct {
	code int
	err  error
}

func (e *exitCode) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}
func (e *exitCode) Unwrap() error { return e.err }

// errReported is returned after the command already explained the failure
// (diagnostics, a failed action list): exit 1 with nothing more to print.
var errReported = errors.New("reported")

// command is one subcommand.
type command struct {
	name     string
	synopsis string
	run      func(ctx context.Context, env *cliEnv, args []string) error
}

var commands = []command{
	{"init", "Create or migrate the state store and create the sink table", runInit},
	{"validate", "Check the configuration offline", runValidate},
	{"fmt", "Rewrite configuration files in canonical format", runFmt},
	{"plan", "Show what apply would load and which gaps nothing can fill", runPlan},
	{"apply", "Load what the plan says and record it in state", runApply},
	{"show", "Show a plan saved with 'plan -out=FILE', as text or JSON", runShow},
	{"refresh", "Make state forget coverage the sink no longer holds", runRefresh},
	{"check", "Check that each series' data is fresh (exit 4 when stale)", runCheck},
	{"report", "Show how complete the configured candles are, from state alone", runReport},
	{"state", "Inspect state (no lock, read-only):", runState},
	{"gc", "Delete resolved gap records and finished runs older than their retention", runGC},
	{"force-unlock", "Release a state lock left behind by a process that died", runForceUnlock},
	{"version", "Print the candlekeep version", runVersion},
}

// cliEnv is what every command gets: the configuration directory and the
// streams it was given.
type cliEnv struct {
	dir     string
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	environ []string
	// flagErrorShown is set once a bad flag was reported (newFlagSet).
	flagErrorShown bool
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("candlekeep", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	chdir := fs.String("chdir", ".", "")
	showVersion := fs.Bool("version", false, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "Error: %v\n\n", err)
		usage(stderr)
		return 1
	}
	if *showVersion {
		args = []string{"version"}
	} else {
		args = fs.Args()
	}
	if len(args) == 0 {
		usage(stderr)
		return 1
	}
	env := &cliEnv{dir: filepath.Clean(*chdir), stdin: stdin, stdout: stdout, stderr: stderr, environ: os.Environ()}
	if fi, err := os.Stat(env.dir); err != nil || !fi.IsDir() {
		fmt.Fprintf(stderr, "Error: -chdir=%s: not a directory\n", *chdir)
		return 1
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "-help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands {
		if c.name != name {
			continue
		}
		err := c.run(ctx, env, args[1:])
		if env.flagErrorShown && err != nil {
			return 1 // said, with the usage, as the flags were parsed
		}
		return exitStatus(err, stderr)
	}
	fmt.Fprintf(stderr, "Error: unknown command %q\n\n", name)
	usage(stderr)
	return 1
}

func exitStatus(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	code := 1
	var ec *exitCode
	if errors.As(err, &ec) {
		code = ec.code
		err = ec.err
	}
	switch {
	case err == nil, errors.Is(err, errReported):
	case errors.Is(err, flag.ErrHelp):
		return 0
	default:
		fmt.Fprintf(stderr, "Error: %v\n", err)
	}
	return code
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: candlekeep [-chdir=DIR] <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "candlekeep keeps a database of Kraken OHLCV candles complete, as configured in *.hcl files.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-13s %s\n", c.name, c.synopsis)
		if c.name == "state" {
			for _, sc := range stateSynopses {
				fmt.Fprintf(w, "    %-11s %s\n", sc[0], sc[1])
			}
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Global flags:")
	fmt.Fprintln(w, "  -chdir=DIR  use the configuration in DIR (default: the current directory)")
	fmt.Fprintln(w, "  -version    print the version")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'candlekeep <command> -h' for a command's flags.")
}

// newFlagSet returns a flag set for a subcommand whose -h prints its
// usage, and on which a bad flag prints "Error: …" and then the usage.
func newFlagSet(env *cliEnv, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// The flag package prints a parse error to Output, then calls Usage.
	fs.SetOutput(flagErrorWriter{env})
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "Usage: candlekeep [-chdir=DIR] %s\n\n", synopsis)
		fs.SetOutput(env.stderr)
		fs.PrintDefaults()
		fs.SetOutput(flagErrorWriter{env})
	}
	return fs
}

// flagErrorWriter prints a flag parse error as an error, and notes that
// it was said, so that the command's returned error is not said twice.
type flagErrorWriter struct{ env *cliEnv }

func (f flagErrorWriter) Write(p []byte) (int, error) {
	f.env.flagErrorShown = true
	return fmt.Fprintf(f.env.stderr, "Error: %s", p)
}

func runVersion(_ context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "version", "version")
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("version takes no arguments")
	}
	fmt.Fprintf(env.stdout, "candlekeep %s\n", candlekeepVersion())
	return nil
}
