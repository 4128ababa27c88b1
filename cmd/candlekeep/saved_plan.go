package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/planner/planfile"
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

// savePlan writes the plan file for 'apply FILE'. It writes a temporary
// file beside it and renames it, so a crash or a full disk never leaves a
// half-written plan under the name a reviewer approved. When announce is
// set it tells, as Terraform does, how to apply it.
func savePlan(env *cliEnv, p *planner.Plan, name string, announce bool) (err error) {
	path := resolvePath(env, name)
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := writePlanJSON(tmp, p); err != nil {
		return fmt.Errorf("save plan to %s: %w", name, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("save plan to %s: %w", name, err)
	}
	// CreateTemp makes the file private; a plan holds no secrets and is
	// meant to be shared for review.
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("save plan to %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save plan to %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save plan to %s: %w", name, err)
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

// readSavedPlan reads a plan file; its errors name the file.
func readSavedPlan(env *cliEnv, name string) (*planner.Plan, planfile.Meta, error) {
	f, err := os.Open(resolvePath(env, name))
	if err != nil {
		return nil, planfile.Meta{}, fmt.Errorf("read saved plan: %w", err)
	}
	defer f.Close()
	p, meta, err := planfile.Read(f)
	if err != nil {
		return nil, planfile.Meta{}, fmt.Errorf("%s: %w", name, err)
	}
	return p, meta, nil
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

// planOrSaved returns the saved plan when there is one, after checking
// that it still holds; otherwise it plans now.
func (s *session) planOrSaved(ctx context.Context, saved *planner.Plan) (*planner.Plan, error) {
	if saved == nil {
		return s.plan(ctx)
	}
	return s.checkSaved(ctx, saved)
}

// checkSaved refuses a saved plan made against another state, another
// configuration or other dumps than the present ones: applying it would
// do something other than what was reviewed. It runs under the state
// lock, so nothing can change between the check and the apply.
func (s *session) checkSaved(ctx context.Context, saved *planner.Plan) (*planner.Plan, error) {
	present, err := s.plan(ctx)
	if err != nil {
		return nil, err
	}
	var changes []string
	if saved.Sink.Kind != "" && !saved.Sink.SameTable(present.Sink) {
		return nil, fmt.Errorf("saved plan was made for sink %s, but the configuration names sink %s: nothing was applied; run 'candlekeep plan -out=FILE' for this sink", saved.Sink, present.Sink)
	}
	if saved.SinkChecked && present.SinkChecked && saved.Sink.Incarnation != present.Sink.Incarnation {
		changes = append(changes, fmt.Sprintf("the sink's table was created anew or dropped since (%s)", present.Sink))
	}
	// A plan made before state existed has no lineage: it holds for the
	// state apply creates, as long as nothing was written to it.
	fresh := saved.Lineage == "" && saved.Serial == 0
	switch {
	case fresh && present.Serial != 0:
		changes = append(changes, fmt.Sprintf("state was written since (serial 0 → %d)", present.Serial))
	case fresh:
	case present.Lineage != saved.Lineage:
		changes = append(changes, "lineage differs: this plan was made for another state")
	case present.Serial != saved.Serial:
		changes = append(changes, fmt.Sprintf("state was written since (serial %d → %d)", saved.Serial, present.Serial))
	}
	if present.ConfigDigest != saved.ConfigDigest {
		changes = append(changes, fmt.Sprintf("the configuration changed (digest %s → %s; variables count, and apply FILE reads them from CANDLEKEEP_VAR_name only)",
			short(saved.ConfigDigest), short(present.ConfigDigest)))
	}
	if present.InventoryDigest != saved.InventoryDigest {
		line := fmt.Sprintf("the dumps changed (digest %s → %s)", short(saved.InventoryDigest), short(present.InventoryDigest))
		if files := changedFiles(saved, present); len(files) > 0 {
			line += ": " + listSome(files, 5)
		}
		changes = append(changes, line)
	}
	if fresh {
		present.Lineage = "" // the state apply just created is the one planned for
	}
	if len(changes) == 0 && present.Digest() != saved.Digest() {
		// Same state, configuration and dumps, yet other actions: the
		// file was edited, or made by a candlekeep that plans otherwise.
		changes = append(changes, "its actions are not the ones the planner decides for this state, configuration and dumps (the file was edited, or made by another candlekeep version)")
	}
	if len(changes) > 0 {
		return nil, fmt.Errorf("saved plan is stale:\n  - %s\n\nNothing was applied. Run 'candlekeep plan -out=FILE' again and review the new plan.", strings.Join(changes, "\n  - "))
	}
	// The present plan has the same actions as the reviewed one (equal
	// digests), with its files' paths resolved from here: a plan made
	// with another -chdir or in another checkout still finds its dumps.
	return present, nil
}

// changedFiles names the dump files the two plans load differently: a
// file whose content changed, one only the saved plan loads (gone, or no
// longer needed), one only the present plan loads (new).
func changedFiles(saved, present *planner.Plan) []string {
	loads := func(p *planner.Plan) map[string]string {
		out := map[string]string{}
		for _, a := range p.Actions {
			if a.CSV != nil {
				out[a.CSV.Dump+" › "+a.CSV.Member] = a.CSV.Fingerprint
			}
		}
		return out
	}
	before, after := loads(saved), loads(present)
	var names []string
	for _, f := range slices.Sorted(maps.Keys(before)) {
		switch fp, ok := after[f]; {
		case !ok:
			names = append(names, f+" (no longer loaded)")
		case fp != before[f]:
			names = append(names, f+" (changed)")
		}
	}
	for _, f := range slices.Sorted(maps.Keys(after)) {
		if _, ok := before[f]; !ok {
			names = append(names, f+" (new)")
		}
	}
	return names
}

// short abbreviates a digest for a message.
func short(digest string) string {
	if len(digest) > 12 {
		return digest[:12] + "…"
	}
	return digest
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
