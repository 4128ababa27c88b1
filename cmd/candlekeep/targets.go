package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/planner"
)

// targetFlag is the repeatable -target of plan, apply and report.
type targetFlag struct{ targets []planner.Target }

func (f *targetFlag) String() string {
	if f == nil {
		return ""
	}
	names := make([]string, len(f.targets))
	for i, t := range f.targets {
		names[i] = t.String()
	}
	return strings.Join(names, ",")
}

// Set parses one -target at flag parsing, so a malformed one stops the
// command before anything is read.
func (f *targetFlag) Set(v string) error {
	t, err := planner.ParseTarget(v)
	if err != nil {
		return err
	}
	f.targets = append(f.targets, t)
	return nil
}

func (f *targetFlag) register(fs *flag.FlagSet) {
	fs.Var(f, "target", "plan only part of the configuration: tier.NAME, coverage.NAME or series.PAIR/INTERVAL (repeatable)")
}

// selection is what -target and -exclude chose: the series some target
// selects (all, without targets) less those an exclude selects.
type selection struct {
	targets, excludes targetFlag
}

// register adds -target and -exclude to fs.
func (s *selection) register(fs *flag.FlagSet) {
	s.targets.register(fs)
	fs.Var(&s.excludes, "exclude", "leave part of the configuration out: tier.NAME, coverage.NAME or series.PAIR/INTERVAL (repeatable; with -target, out of what it selects)")
}

// registerReport is register for a command that counts rather than
// plans: the same selectors, described for what they do there.
func (s *selection) registerReport(fs *flag.FlagSet) {
	fs.Var(&s.targets, "target", "report only part of the configuration: tier.NAME, coverage.NAME or series.PAIR/INTERVAL (repeatable)")
	fs.Var(&s.excludes, "exclude", "leave part of the configuration out of the report: tier.NAME, coverage.NAME or series.PAIR/INTERVAL (repeatable; with -target, out of what it selects)")
}

// check refuses a target or exclude that selects nothing in cfg, naming
// every such one.
func (s *selection) check(cfg *config.Config) error {
	return errors.Join(planner.CheckTargets(cfg, s.targets.targets), planner.CheckExcludes(cfg, s.excludes.targets))
}

// savedSelection is the selection a saved plan was made with.
func savedSelection(p *planner.Plan) (selection, error) {
	var s selection
	for _, list := range []struct {
		names []string
		into  *targetFlag
	}{{p.Targets, &s.targets}, {p.Excludes, &s.excludes}} {
		for _, name := range list.names {
			if err := list.into.Set(name); err != nil {
				return selection{}, fmt.Errorf("saved plan: %w", err)
			}
		}
	}
	return s, nil
}

// renderPartialWarning tells, after a plan limited by -target or -exclude,
// that the plan does not speak for the rest of the configuration, as
// Terraform's "Resource targeting is in effect" does.
func renderPartialWarning(w io.Writer, p *planner.Plan, st style) {
	if !p.Partial() {
		return
	}
	fmt.Fprintf(w, "\n%s this plan is partial: %s.\n", st.yellow(st.bold("Warning:")), partialWhat(p, func(s string) string { return s }))
	fmt.Fprintf(w, "Run without %s to see everything the configuration still needs.\n", joinAnd(partialFlags(p)))
}

// partialWhat says what a partial plan left out, each option shown by
// quote (which escapes it for markdown, say).
func partialWhat(p *planner.Plan, quote func(string) string) string {
	flags := func(name string, values []string) (string, string) {
		out := make([]string, len(values))
		for i, v := range values {
			out[i] = quote("-" + name + "=" + v)
		}
		verb := "was"
		if len(out) > 1 {
			verb = "were"
		}
		return joinAnd(out), verb
	}
	targets, tverb := flags("target", p.Targets)
	excludes, everb := flags("exclude", p.Excludes)
	switch {
	case len(p.Excludes) == 0:
		return fmt.Sprintf("only %s %s planned; the rest of the configuration was not looked at", targets, tverb)
	case len(p.Targets) == 0:
		return fmt.Sprintf("%s %s left out and not looked at; the rest of the configuration was planned", excludes, everb)
	}
	return fmt.Sprintf("only %s %s planned, and of that %s %s left out; the rest of the configuration was not looked at", targets, tverb, excludes, everb)
}

// partialFlags names the kinds of option that made p partial.
func partialFlags(p *planner.Plan) []string {
	var out []string
	if len(p.Targets) > 0 {
		out = append(out, "-target")
	}
	if len(p.Excludes) > 0 {
		out = append(out, "-exclude")
	}
	return out
}

// joinAnd lists names as "a", "a and b", "a, b and c".
func joinAnd(names []string) string {
	if n := len(names); n > 1 {
		return strings.Join(names[:n-1], ", ") + " and " + names[n-1]
	}
	return strings.Join(names, "")
}
