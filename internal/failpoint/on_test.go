//go:build failpoints

package failpoint

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	type parsed struct {
		Name string
		At   int64
		OK   bool
	}
	for spec, want := range map[string]parsed{
		"state.record:3":        {"state.record", 3, true},
		"sqlite.batch.commit:1": {"sqlite.batch.commit", 1, true},
		"state.record:0":        {},
		"state.record:-2":       {},
		"state.record":          {},
		":4":                    {},
		"state.record:three":    {},
		"":                      {},
	} {
		p, ok := parse(spec)
		got := parsed{OK: ok}
		if ok {
			got.Name, got.At = p.name, p.at
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("parse(%q) (-want +got):\n%s", spec, diff)
		}
	}
}

// TestKillsOnNthHit runs itself as a child armed to die on the third hit:
// the child must end by SIGKILL after printing exactly two hits.
func TestKillsOnNthHit(t *testing.T) {
	if os.Getenv("FAILPOINT_CHILD") != "" {
		for i := 1; i <= 5; i++ {
			Hit("other")
			Hit("test.point")
			os.Stdout.WriteString("survived\n")
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillsOnNthHit$")
	cmd.Env = append(os.Environ(), "FAILPOINT_CHILD=1", EnvVar+"=test.point:3")
	out, err := cmd.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("child did not fail: %v\n%s", err, out)
	}
	status, ok := exit.Sys().(syscall.WaitStatus)
	if !ok || !status.Signaled() || status.Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, want SIGKILL", err)
	}
	if got := string(out); got != "survived\nsurvived\n" {
		t.Errorf("child printed %q before dying, want two survivals", got)
	}
}
