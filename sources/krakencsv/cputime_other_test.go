//go:build !unix

package krakencsv

import "time"

// processCPUTime is unknown here; the benchmark then reports wall-clock
// rates only.
func processCPUTime() time.Duration { return 0 }
