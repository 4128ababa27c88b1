package state

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/uptrace/bun/migrate"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// TestFilesPerMember: a store at v2, whose file record two members with
// equal bytes shared, is read by OpenReadOnly as it is; v4 keeps its row,
// and from then on each member gets a record of its own (issue 13).
func TestFilesPerMember(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := openSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	v2 := migrate.NewMigrations()
	for _, m := range migrations().Sorted() {
		if m.Name != migrationFilesPerMember {
			v2.Add(m)
		}
	}
	mig := migrate.NewMigrator(db, v2, migrate.WithMarkAppliedOnSuccess(true))
	if err := mig.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := mig.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	eth := ohlc.Series{Pair: "ETHUSD", Interval: 60}
	old := fileRowV2{SinkID: 0, Fingerprint: "crc32:0badf00d:100", Dump: "full", Member: "ETHUSD_60.csv", Pair: "ETHUSD", IntervalMin: 60,
		FirstTS: 3600, LastTS: 7200, RowCount: 2, Status: string(FileLoaded), UpdatedAt: time.Unix(1, 0).UTC()}
	if _, err := db.NewInsert().Model(&old).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()
	oldRecord := FileRecord{Fingerprint: old.Fingerprint, Dump: "full", Member: "ETHUSD_60.csv", Series: eth, First: 3600, Last: 7200, Rows: 2, Status: FileLoaded}

	ro, err := OpenReadOnly(ctx, Config{Backend: BackendSQLite, Path: path})
	if err != nil {
		t.Fatalf("OpenReadOnly of a v2 store: %v", err)
	}
	snap, err := ro.Snapshot(ctx)
	ro.Close()
	if err != nil {
		t.Fatal(err)
	}
	ignore := cmpopts.IgnoreFields(FileRecord{}, "UpdatedAt")
	if diff := cmp.Diff(map[FileKey]FileRecord{oldRecord.Key(): oldRecord}, snap.Files, ignore); diff != "" {
		t.Errorf("v2 store read only (-want +got):\n%s", diff)
	}

	s := openStore(t, Config{Backend: BackendSQLite, Path: path})
	// XBTUSD_60.csv with the same bytes as ETHUSD_60.csv: a record of its own.
	xbt := &FileRecord{Fingerprint: old.Fingerprint, Dump: "full", Member: "XBTUSD_60.csv", Series: ohlc.Series{Pair: "XBTUSD", Interval: 60},
		First: 3600, Last: 7200, Rows: 2, Status: FileLoaded}
	if err := s.Record(ctx, Progress{Series: xbt.Series, File: xbt}); err != nil {
		t.Fatal(err)
	}
	if snap, err = s.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[FileKey]FileRecord{oldRecord.Key(): oldRecord, xbt.Key(): *xbt}
	if diff := cmp.Diff(want, snap.Files, ignore); diff != "" {
		t.Errorf("after v4 (-want +got):\n%s", diff)
	}
}
