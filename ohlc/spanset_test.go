package ohlc

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func sp(start, end int64) Span { return Span{Start: start, End: end} }

func TestNewSpanSet(t *testing.T) {
	tests := []struct {
		name string
		in   []Span
		want SpanSet
	}{
		{"nothing", nil, nil},
		{"only empty spans", []Span{sp(5, 5), sp(9, 3)}, nil},
		{"one", []Span{sp(0, 10)}, SpanSet{sp(0, 10)}},
		{"sorted", []Span{sp(20, 30), sp(0, 10)}, SpanSet{sp(0, 10), sp(20, 30)}},
		{"adjacent merge", []Span{sp(10, 20), sp(0, 10)}, SpanSet{sp(0, 20)}},
		{"overlap merge", []Span{sp(0, 15), sp(10, 20)}, SpanSet{sp(0, 20)}},
		{"contained", []Span{sp(0, 100), sp(10, 20), sp(30, 40)}, SpanSet{sp(0, 100)}},
		{"chain", []Span{sp(30, 40), sp(0, 10), sp(20, 30), sp(10, 20)}, SpanSet{sp(0, 40)}},
		{"duplicates", []Span{sp(0, 10), sp(0, 10)}, SpanSet{sp(0, 10)}},
		{"empty dropped between", []Span{sp(0, 10), sp(15, 15), sp(20, 30)}, SpanSet{sp(0, 10), sp(20, 30)}},
		{"negative times", []Span{sp(-20, -10), sp(-10, 5)}, SpanSet{sp(-20, 5)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]Span(nil), tc.in...)
			if diff := cmp.Diff(tc.want, NewSpanSet(tc.in...)); diff != "" {
				t.Errorf("NewSpanSet(%v) (-want +got):\n%s", tc.in, diff)
			}
			if diff := cmp.Diff(in, tc.in); diff != "" {
				t.Errorf("NewSpanSet changed its input (-before +after):\n%s", diff)
			}
		})
	}
}

