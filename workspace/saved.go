package workspace

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// StaleError refuses a saved plan: what changed since it was made.
type StaleError struct{ Changes []string }

func (e *StaleError) Error() string {
	return "saved plan is stale:\n  - " + strings.Join(e.Changes, "\n  - ")
}

// OtherSinkError refuses a saved plan made for another sink.
type OtherSinkError struct{ Saved, Present ohlc.SinkIdentity }

func (e *OtherSinkError) Error() string {
	return fmt.Sprintf("saved plan was made for sink %s, but the configuration names sink %s", e.Saved, e.Present)
}

// PlanOrSaved returns the saved plan when there is one, after checking
// that it still holds; otherwise it plans now.
func (s *Session) PlanOrSaved(ctx context.Context, saved *planner.Plan) (*planner.Plan, error) {
	if saved == nil {
		return s.Plan(ctx)
	}
	return s.checkSaved(ctx, saved)
}

// checkSaved refuses (StaleError, OtherSinkError) a saved plan made against another state, another
// configuration or other dumps than the present ones: applying it would
// do something other than what was reviewed. It runs under the state
// lock, so nothing can change between the check and the apply.
func (s *Session) checkSaved(ctx context.Context, saved *planner.Plan) (*planner.Plan, error) {
	present, err := s.Plan(ctx)
	if err != nil {
		return nil, err
	}
	var changes []string
	if saved.Sink.Kind != "" && !saved.Sink.SameTable(present.Sink) {
		return nil, &OtherSinkError{Saved: saved.Sink, Present: present.Sink}
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
		return nil, &StaleError{Changes: changes}
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

// listSome joins the first n names and counts the rest.
func listSome(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}
