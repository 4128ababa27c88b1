package main

import (
	"fmt"
	"io"
)

// driftMeter shows, on a terminal, how far a drift check has read the
// sink back ("Reading the sink back: 34 of 120 months"), on one line it
// rewrites and clears when done. Off a terminal it shows nothing: the
// check's result follows within the same command.
func driftMeter(w io.Writer, terminal bool) func(checked, total int) {
	if !terminal {
		return nil
	}
	return func(checked, total int) {
		if checked >= total {
			fmt.Fprint(w, "\r\033[K")
			return
		}
		fmt.Fprintf(w, "\rReading the sink back: %d of %d months", checked, total)
	}
}
