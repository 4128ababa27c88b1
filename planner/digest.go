package planner

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Digest identifies the plan's content: the clock, the state it was
// computed against, every action, and the targets and excludes of a
// partial plan. Runs
// record it.
func (p *Plan) Digest() string {
	h := sha256.New()
	fmt.Fprintf(h, "now=%d lineage=%s serial=%d config=%s inventory=%s\n", p.Now, p.Lineage, p.Serial, p.ConfigDigest, p.InventoryDigest)
	// The sink's table, not its incarnation: a plan made where the sink
	// could not be reached is still the plan for that table.
	if p.Sink.Kind != "" {
		fmt.Fprintf(h, "sink=%s %s %s\n", p.Sink.Kind, p.Sink.Address, p.Sink.Table)
	}
	// Only a partial plan hashes its targets, so whole plans keep the
	// digests they had.
	if p.Partial() {
		fmt.Fprintf(h, "targets=%s\n", strings.Join(p.Targets, ","))
		// Likewise excludes, so that plans without them keep theirs.
		if len(p.Excludes) > 0 {
			fmt.Fprintf(h, "excludes=%s\n", strings.Join(p.Excludes, ","))
		}
		scope := make([]string, len(p.Scope))
		for i, s := range p.Scope {
			scope[i] = s.String()
		}
		fmt.Fprintf(h, "scope=%s\n", strings.Join(scope, ","))
	}
	// Gaps are hashed among the actions, as they were when they were
	// actions, so digests did not change when they moved to Plan.Gaps.
	for _, a := range p.Listing() {
		fmt.Fprintf(h, "%s %s %d %d", a.Kind, a.Series, a.Span.Start, a.Span.End)
		if a.CSV != nil {
			fmt.Fprintf(h, " %s %s %s", a.CSV.Dump, a.CSV.Member, a.CSV.Fingerprint)
		}
		if a.From != 0 {
			fmt.Fprintf(h, " from=%d", a.From)
		}
		// Only dependencies there are, so plans without keep their digests.
		if len(a.After) > 0 {
			fmt.Fprintf(h, " after=%v", a.After)
		}
		// Only rebuilds have builds, so other plans keep their digests.
		for _, b := range a.Builds {
			fmt.Fprintf(h, " build=%d:%d-%d", b.Interval, b.Span.Start, b.Span.End)
		}
		fmt.Fprintf(h, " %s\n", a.Reason)
	}
	for _, g := range p.Deferred {
		fmt.Fprintf(h, "deferred %s %d %d\n", g.Series, g.Span.Start, g.Span.End)
	}
	return hex.EncodeToString(h.Sum(nil))
}
