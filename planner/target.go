package planner

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
)

// TargetKind says what part of the configuration a target names.
type TargetKind string

// Target kinds, as written before the dot of -target=KIND.NAME.
const (
	TargetTier     TargetKind = "tier"     // the series asked for through a tier
	TargetCoverage TargetKind = "coverage" // the series a coverage block asks for
	TargetSeries   TargetKind = "series"   // one series
)

var targetKinds = []string{string(TargetTier), string(TargetSeries), string(TargetCoverage)}

// Target limits a plan to part of the configuration (-target=KIND.NAME).
type Target struct {
	Kind TargetKind
	// Name is the tier or coverage block name; for a series target, the
	// series as PAIR/MINUTES.
	Name   string
	Series ohlc.Series // series targets only
}

// String is the target as written on the command line, a series' interval
// in minutes: "tier.TIER1", "series.XBTUSD/60".
func (t Target) String() string { return string(t.Kind) + "." + t.Name }

// ParseTarget parses "tier.NAME", "coverage.NAME" or "series.PAIR/INTERVAL"
// (the interval in minutes or as "1h").
func ParseTarget(s string) (Target, error) {
	kind, name, ok := strings.Cut(s, ".")
	if !ok {
		return Target{}, fmt.Errorf("target %q is not KIND.NAME, such as tier.TIER1, series.XBTUSD/60 or coverage.hourly", s)
	}
	if !slices.Contains(targetKinds, kind) {
		return Target{}, fmt.Errorf("target %q: unknown kind %q; a target is tier.NAME, series.PAIR/INTERVAL or coverage.NAME%s",
			s, kind, didYouMean(closest(kind, targetKinds)))
	}
	if strings.TrimSpace(name) == "" {
		example := map[string]string{"tier": "tier.TIER1", "series": "series.XBTUSD/60", "coverage": "coverage.hourly"}[kind]
		return Target{}, fmt.Errorf("target %q names no %s, such as %s", s, kind, example)
	}
	t := Target{Kind: TargetKind(kind), Name: name}
	if t.Kind == TargetSeries {
		series, err := ohlc.ParseSeries(name)
		if err != nil {
			return Target{}, fmt.Errorf("target %q: %w", s, err)
		}
		t.Series, t.Name = series, series.String()
	}
	return t, nil
}

// Selects reports whether t selects series s, which the configuration asks
// for as w (see Desired).
func (t Target) Selects(s ohlc.Series, w Want) bool {
	switch t.Kind {
	case TargetTier:
		return slices.Contains(w.Tiers, t.Name)
	case TargetCoverage:
		return slices.Contains(w.Coverage, t.Name)
	case TargetSeries:
		return s == t.Series
	}
	return false
}

// Selected reports whether a plan limited by targets and excludes plans
// series s, which the configuration asks for as w: some target selects it
// (any series, when there are no targets) and no exclude does, as
// OpenTofu's -target and -exclude combine.
func Selected(s ohlc.Series, w Want, targets, excludes []Target) bool {
	selects := func(t Target) bool { return t.Selects(s, w) }
	if len(targets) > 0 && !slices.ContainsFunc(targets, selects) {
		return false
	}
	return !slices.ContainsFunc(excludes, selects)
}

// selectTargets keeps the series of desired that Selected keeps and
// returns them sorted.
func selectTargets(desired map[ohlc.Series]Want, targets, excludes []Target) []ohlc.Series {
	var kept []ohlc.Series
	for s, w := range desired {
		if !Selected(s, w, targets, excludes) {
			delete(desired, s)
			continue
		}
		kept = append(kept, s)
	}
	slices.SortFunc(kept, ohlc.Series.Compare)
	return kept
}

// targetNames is the targets as written, sorted and deduplicated, so that
// the order of the flags changes neither the plan nor its digest.
func targetNames(targets []Target) []string {
	if len(targets) == 0 {
		return nil
	}
	names := make([]string, len(targets))
	for i, t := range targets {
		names[i] = t.String()
	}
	return sortedUnique(names)
}

// CheckTargets reports every target that selects no series of cfg, naming
// what the configuration has instead. A target naming nothing is a mistake
// (a typo, a renamed tier), not a request for an empty plan.
func CheckTargets(cfg *config.Config, targets []Target) error {
	return checkSelectors(cfg, "-target", targets)
}

// CheckExcludes is CheckTargets for -exclude: an exclude naming nothing
// would silently leave in what it was meant to leave out. An exclude is
// checked against the whole configuration, not against what -target
// selected: excluding a series the targets already leave out is harmless.
func CheckExcludes(cfg *config.Config, excludes []Target) error {
	return checkSelectors(cfg, "-exclude", excludes)
}

func checkSelectors(cfg *config.Config, flag string, targets []Target) error {
	if len(targets) == 0 {
		return nil
	}
	// Which series exist does not depend on the clock.
	desired := Desired(cfg, 0)
	var errs []error
	for _, t := range targets {
		if err := checkTarget(cfg, desired, t); err != nil {
			errs = append(errs, fmt.Errorf("%s=%s: %w", flag, t, err))
		}
	}
	return errors.Join(errs...)
}

func checkTarget(cfg *config.Config, desired map[ohlc.Series]Want, t Target) error {
	for s, w := range desired {
		if t.Selects(s, w) {
			return nil
		}
	}
	switch t.Kind {
	case TargetTier:
		var names []string
		for _, tier := range cfg.Tiers {
			if tier.Name == t.Name {
				return fmt.Errorf("tier %q is in no coverage block, so it selects no series", t.Name)
			}
			names = append(names, tier.Name)
		}
		return fmt.Errorf("the configuration has no tier %q; %s%s", t.Name, listing("tiers", names), didYouMean(closest(t.Name, names)))
	case TargetCoverage:
		var names []string
		for _, c := range cfg.Coverage {
			names = append(names, c.Name)
		}
		return fmt.Errorf("the configuration has no coverage block %q; %s%s", t.Name, listing("coverage blocks", names), didYouMean(closest(t.Name, names)))
	}
	var pairs []string
	var same []ohlc.Series
	for s := range desired {
		pairs = append(pairs, s.Pair)
		if s.Pair == t.Series.Pair {
			same = append(same, s)
		}
	}
	if len(same) > 0 {
		slices.SortFunc(same, ohlc.Series.Compare)
		names := make([]string, len(same))
		for i, s := range same {
			names[i] = s.String()
		}
		return fmt.Errorf("no coverage block asks for %s; of %s it asks for %s", t.Series, t.Series.Pair, strings.Join(names, ", "))
	}
	pairs = sortedUnique(pairs)
	return fmt.Errorf("no coverage block asks for pair %s; %s%s", t.Series.Pair, listing("pairs", pairs), didYouMean(closest(t.Series.Pair, pairs)))
}

func listing(what string, names []string) string {
	if len(names) == 0 {
		return "it declares no " + what
	}
	return "its " + what + " are " + strings.Join(names, ", ")
}

func didYouMean(s string) string {
	if s == "" {
		return ""
	}
	return fmt.Sprintf(". Did you mean %q?", s)
}

// closest is the candidate nearest to given: equal but for case, or one
// edit away (two for names longer than six characters, since pair names
// are short and alike); "" when none is.
func closest(given string, candidates []string) string {
	limit := 1
	if len(given) > 6 {
		limit = 2
	}
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if strings.EqualFold(c, given) {
			return c
		}
		if d := editDistance(given, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance counts insertions, deletions, substitutions and swaps of
// neighbours (XBTUDS is one edit from XBTUSD).
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
