package main

import (
	"fmt"
	"io"
	"os"
	"sync"
)

// watchedOutput is stdout or stderr. A write to it can fail (a pipe whose
// reader quit, a full disk): the run goes on regardless, since its work
// and the state lock matter more than its output, and the first failure
// is noted once on note (stderr for stdout; nothing for stderr itself).
type watchedOutput struct {
	f    *os.File
	name string
	note io.Writer // nil: nowhere to note a failure

	once sync.Once
}

func (w *watchedOutput) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil && w.note != nil {
		w.once.Do(func() {
			fmt.Fprintf(w.note, "Warning: writing to %s failed (%v): the rest of its output is lost; the command goes on.\n", w.name, err)
		})
	}
	return n, err
}

// Fd lets isTerminal and terminalWidth see the file behind it.
func (w *watchedOutput) Fd() uintptr { return w.f.Fd() }
