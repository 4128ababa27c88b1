package planner

import (
	"cmp"
	"slices"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/ohlc/dump"
	"github.com/feefifofunds/candlekeep/ohlc/snapshot"
)

// candidate is one dump member that could fill part of a series' gaps.
type candidate struct {
	dump      *dump.Dump
	dumpOrder int // position of the dump in the configuration
	member    *dump.Member
	covers    ohlc.Span // what loading it vouches for (Dump.Covers)
}

// blocked is a span a candidate would have filled had its file not failed
// to load before; the final step reports it with the file's error.
type blocked struct {
	span   ohlc.Span
	member *dump.Member
	err    string
}

// indexCandidates groups every member of the inventory by series, in
// order of preference, each content (fingerprint) once.
func indexCandidates(inv *dump.Inventory) map[ohlc.Series][]candidate {
	out := make(map[ohlc.Series][]candidate)
	if inv == nil {
		return out
	}
	for order, d := range inv.Dumps {
		if d == nil {
			continue
		}
		for k := range d.Members {
			m := &d.Members[k]
			out[m.Series] = append(out[m.Series], candidate{
				dump: d, dumpOrder: order, member: m, covers: d.CoversMember(m),
			})
		}
	}
	for s, cs := range out {
		slices.SortFunc(cs, compareCandidates)
		// The same content in two dumps is loaded once, from the dump
		// preferred for it.
		seen := make(map[string]bool, len(cs))
		kept := cs[:0]
		for _, c := range cs {
			fp := c.member.Fingerprint
			if fp != "" && seen[fp] {
				continue
			}
			seen[fp] = true
			kept = append(kept, c)
		}
		out[s] = kept
	}
	return out
}

// compareCandidates orders candidates by preference: full-history dumps
// first, the latest cutoff first, since it holds the most in one file;
// then quarterly dumps by quarter; ties by configuration order, then
// member path.
func compareCandidates(a, b candidate) int {
	aq, bq := a.dump.Kind == dump.Quarterly, b.dump.Kind == dump.Quarterly
	switch {
	case aq != bq:
		if bq {
			return -1
		}
		return 1
	case !aq:
		if c := cmp.Compare(b.dump.Cutoff, a.dump.Cutoff); c != 0 {
			return c
		}
	default:
		if c := cmp.Compare(a.dump.Quarter.Start, b.dump.Quarter.Start); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(a.dumpOrder, b.dumpOrder); c != 0 {
		return c
	}
	return cmp.Compare(a.member.Path, b.member.Path)
}

// fillFromDumps is planning rule 3: each candidate in order of preference
// takes the part of the remaining gaps it covers, as one load_csv per
// contiguous span. A candidate whose content failed to load before is not
// planned again; what it would have filled is remembered as blocked.
func (p *planner) fillFromDumps(w *seriesWork, actions []Action) []Action {
	for _, c := range p.candidates[w.series] {
		if len(w.gaps) == 0 {
			break
		}
		part := ohlc.Intersect(w.gaps, ohlc.SpanSet{c.covers})
		if len(part) == 0 {
			continue
		}
		if rec, ok := p.files[snapshot.FileKey{Fingerprint: c.member.Fingerprint, Dump: c.dump.Spec.Name, Member: c.member.Path}]; ok && rec.Status == snapshot.FileFailed {
			for _, sp := range part {
				w.blocked = append(w.blocked, blocked{span: sp, member: c.member, err: rec.Error})
			}
			continue
		}
		src := &CSVSource{
			Dump:        c.dump.Spec.Name,
			DumpPath:    c.dump.Spec.Path,
			IsZip:       c.dump.IsZip,
			Member:      c.member.Path,
			Fingerprint: c.member.Fingerprint,
			Size:        c.member.Size,
			ModTime:     c.member.ModTime,
			Until:       c.dump.Spec.Until,
			First:       c.member.Profile.First,
			Last:        c.member.Profile.Last,
		}
		if c.dump.Kind != dump.FullHistory {
			src.Until = 0
		}
		for _, sp := range part {
			actions = append(actions, Action{
				Kind:     LoadCSV,
				Series:   w.series,
				Span:     sp,
				CSV:      src,
				Estimate: estimateRows(c.member.Profile, w.series.Interval, sp),
			})
		}
		w.gaps = ohlc.Difference(w.gaps, part)
	}
	return actions
}

// estimateRows prorates a member's row count to the part of its rows'
// time range that sp overlaps.
func estimateRows(pr dump.Profile, iv ohlc.Interval, sp ohlc.Span) int64 {
	if pr.Rows <= 0 {
		return 0
	}
	rows := ohlc.Span{Start: pr.First, End: pr.Last + iv.Seconds()}
	overlap := rows.Intersect(sp)
	switch {
	case overlap.Empty():
		return 0
	case overlap == rows:
		return pr.Rows
	}
	// Rows × seconds stays far below 2^63 for any real file (6e6 × 4e8).
	return pr.Rows * overlap.Seconds() / rows.Seconds()
}

// earlyEnds warns of the planned series' files that end long before their
// pair's other files in the same dump, saying whether the dump trusts the
// difference to be "no trades".
func (p *planner) earlyEnds(series []ohlc.Series) []Warning {
	var out []Warning
	for _, s := range series {
		for _, c := range p.candidates[s] {
			m := c.member
			if m.EndsEarly == 0 {
				continue
			}
			code := WarnFileEndsEarly
			if c.dump.Spec.TrustEarlyEnds {
				code = WarnFileEndsEarlyTrusted
			}
			out = append(out, Warning{Code: code, Series: s,
				Span:  ohlc.Span{Start: m.Profile.Last + s.Interval.Seconds(), End: m.EndsEarly},
				Hints: []string{c.dump.Spec.Name, m.Path}})
		}
	}
	return out
}
