package krakenapi

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestReadPairCache(t *testing.T) {
	dir := t.TempDir()
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	pairs := map[string]string{"XBTUSD": "XXBTZUSD", "XMRUSD": "XXMRZUSD"}
	good := filepath.Join(dir, "good.json")
	writeCacheFile(t, good, pairCacheFile{Fetched: old, BaseURL: "https://api.kraken.com", Pairs: pairs})
	corrupt := filepath.Join(dir, "corrupt.json")
	if err := os.WriteFile(corrupt, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, base string
		want             *PairList
	}{
		// Plan reads the list whatever its age: it never fetches.
		{"old but readable", good, "https://api.kraken.com/", &PairList{Fetched: old, Names: pairs}},
		{"another API", good, "http://127.0.0.1:1234", nil},
		{"no file", filepath.Join(dir, "absent.json"), "https://api.kraken.com", nil},
		{"corrupt", corrupt, "https://api.kraken.com", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := os.ReadDir(dir)
			got, err := ReadPairCache(tc.path, tc.base)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if after, _ := os.ReadDir(dir); len(after) != len(before) {
				t.Error("reading the cache wrote a file")
			}
		})
	}
}
