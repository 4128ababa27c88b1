package state

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

var (
	sinkA  = ohlc.SinkIdentity{Kind: "sqlite", Address: ".candlekeep/candles.db", Table: "candles", Incarnation: "aaaa"}
	sinkA2 = ohlc.SinkIdentity{Kind: "sqlite", Address: ".candlekeep/candles.db", Table: "candles", Incarnation: "bbbb"}
	sinkB  = ohlc.SinkIdentity{Kind: "sqlite", Address: ".candlekeep/candles.db", Table: "candles_v2", Incarnation: "cccc"}
)

// Coverage recorded for one sink is invisible to another, and to another
// incarnation of the same table.
func TestCoverageBelongsToItsSink(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		ctx := context.Background()
		s := openStore(t, cfg)
		recA, err := s.RegisterSink(ctx, sinkA)
		if err != nil {
			t.Fatal(err)
		}
		s.UseSink(recA.ID)
		span := ohlc.Span{Start: 3600, End: 7200}
		if err := s.Record(ctx, Progress{Series: xbt60, Covered: span, Source: SourceCSV,
			File: &FileRecord{Fingerprint: "crc32:1:2", Series: xbt60, First: 3600, Last: 3600, Rows: 1, Status: FileLoaded}}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			id      ohlc.SinkIdentity
			checked bool
			wantID  int64
			covered bool
		}{
			{sinkA, true, recA.ID, true},
			{sinkA2, true, NoSink, false}, // the table created anew
			{sinkB, true, NoSink, false},  // another table
			{ohlc.SinkIdentity{Kind: "sqlite", Address: sinkA.Address, Table: "candles"}, true, NoSink, false},  // the table is gone
			{ohlc.SinkIdentity{Kind: "sqlite", Address: sinkA.Address, Table: "candles"}, false, recA.ID, true}, // not reachable: state's record
		} {
			m, err := s.FindSink(ctx, tc.id, tc.checked)
			if err != nil {
				t.Fatal(err)
			}
			if m.ID != tc.wantID {
				t.Errorf("FindSink(%v, checked=%v) = %d, want %d", tc.id, tc.checked, m.ID, tc.wantID)
			}
			s.UseSink(m.ID)
			snap, err := s.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(snap.Coverage) > 0 && len(snap.Files) > 0; got != tc.covered {
				t.Errorf("%v (checked=%v): covered = %v, want %v", tc.id, tc.checked, got, tc.covered)
			}
		}
		// Registering again finds the same record.
		again, err := s.RegisterSink(ctx, sinkA)
		if err != nil {
			t.Fatal(err)
		}
		if again.ID != recA.ID {
			t.Errorf("RegisterSink again: id %d, want %d", again.ID, recA.ID)
		}
	})
}

// The coverage of a state older than sink identities belongs to the first
// sink that claims it, and to no later one.
func TestClaimLegacy(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		ctx := context.Background()
		s := openStore(t, cfg) // uses LegacySink until told otherwise
		if err := s.Record(ctx, Progress{Series: xbt60, Covered: ohlc.Span{Start: 0, End: 3600}, Source: SourceCSV}); err != nil {
			t.Fatal(err)
		}
		m, err := s.FindSink(ctx, sinkA, true)
		if err != nil {
			t.Fatal(err)
		}
		if m.ID != LegacySink {
			t.Fatalf("before any sink is recorded, an existing table owns the legacy coverage: got %d", m.ID)
		}
		rec, err := s.RegisterSink(ctx, sinkA)
		if err != nil {
			t.Fatal(err)
		}
		n, err := s.ClaimLegacy(ctx, rec.ID)
		if err != nil || n != 1 {
			t.Fatalf("ClaimLegacy = %d, %v; want 1 series", n, err)
		}
		s.UseSink(rec.ID)
		cov, err := s.Coverage(ctx, xbt60)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[Source]ohlc.SpanSet{SourceCSV: {{Start: 0, End: 3600}}}, cov); diff != "" {
			t.Errorf("claimed coverage (-want +got):\n%s", diff)
		}
		// Another sink finds nothing: the legacy coverage is taken.
		if m, err = s.FindSink(ctx, sinkB, true); err != nil || m.ID != NoSink {
			t.Errorf("FindSink(another) = %d, %v; want NoSink", m.ID, err)
		}
		recB, err := s.RegisterSink(ctx, sinkB)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := s.ClaimLegacy(ctx, recB.ID); err != nil || n != 0 {
			t.Errorf("a second claim = %d, %v; want nothing", n, err)
		}
	})
}

// A store that does not exist reads as empty, and nothing is created.
func TestOpenReadOnlyMissing(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), ".candlekeep")
	s, err := OpenReadOnly(ctx, Config{Backend: BackendSQLite, Path: filepath.Join(dir, "state.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Lineage != "" || snap.Serial != 0 || len(snap.Coverage) != 0 {
		t.Errorf("missing store reads as %+v, want empty", snap)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenReadOnly created %s: %v", dir, err)
	}
	if err := s.Record(ctx, Progress{Series: xbt60, Covered: ohlc.Span{Start: 0, End: 60}, Source: SourceCSV}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Record on a read-only store: %v, want ErrReadOnly", err)
	}
}

// A read-only store refuses every write and leaves the file as it was.
func TestOpenReadOnlyRefusesWrites(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		ctx := context.Background()
		w := openStore(t, cfg)
		if err := w.Record(ctx, Progress{Series: xbt60, Covered: ohlc.Span{Start: 0, End: 3600}, Source: SourceCSV}); err != nil {
			t.Fatal(err)
		}
		s, err := OpenReadOnly(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		snap, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(snap.Coverage) != 1 || snap.Serial != 1 {
			t.Errorf("read-only snapshot: %d series at serial %d, want 1 at 1", len(snap.Coverage), snap.Serial)
		}
		for name, write := range map[string]func() error{
			"Record": func() error {
				return s.Record(ctx, Progress{Series: xbt60, Covered: ohlc.Span{Start: 0, End: 60}, Source: SourceCSV})
			},
			"SyncGaps":      func() error { return s.SyncGaps(ctx, nil, s.now()) },
			"RegisterSink":  func() error { _, err := s.RegisterSink(ctx, sinkA); return err },
			"SaveFileCache": func() error { return s.SaveFileCache(ctx, []FileCacheEntry{{Key: "k"}}) },
		} {
			if err := write(); !errors.Is(err, ErrReadOnly) {
				t.Errorf("%s: %v, want ErrReadOnly", name, err)
			}
		}
	})
}

// A store holding a migration this binary does not know was written by a
// newer candlekeep: both opens refuse it, naming the versions.
func TestNewerStoreRefused(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		ctx := context.Background()
		w := openStore(t, cfg)
		if _, err := w.db.ExecContext(ctx, "INSERT INTO bun_migrations (name, group_id, migrated_at) VALUES ('29990101000000', 99, CURRENT_TIMESTAMP)"); err != nil {
			t.Fatal(err)
		}
		known := migrations().Sorted()
		want := "its schema version 29990101000000 is newer than this candlekeep knows (newest " + known[len(known)-1].Name + ")"
		if _, err := Open(ctx, cfg); err == nil || !contains(err.Error(), want) {
			t.Errorf("Open: %v, want %q", err, want)
		}
		if _, err := OpenReadOnly(ctx, cfg); err == nil || !contains(err.Error(), want) {
			t.Errorf("OpenReadOnly: %v, want %q", err, want)
		}
	})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
