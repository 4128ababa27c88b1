package ohlc

import (
	"slices"
	"strings"
)

// SpanSet is a sorted list of disjoint, non-adjacent, non-empty spans.
// Every function here returns a normalized set; inputs must be normalized
// unless the function says otherwise.
type SpanSet []Span

// NewSpanSet normalizes arbitrary spans: sorts them, drops empty ones and
// merges those that overlap or touch.
func NewSpanSet(spans ...Span) SpanSet {
	out := make(SpanSet, 0, len(spans))
	for _, s := range spans {
		if !s.Empty() {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b Span) int {
		switch {
		case a.Start < b.Start:
			return -1
		case a.Start > b.Start:
			return 1
		}
		return 0
	})
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.Start <= merged[n-1].End {
			merged[n-1].End = max(merged[n-1].End, s.End)
			continue
		}
		merged = append(merged, s)
	}
	if len(merged) == 0 {
		return nil
	}
	return merged
}

// Union returns every instant in a or b.
func Union(a, b SpanSet) SpanSet {
	all := make([]Span, 0, len(a)+len(b))
	all = append(all, a...)
	all = append(all, b...)
	return NewSpanSet(all...)
}

// Difference returns every instant in a that is not in b.
func Difference(a, b SpanSet) SpanSet {
	var out SpanSet
	j := 0
	for _, s := range a {
		cur := s
		for j < len(b) && b[j].End <= cur.Start {
			j++
		}
		k := j
		for k < len(b) && b[k].Start < cur.End {
			if b[k].Start > cur.Start {
				out = append(out, Span{Start: cur.Start, End: b[k].Start})
			}
			cur.Start = max(cur.Start, b[k].End)
			if cur.Empty() {
				break
			}
			k++
		}
		if !cur.Empty() {
			out = append(out, cur)
		}
	}
	return out
}

// Intersect returns every instant in both a and b.
func Intersect(a, b SpanSet) SpanSet {
	var out SpanSet
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if x := a[i].Intersect(b[j]); !x.Empty() {
			out = append(out, x)
		}
		if a[i].End < b[j].End {
			i++
		} else {
			j++
		}
	}
	return out
}

// Seconds is the total length of the set.
func (s SpanSet) Seconds() int64 {
	var n int64
	for _, sp := range s {
		n += sp.Seconds()
	}
	return n
}

// Contains reports whether t lies in the set.
func (s SpanSet) Contains(t int64) bool {
	i, found := slices.BinarySearchFunc(s, t, func(sp Span, t int64) int {
		switch {
		case sp.End <= t:
			return -1
		case sp.Start > t:
			return 1
		}
		return 0
	})
	_ = i
	return found
}

// Covers reports whether the whole span lies inside one span of the set.
func (s SpanSet) Covers(sp Span) bool {
	if sp.Empty() {
		return true
	}
	for _, x := range s {
		if x.Start <= sp.Start && sp.End <= x.End {
			return true
		}
	}
	return false
}

// Align shrinks every span to whole candles of the interval.
func (s SpanSet) Align(i Interval) SpanSet {
	out := make([]Span, 0, len(s))
	for _, sp := range s {
		out = append(out, sp.Align(i))
	}
	return NewSpanSet(out...)
}

// String renders the spans separated by commas.
func (s SpanSet) String() string {
	parts := make([]string, len(s))
	for i, sp := range s {
		parts[i] = sp.String()
	}
	return strings.Join(parts, ", ")
}
