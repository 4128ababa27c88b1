package state

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestFailedFileStaysFailed: actions loading different spans of one file
// may record in any order, and a failure must survive the others' loaded
// or partial; rows and range still add up.
func TestFailedFileStaysFailed(t *testing.T) {
	type step struct {
		fingerprint string
		first, last int64
		rows        int64
		status      FileStatus
		err         string
	}
	tests := []struct {
		name  string
		steps []step
		want  map[string]FileRecord
	}{
		{"loaded after failed stays failed", []step{
			{"crc:1", 50 * hour, 59 * hour, 10, FileFailed, "bad row 61"},
			{"crc:1", 0, 49 * hour, 50, FileLoaded, ""},
		}, map[string]FileRecord{"crc:1": {First: 0, Last: 59 * hour, Rows: 60, Status: FileFailed, Error: "bad row 61"}}},
		{"partial after failed stays failed", []step{
			{"crc:1", 0, 9 * hour, 10, FileFailed, "bad row 11"},
			{"crc:1", 20 * hour, 29 * hour, 10, FilePartial, ""},
		}, map[string]FileRecord{"crc:1": {First: 0, Last: 29 * hour, Rows: 20, Status: FileFailed, Error: "bad row 11"}}},
		{"no status after failed stays failed", []step{
			{"crc:1", 0, 9 * hour, 10, FileFailed, "bad row 11"},
			{"crc:1", 0, 0, 0, "", ""},
		}, map[string]FileRecord{"crc:1": {First: 0, Last: 9 * hour, Rows: 10, Status: FileFailed, Error: "bad row 11"}}},
		{"failed after loaded is failed", []step{
			{"crc:1", 0, 49 * hour, 50, FileLoaded, ""},
			{"crc:1", 50 * hour, 59 * hour, 10, FileFailed, "bad row 61"},
		}, map[string]FileRecord{"crc:1": {First: 0, Last: 59 * hour, Rows: 60, Status: FileFailed, Error: "bad row 61"}}},
		{"a later failure's error replaces the first", []step{
			{"crc:1", 0, 9 * hour, 10, FileFailed, "bad row 11"},
			{"crc:1", 20 * hour, 29 * hour, 10, FileFailed, "bad row 31"},
		}, map[string]FileRecord{"crc:1": {First: 0, Last: 29 * hour, Rows: 20, Status: FileFailed, Error: "bad row 31"}}},
		{"a later failure without an error keeps the first's", []step{
			{"crc:1", 0, 9 * hour, 10, FileFailed, "bad row 11"},
			{"crc:1", 0, 0, 0, FileFailed, ""},
		}, map[string]FileRecord{"crc:1": {First: 0, Last: 9 * hour, Rows: 10, Status: FileFailed, Error: "bad row 11"}}},
		{"a replaced file is a new record", []step{
			{"crc:1", 0, 9 * hour, 10, FileFailed, "bad row 11"},
			{"crc:2", 0, 99 * hour, 100, FileLoaded, ""},
		}, map[string]FileRecord{
			"crc:1": {First: 0, Last: 9 * hour, Rows: 10, Status: FileFailed, Error: "bad row 11"},
			"crc:2": {First: 0, Last: 99 * hour, Rows: 100, Status: FileLoaded},
		}},
	}
	forEachBackend(t, func(t *testing.T, cfg Config) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := openStore(t, cfgFresh(t, cfg))
				ctx := context.Background()
				for _, st := range tt.steps {
					f := &FileRecord{Fingerprint: st.fingerprint, Dump: "full", Member: "XBTUSD_60.csv", Series: xbt60,
						First: st.first, Last: st.last, Rows: st.rows, Status: st.status, Error: st.err}
					if err := s.Record(ctx, Progress{Series: xbt60, File: f}); err != nil {
						t.Fatalf("Record: %v", err)
					}
				}
				snap, err := s.Snapshot(ctx)
				if err != nil {
					t.Fatal(err)
				}
				want := make(map[FileKey]FileRecord, len(tt.want))
				for fp, f := range tt.want {
					f.Fingerprint, f.Dump, f.Member, f.Series = fp, "full", "XBTUSD_60.csv", xbt60
					want[f.Key()] = f
				}
				if diff := cmp.Diff(want, snap.Files, cmpopts.IgnoreFields(FileRecord{}, "UpdatedAt")); diff != "" {
					t.Errorf("files (-want +got):\n%s", diff)
				}
			})
		}
	})
}