func TestUnion(t *testing.T) {
	tests := []struct {
		name string
		a, b SpanSet
		want SpanSet
	}{
		{"both empty", nil, nil, nil},
		{"a empty", nil, SpanSet{sp(0, 10)}, SpanSet{sp(0, 10)}},
		{"b empty", SpanSet{sp(0, 10)}, nil, SpanSet{sp(0, 10)}},
		{"disjoint", SpanSet{sp(0, 10)}, SpanSet{sp(20, 30)}, SpanSet{sp(0, 10), sp(20, 30)}},
		{"touching", SpanSet{sp(0, 10)}, SpanSet{sp(10, 30)}, SpanSet{sp(0, 30)}},
		{"bridge", SpanSet{sp(0, 10), sp(20, 30)}, SpanSet{sp(10, 20)}, SpanSet{sp(0, 30)}},
		{"interleaved", SpanSet{sp(0, 10), sp(20, 30)}, SpanSet{sp(5, 12), sp(40, 50)}, SpanSet{sp(0, 12), sp(20, 30), sp(40, 50)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Union(tc.a, tc.b)); diff != "" {
				t.Errorf("Union(%v, %v) (-want +got):\n%s", tc.a, tc.b, diff)
			}
			if diff := cmp.Diff(tc.want, Union(tc.b, tc.a)); diff != "" {
				t.Errorf("Union is not symmetric (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDifference(t *testing.T) {
	tests := []struct {
		name string
		a, b SpanSet
		want SpanSet
	}{
		{"both empty", nil, nil, nil},
		{"a empty", nil, SpanSet{sp(0, 10)}, nil},
		{"b empty", SpanSet{sp(0, 10)}, nil, SpanSet{sp(0, 10)}},
		{"equal", SpanSet{sp(0, 10)}, SpanSet{sp(0, 10)}, nil},
		{"b contains a", SpanSet{sp(5, 10)}, SpanSet{sp(0, 20)}, nil},
		{"b before a, touching", SpanSet{sp(10, 20)}, SpanSet{sp(0, 10)}, SpanSet{sp(10, 20)}},
		{"b after a, touching", SpanSet{sp(10, 20)}, SpanSet{sp(20, 30)}, SpanSet{sp(10, 20)}},
		{"b far away", SpanSet{sp(10, 20)}, SpanSet{sp(100, 200)}, SpanSet{sp(10, 20)}},
		{"cut head", SpanSet{sp(0, 20)}, SpanSet{sp(0, 5)}, SpanSet{sp(5, 20)}},
		{"cut tail", SpanSet{sp(0, 20)}, SpanSet{sp(15, 20)}, SpanSet{sp(0, 15)}},
		{"overlap head", SpanSet{sp(10, 20)}, SpanSet{sp(5, 15)}, SpanSet{sp(15, 20)}},
		{"overlap tail", SpanSet{sp(10, 20)}, SpanSet{sp(15, 25)}, SpanSet{sp(10, 15)}},
		{"hole in the middle", SpanSet{sp(0, 30)}, SpanSet{sp(10, 20)}, SpanSet{sp(0, 10), sp(20, 30)}},
		{"many b inside one a", SpanSet{sp(0, 100)}, SpanSet{sp(10, 20), sp(30, 40), sp(50, 60)},
			SpanSet{sp(0, 10), sp(20, 30), sp(40, 50), sp(60, 100)}},
		{"many b inside one a, touching both ends", SpanSet{sp(0, 100)}, SpanSet{sp(0, 20), sp(30, 40), sp(90, 100)},
			SpanSet{sp(20, 30), sp(40, 90)}},
		{"one b across many a", SpanSet{sp(0, 10), sp(20, 30), sp(40, 50)}, SpanSet{sp(5, 45)}, SpanSet{sp(0, 5), sp(45, 50)}},
		{"one b across a gap between a spans", SpanSet{sp(0, 10), sp(20, 30)}, SpanSet{sp(10, 20)}, SpanSet{sp(0, 10), sp(20, 30)}},
		{"b spans each in its own a", SpanSet{sp(0, 10), sp(20, 30)}, SpanSet{sp(2, 4), sp(22, 24)},
			SpanSet{sp(0, 2), sp(4, 10), sp(20, 22), sp(24, 30)}},
		{"b extends past the last a", SpanSet{sp(0, 10), sp(20, 30)}, SpanSet{sp(25, 100)}, SpanSet{sp(0, 10), sp(20, 25)}},
		{"b reused by the next a", SpanSet{sp(0, 10), sp(20, 30)}, SpanSet{sp(5, 25)}, SpanSet{sp(0, 5), sp(25, 30)}},
		{"negative times", SpanSet{sp(-100, 100)}, SpanSet{sp(-50, 0)}, SpanSet{sp(-100, -50), sp(0, 100)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Difference(tc.a, tc.b)); diff != "" {
				t.Errorf("Difference(%v, %v) (-want +got):\n%s", tc.a, tc.b, diff)
			}
		})
	}
}

func TestIntersect(t *testing.T) {
	tests := []struct {
		name string
		a, b SpanSet
		want SpanSet
	}{
		{"both empty", nil, nil, nil},
		{"a empty", nil, SpanSet{sp(0, 10)}, nil},
		{"touching only", SpanSet{sp(0, 10)}, SpanSet{sp(10, 20)}, nil},
		{"equal", SpanSet{sp(0, 10)}, SpanSet{sp(0, 10)}, SpanSet{sp(0, 10)}},
		{"contained", SpanSet{sp(0, 100)}, SpanSet{sp(10, 20), sp(30, 40)}, SpanSet{sp(10, 20), sp(30, 40)}},
		{"overlap", SpanSet{sp(0, 15)}, SpanSet{sp(10, 20)}, SpanSet{sp(10, 15)}},
		{"interleaved", SpanSet{sp(0, 10), sp(20, 30), sp(40, 50)}, SpanSet{sp(5, 25), sp(45, 60)},
			SpanSet{sp(5, 10), sp(20, 25), sp(45, 50)}},
		{"same end", SpanSet{sp(0, 10), sp(20, 30)}, SpanSet{sp(5, 10), sp(25, 30)}, SpanSet{sp(5, 10), sp(25, 30)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Intersect(tc.a, tc.b)); diff != "" {
				t.Errorf("Intersect(%v, %v) (-want +got):\n%s", tc.a, tc.b, diff)
			}
			if diff := cmp.Diff(tc.want, Intersect(tc.b, tc.a)); diff != "" {
				t.Errorf("Intersect is not symmetric (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSpanSetContainsAndCovers(t *testing.T) {
	set := SpanSet{sp(0, 10), sp(20, 30), sp(40, 50)}
	contains := map[int64]bool{-1: false, 0: true, 9: true, 10: false, 15: false, 20: true, 29: true, 30: false, 49: true, 50: false}
	for at, want := range contains {
		if got := set.Contains(at); got != want {
			t.Errorf("Contains(%d) = %v, want %v", at, got, want)
		}
	}
	if SpanSet(nil).Contains(0) {
		t.Error("an empty set contains 0")
	}
	covers := []struct {
		span Span
		want bool
	}{
		{sp(0, 10), true},
		{sp(2, 8), true},
		{sp(25, 30), true},
		{sp(5, 15), false},
		{sp(5, 25), false},  // across a hole
		{sp(0, 50), false},  // across every hole
		{sp(45, 51), false}, // past the end
		{sp(7, 7), true},    // empty
	}
	for _, tc := range covers {
		if got := set.Covers(tc.span); got != tc.want {
			t.Errorf("Covers(%v) = %v, want %v", tc.span, got, tc.want)
		}
	}
}

func TestSpanSetAlignAndSeconds(t *testing.T) {
	const h = 3600
	set := SpanSet{sp(10, h+10), sp(2*h+10, 5*h), sp(5*h+1, 5*h+2)}
	want := SpanSet{sp(3*h, 5*h)}
	if diff := cmp.Diff(want, set.Align(60)); diff != "" {
		t.Errorf("Align (-want +got):\n%s", diff)
	}
	if got := set.Seconds(); got != h+(3*h-10)+1 {
		t.Errorf("Seconds = %d", got)
	}
	// Two spans splitting a candle each lose their part of it.
	split := SpanSet{sp(0, h+30), sp(h+30, 3*h)}.Align(60)
	if diff := cmp.Diff(SpanSet{sp(0, h), sp(2*h, 3*h)}, split); diff != "" {
		t.Errorf("Align of a split candle (-want +got):\n%s", diff)
	}
}
