package planner

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in      string
		want    Target
		wantErr string
	}{
		{in: "tier.TIER1", want: Target{Kind: TargetTier, Name: "TIER1"}},
		{in: "coverage.hourly", want: Target{Kind: TargetCoverage, Name: "hourly"}},
		{in: "coverage.v2.hourly", want: Target{Kind: TargetCoverage, Name: "v2.hourly"}},
		{in: "series.XBTUSD/60", want: Target{Kind: TargetSeries, Name: "XBTUSD/60", Series: xbt60}},
		{in: "series.XBTUSD/1d", want: Target{Kind: TargetSeries, Name: "XBTUSD/1440", Series: xbt1440}},
		{in: "tier.", wantErr: `target "tier." names no tier, such as tier.TIER1`},
		{in: "coverage. ", wantErr: `target "coverage. " names no coverage, such as coverage.hourly`},
		{in: "foo.bar", wantErr: `target "foo.bar": unknown kind "foo"; a target is tier.NAME, series.PAIR/INTERVAL or coverage.NAME`},
		{in: "tiers.TIER1", wantErr: `target "tiers.TIER1": unknown kind "tiers"; a target is tier.NAME, series.PAIR/INTERVAL or coverage.NAME. Did you mean "tier"?`},
		{in: "TIER1", wantErr: `target "TIER1" is not KIND.NAME, such as tier.TIER1, series.XBTUSD/60 or coverage.hourly`},
		{in: "", wantErr: `target "" is not KIND.NAME, such as tier.TIER1, series.XBTUSD/60 or coverage.hourly`},
		{in: "series.XBTUSD", wantErr: `target "series.XBTUSD": series "XBTUSD" is not PAIR/INTERVAL, such as XBTUSD/60`},
		{in: "series.XBTUSD/7", wantErr: `target "series.XBTUSD/7": series "XBTUSD/7": interval "7" (7 minutes) is not one Kraken publishes`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTarget(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("ParseTarget(%q) error = %v, want it to start with %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseTarget(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// targetConfig is the quickstart's shape: TIER1 hourly with a pair listed
// directly, both tiers daily, and a tier no coverage block uses.
func targetConfig(t *testing.T) *config.Config {
	window := config.Window{From: at(t, "2024-01-01"), To: at(t, "2024-02-01")}
	return &config.Config{
		Dir: cfgDir,
		Tiers: []config.Tier{
			tier1,
			{Name: "TIER2", Pairs: []string{"ADAUSD"}},
			{Name: "UNUSED", Pairs: []string{"DOTUSD"}},
		},
		Coverage: []config.Coverage{
			{Name: "hourly", Tiers: []string{"TIER1"}, Pairs: []string{"ETHUSD", "STORJUSD", "XBTUSD"}, Intervals: []ohlc.Interval{60}, Window: window},
			{Name: "daily", Tiers: []string{"TIER1", "TIER2"}, Pairs: []string{"ADAUSD", "ETHUSD", "XBTUSD"}, Intervals: []ohlc.Interval{1440}, Window: window},
		},
		Digest: "config-digest",
	}
}

func mustTargets(t *testing.T, specs ...string) []Target {
	t.Helper()
	targets := make([]Target, len(specs))
	for i, s := range specs {
		var err error
		if targets[i], err = ParseTarget(s); err != nil {
			t.Fatal(err)
		}
	}
	return targets
}

// seriesOf lists the distinct series of a plan's actions, in plan order.
func seriesOf(p *Plan) []string {
	var out []string
	for _, a := range p.Listing() {
		if s := a.Series.String(); len(out) == 0 || out[len(out)-1] != s {
			out = append(out, s)
		}
	}
	return out
}

func TestComputeTargets(t *testing.T) {
	tests := []struct {
		name        string
		targets     []string
		wantTargets []string
		wantSeries  []string
	}{
		{name: "no targets: everything", wantSeries: []string{"ADAUSD/1440", "ETHUSD/60", "ETHUSD/1440", "STORJUSD/60", "XBTUSD/60", "XBTUSD/1440"}},
		{name: "a tier: its pairs in every block naming it", targets: []string{"tier.TIER1"},
			wantSeries: []string{"ETHUSD/60", "ETHUSD/1440", "XBTUSD/60", "XBTUSD/1440"}},
		{name: "another tier", targets: []string{"tier.TIER2"}, wantSeries: []string{"ADAUSD/1440"}},
		{name: "a coverage block, direct pairs included", targets: []string{"coverage.hourly"},
			wantSeries: []string{"ETHUSD/60", "STORJUSD/60", "XBTUSD/60"}},
		{name: "one series", targets: []string{"series.XBTUSD/60"}, wantSeries: []string{"XBTUSD/60"}},
		{name: "a series by its interval's length", targets: []string{"series.XBTUSD/1d"},
			wantTargets: []string{"series.XBTUSD/1440"}, wantSeries: []string{"XBTUSD/1440"}},
		{name: "targets add up", targets: []string{"series.XBTUSD/60", "tier.TIER2"},
			wantTargets: []string{"series.XBTUSD/60", "tier.TIER2"}, wantSeries: []string{"ADAUSD/1440", "XBTUSD/60"}},
		{name: "overlapping targets: each series once", targets: []string{"tier.TIER1", "coverage.hourly", "tier.TIER1"},
			wantTargets: []string{"coverage.hourly", "tier.TIER1"},
			wantSeries:  []string{"ETHUSD/60", "ETHUSD/1440", "STORJUSD/60", "XBTUSD/60", "XBTUSD/1440"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := targetConfig(t)
			targets := mustTargets(t, tt.targets...)
			if err := CheckTargets(cfg, targets); err != nil {
				t.Fatal(err)
			}
			plan := Compute(Input{Config: cfg, Now: at(t, "2026-01-01"), Targets: targets})
			if diff := cmp.Diff(tt.wantSeries, seriesOf(plan)); diff != "" {
				t.Errorf("planned series (-want +got):\n%s", diff)
			}
			wantTargets := tt.wantTargets
			if wantTargets == nil {
				wantTargets = tt.targets
			}
			if diff := cmp.Diff(wantTargets, plan.Targets); diff != "" {
				t.Errorf("plan targets (-want +got):\n%s", diff)
			}
			if plan.Partial() != (len(tt.targets) > 0) {
				t.Errorf("Partial() = %v with targets %q", plan.Partial(), tt.targets)
			}
			// Every selected series is in scope, and here each one has
			// an action, so scope and planned series agree.
			var scope []string
			for _, s := range plan.Scope {
				scope = append(scope, s.String())
			}
			wantScope := tt.wantSeries
			if len(tt.targets) == 0 {
				wantScope = nil
			}
			if diff := cmp.Diff(wantScope, scope); diff != "" {
				t.Errorf("plan scope (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTargetsDeterministic: the order and repetition of -target flags
// change neither the plan nor its digest, and a partial plan's digest is
// not the whole plan's.
func TestTargetsDeterministic(t *testing.T) {
	cfg := targetConfig(t)
	now := at(t, "2026-01-01")
	a := Compute(Input{Config: cfg, Now: now, Targets: mustTargets(t, "tier.TIER2", "series.XBTUSD/60")})
	b := Compute(Input{Config: cfg, Now: now, Targets: mustTargets(t, "series.XBTUSD/60", "tier.TIER2", "tier.TIER2")})
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("plans differ by target order (-a +b):\n%s", diff)
	}
	if a.Digest() != b.Digest() {
		t.Errorf("digests differ by target order: %s, %s", a.Digest(), b.Digest())
	}
	digests := map[string]string{"partial": a.Digest()}
	for name, targets := range map[string][]Target{
		"whole":          nil,
		"tier only":      mustTargets(t, "tier.TIER2"),
		"same by series": mustTargets(t, "series.ADAUSD/1440", "series.XBTUSD/60"),
	} {
		d := Compute(Input{Config: cfg, Now: now, Targets: targets}).Digest()
		for other, od := range digests {
			if d == od {
				t.Errorf("plans %q and %q have the same digest", name, other)
			}
		}
		digests[name] = d
	}
}

func TestCheckTargets(t *testing.T) {
	tests := []struct {
		name    string
		targets []string
		want    []string // one line per failing target; none when all select something
	}{
		{name: "all select something", targets: []string{"tier.TIER1", "tier.TIER2", "coverage.daily", "series.STORJUSD/60"}},
		{name: "no targets"},
		{name: "unknown tier", targets: []string{"tier.NOPE"},
			want: []string{`-target=tier.NOPE: the configuration has no tier "NOPE"; its tiers are TIER1, TIER2, UNUSED`}},
		{name: "a tier by another case", targets: []string{"tier.tier1"},
			want: []string{`-target=tier.tier1: the configuration has no tier "tier1"; its tiers are TIER1, TIER2, UNUSED. Did you mean "TIER1"?`}},
		{name: "a tier no block uses", targets: []string{"tier.UNUSED"},
			want: []string{`-target=tier.UNUSED: tier "UNUSED" is in no coverage block, so it selects no series`}},
		{name: "misspelt coverage", targets: []string{"coverage.hourlly"},
			want: []string{`-target=coverage.hourlly: the configuration has no coverage block "hourlly"; its coverage blocks are hourly, daily. Did you mean "hourly"?`}},
		{name: "an interval not asked for", targets: []string{"series.XBTUSD/5"},
			want: []string{`-target=series.XBTUSD/5: no coverage block asks for XBTUSD/5; of XBTUSD it asks for XBTUSD/60, XBTUSD/1440`}},
		{name: "misspelt pair", targets: []string{"series.XBTUDS/60"},
			want: []string{`-target=series.XBTUDS/60: no coverage block asks for pair XBTUDS; its pairs are ADAUSD, ETHUSD, STORJUSD, XBTUSD. Did you mean "XBTUSD"?`}},
		{name: "a tier's pair outside its blocks", targets: []string{"series.DOTUSD/1440"},
			want: []string{`-target=series.DOTUSD/1440: no coverage block asks for pair DOTUSD; its pairs are ADAUSD, ETHUSD, STORJUSD, XBTUSD`}},
		{name: "every bad target at once, good ones not named", targets: []string{"tier.NOPE", "tier.TIER1", "coverage.weekly"},
			want: []string{
				`-target=tier.NOPE: the configuration has no tier "NOPE"; its tiers are TIER1, TIER2, UNUSED`,
				`-target=coverage.weekly: the configuration has no coverage block "weekly"; its coverage blocks are hourly, daily`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckTargets(targetConfig(t), mustTargets(t, tt.targets...))
			var got []string
			if err != nil {
				got = strings.Split(err.Error(), "\n")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CheckTargets errors (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCheckTargetsEmptyConfig: with nothing configured, every target
// fails and says so.
func TestCheckTargetsEmptyConfig(t *testing.T) {
	err := CheckTargets(&config.Config{}, mustTargets(t, "tier.TIER1"))
	want := `-target=tier.TIER1: the configuration has no tier "TIER1"; it declares no tiers`
	if err == nil || err.Error() != want {
		t.Errorf("CheckTargets = %v, want %q", err, want)
	}
	if !slices.Equal(targetNames(nil), nil) {
		t.Errorf("targetNames(nil) = %q, want nil", targetNames(nil))
	}
}
