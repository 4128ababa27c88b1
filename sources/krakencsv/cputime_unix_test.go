//go:build unix

package krakencsv

import (
	"syscall"
	"time"
)

// processCPUTime is the user and system time this process has used, so a
// benchmark on a shared machine can report its rate per CPU-second as well
// as per wall-clock second.
func processCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
