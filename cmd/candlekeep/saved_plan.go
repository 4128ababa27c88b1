package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/planner/planfile"
	"github.com/feefifofunds/candlekeep/workspace"
)

// writePlanJSON prints the plan as the JSON document of a plan file.
func writePlanJSON(w io.Writer, p *planner.Plan) error {
	return planfile.Write(w, p, planfile.Meta{CandlekeepVersion: candlekeepVersion()})
}

// resolvePath makes a plan file path relative to -chdir, as -var-file is.
func resolvePath(env *cliEnv, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(env.dir, p)
}

// savePlan writes the plan file for 'apply FILE' (workspace.SavePlan)
// and, when announce is set, tells as Terraform does how to apply it.
func savePlan(env *cliEnv, p *planner.Plan, name string, announce bool) error {
	if err := workspace.SavePlan(resolvePath(env, name), p, planfile.Meta{CandlekeepVersion: candlekeepVersion()}); err != nil {
		return err
	}
	if announce {
		chdir := ""
		if env.dir != "." {
			chdir = "-chdir=" + env.dir + " "
		}
		fmt.Fprintf(env.stdout, "\nSaved the plan to: %s\n\nTo perform exactly these actions, run: candlekeep %sapply %s\n", name, chdir, name)
	}
	return nil
}

// readSavedPlan reads a plan file named relative to -chdir.
func readSavedPlan(env *cliEnv, name string) (*planner.Plan, planfile.Meta, error) {
	return workspace.ReadPlan(resolvePath(env, name))
}

// savedPlanFlags are the apply flags allowed with a saved plan: they
// decide how it runs and how it is shown, not what it does.
var savedPlanFlags = map[string]bool{
	"parallelism": true, "lock-timeout": true, "no-color": true,
	"auto-approve": true, "json": true, "log-format": true,
}

// savedPlanArg reads the plan file apply was given, if any. A saved plan
// is applied as it was reviewed, so flags that would plan differently are
// refused.
func savedPlanArg(env *cliEnv, fs *flag.FlagSet) (*planner.Plan, error) {
	switch {
	case fs.NArg() == 0:
		return nil, nil
	case fs.NArg() > 1 && strings.HasPrefix(fs.Arg(1), "-"):
		return nil, fmt.Errorf("flags go before the plan file: candlekeep apply [flags] FILE, got %q after %s", fs.Args()[1:], fs.Arg(0))
	case fs.NArg() > 1:
		return nil, fmt.Errorf("apply takes at most one argument, a saved plan file; got %q", fs.Args())
	}
	var planning []string
	fs.Visit(func(f *flag.Flag) {
		if !savedPlanFlags[f.Name] {
			planning = append(planning, "-"+f.Name)
		}
	})
	if len(planning) > 0 {
		return nil, fmt.Errorf("apply FILE takes no planning flags: they were fixed when the plan was made (remove %s)", strings.Join(planning, ", "))
	}
	p, _, err := readSavedPlan(env, fs.Arg(0))
	return p, err
}

// machineOutput returns env with what planning prints along the way (drift
// found by -refresh) sent to stderr, when stdout carries a document a
// program reads (JSON, markdown).
func machineOutput(env *cliEnv, machine bool) *cliEnv {
	if !machine {
		return env
	}
	quiet := *env
	quiet.stdout = env.stderr
	return &quiet
}
