//go:build unix

package state

import (
	"errors"
	"syscall"
)

// processAlive reports whether pid is a running process. Only "no such
// process" counts as dead: a process we may not signal (EPERM) runs, and
// any other doubt is resolved in favour of the holder.
func processAlive(pid int) bool {
	if pid <= 0 {
		return true // 0 and negatives address process groups, not one process
	}
	err := syscall.Kill(pid, 0)
	return !errors.Is(err, syscall.ESRCH)
}
