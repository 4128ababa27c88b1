package sinktest

import (
	"testing"

	"github.com/feefifofunds/candlekeep/sinks"
)

// testIdentify: a table not set up has no incarnation; setting it up
// gives it one, which neither a second Setup nor writes change, and which
// Identify reads the same every time.
func testIdentify(t *testing.T, open Opener) {
	s := open(t)
	t.Cleanup(func() { s.Close() })
	before, err := s.Identify(t.Context())
	if err != nil {
		t.Fatalf("identify before setup: %v", err)
	}
	if before.Exists() {
		t.Fatalf("identify before setup: incarnation %q, want none", before.Incarnation)
	}
	if err := s.Setup(t.Context()); err != nil {
		t.Fatalf("setup: %v", err)
	}
	first, err := s.Identify(t.Context())
	if err != nil {
		t.Fatalf("identify: %v", err)
	}
	if !first.Exists() || first.Kind == "" || first.Table == "" || first.Address == "" {
		t.Fatalf("identify after setup: %+v, want kind, address, table and incarnation", first)
	}
	if !first.SameTable(before) {
		t.Errorf("identify names another table after setup: %v, before %v", first, before)
	}
	write(t, s, adaDaily, Fixture(t, "ADAUSD_1440.csv")[:10], 5)
	if err := s.Setup(t.Context()); err != nil {
		t.Fatalf("second setup: %v", err)
	}
	again, err := s.Identify(t.Context())
	if err != nil {
		t.Fatalf("identify again: %v", err)
	}
	if again != first {
		t.Errorf("identity changed without the table being created anew: %+v, then %+v", first, again)
	}
}

// CheckNewIncarnation checks that a table dropped (by drop, the sink's own
// way) and set up again has a new incarnation, and a dropped one none:
// state relies on it to never credit a new table with an old one's
// coverage. Call it from the sink's tests beside Run.
func CheckNewIncarnation(t *testing.T, open Opener, drop func(t *testing.T, s sinks.Sink)) {
	t.Helper()
	s := setUp(t, open)
	first, err := s.Identify(t.Context())
	if err != nil {
		t.Fatalf("identify: %v", err)
	}
	drop(t, s)
	gone, err := s.Identify(t.Context())
	if err != nil {
		t.Fatalf("identify a dropped table: %v", err)
	}
	if gone.Exists() {
		t.Errorf("a dropped table still has incarnation %q", gone.Incarnation)
	}
	if err := s.Setup(t.Context()); err != nil {
		t.Fatalf("setup again: %v", err)
	}
	second, err := s.Identify(t.Context())
	if err != nil {
		t.Fatalf("identify: %v", err)
	}
	if !second.Exists() || second.Incarnation == first.Incarnation {
		t.Errorf("the table created anew has incarnation %q, the dropped one had %q: want a new one", second.Incarnation, first.Incarnation)
	}
}
