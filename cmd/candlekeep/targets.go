package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/feefifofunds/candlekeep/planner"
)

// targetFlag is the repeatable -target of plan and apply.
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

// renderPartialWarning tells, after a targeted plan, that the plan does not
// speak for the rest of the configuration, as Terraform's "Resource
// targeting is in effect" does.
func renderPartialWarning(w io.Writer, p *planner.Plan, st style) {
	if !p.Partial() {
		return
	}
	flags := make([]string, len(p.Targets))
	for i, t := range p.Targets {
		flags[i] = "-target=" + t
	}
	verb := "was"
	list := flags[0]
	if n := len(flags); n > 1 {
		verb = "were"
		list = strings.Join(flags[:n-1], ", ") + " and " + flags[n-1]
	}
	fmt.Fprintf(w, "\n%s this plan is partial: only %s %s planned; the rest of the configuration was not looked at.\n",
		st.yellow(st.bold("Warning:")), list, verb)
	fmt.Fprintln(w, "Run without -target to see everything the configuration still needs.")
}
