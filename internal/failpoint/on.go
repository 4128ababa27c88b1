//go:build failpoints

package failpoint

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
)

// Enabled reports whether this build has failpoints compiled in.
const Enabled = true

// armed is the failpoint named in the environment, read once.
var armed = sync.OnceValue(func() *point {
	p, ok := parse(os.Getenv(EnvVar))
	if !ok {
		return nil
	}
	return p
})

type point struct {
	name string
	at   int64
	hits atomic.Int64
}

// parse reads "name:N" with N ≥ 1; anything else arms nothing.
func parse(spec string) (*point, bool) {
	name, count, ok := strings.Cut(spec, ":")
	if !ok || name == "" {
		return nil, false
	}
	n, err := strconv.ParseInt(count, 10, 64)
	if err != nil || n < 1 {
		return nil, false
	}
	return &point{name: name, at: n}, true
}

// Hit kills the process with SIGKILL on the N-th hit of the armed name.
func Hit(name string) {
	p := armed()
	if p == nil || p.name != name {
		return
	}
	if p.hits.Add(1) == p.at {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way: do not run another instruction of the caller
	}
}
