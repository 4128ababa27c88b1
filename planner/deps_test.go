package planner

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestPlannerDeps guards the planner's purity: it reads snapshots and
// inventories as values (ohlc/snapshot, ohlc/dump) and must not pull in a
// database driver or an HTTP client through state or the sources.
func TestPlannerDeps(t *testing.T) {
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/uptrace/bun", "modernc.org/sqlite", "net/http", "/candlekeep/state", "/candlekeep/sources/"} {
			if strings.Contains(dep, banned) {
				t.Errorf("planner depends on %s", dep)
			}
		}
	}
}
