package state

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestOpenTwiceKeepsLineage(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		ctx := context.Background()
		first, err := Open(ctx, cfg)
		if err != nil {
			t.Fatalf("first Open: %v", err)
		}
		before, err := first.Snapshot(ctx)
		if err != nil {
			t.Fatalf("Snapshot: %v", err)
		}
		first.Close()
		second := openStore(t, cfg)
		after, err := second.Snapshot(ctx)
		if err != nil {
			t.Fatalf("Snapshot: %v", err)
		}
		if before.Lineage == "" || before.Lineage != after.Lineage {
			t.Errorf("lineage %q, then %q after reopening; want the same non-empty id", before.Lineage, after.Lineage)
		}
		if after.Serial != 0 {
			t.Errorf("serial of a new store = %d, want 0", after.Serial)
		}
	})
}

func TestLineageDiffersBetweenStores(t *testing.T) {
	dir := t.TempDir()
	a := openStore(t, Config{Path: filepath.Join(dir, "a.db")})
	b := openStore(t, Config{Path: filepath.Join(dir, "b.db")})
	sa, err := a.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sb, err := b.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sa.Lineage == sb.Lineage {
		t.Errorf("two new stores share lineage %q", sa.Lineage)
	}
}

func TestConcurrentOpens(t *testing.T) {
	forEachBackend(t, func(t *testing.T, cfg Config) {
		const n = 4
		var (
			wg       sync.WaitGroup
			lineages [n]string
			errs     [n]error
		)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := Open(context.Background(), cfg)
				if err != nil {
					errs[i] = err
					return
				}
				defer s.Close()
				snap, err := s.Snapshot(context.Background())
				if err != nil {
					errs[i] = err
					return
				}
				lineages[i] = snap.Lineage
			}()
		}
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("Open %d: %v", i, errs[i])
			}
			if lineages[i] != lineages[0] {
				t.Errorf("Open %d saw lineage %q, Open 0 saw %q", i, lineages[i], lineages[0])
			}
		}
	})
}

func TestOpenUnwritablePath(t *testing.T) {
	// A regular file where a directory should be stops root too, unlike
	// permission bits.
	dir := t.TempDir()
	file := filepath.Join(dir, "afile")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(file, "state.db")
	_, err := Open(context.Background(), Config{Backend: BackendSQLite, Path: path})
	if err == nil {
		t.Fatal("Open succeeded under a regular file")
	}
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("error %q does not name the path %s and the reason", err, path)
	}
}

func TestOpenCreatesParentDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "state.db")
	openStore(t, Config{Path: path})
	if _, err := os.Stat(path); err != nil {
		t.Errorf("state file not created: %v", err)
	}
}

func TestOpenRejectsUnknownBackend(t *testing.T) {
	_, err := Open(context.Background(), Config{Backend: "mysql", Path: "x"})
	if err == nil || !strings.Contains(err.Error(), `"mysql"`) {
		t.Errorf("Open(mysql) = %v, want an error naming the backend", err)
	}
}

func TestPostgresDSNNeverInError(t *testing.T) {
	const password = "s3cr3t-pw"
	tests := []struct {
		name string
		dsn  string
	}{
		// Port 1 on loopback refuses at once: no network leaves the host.
		{"unreachable", "postgres://alice:" + password + "@127.0.0.1:1/db?sslmode=disable&dial_timeout=2s"},
		{"malformed port", "postgres://alice:" + password + "@127.0.0.1:notaport/db"},
		{"bad option", "postgres://alice:" + password + "@127.0.0.1:1/db?sslmode=bogus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(context.Background(), Config{Backend: BackendPostgres, DSN: tt.dsn})
			if err == nil {
				t.Fatal("Open succeeded")
			}
			if strings.Contains(err.Error(), password) || strings.Contains(err.Error(), tt.dsn) {
				t.Errorf("error reveals the DSN: %v", err)
			}
			if !strings.Contains(err.Error(), "postgres") {
				t.Errorf("error %q does not say which store failed", err)
			}
		})
	}
}

func TestRedactKeepsUnrelatedErrors(t *testing.T) {
	orig := errors.New("dial tcp: connection refused")
	if got := redact(orig, "postgres://u:pw@h/db"); got != orig {
		t.Errorf("redact changed an error without secrets: %v", got)
	}
}
