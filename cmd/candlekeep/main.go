// Command candlekeep keeps a time-series database of Kraken OHLCV candles
// complete: plan compares the configured coverage with recorded state and
// the dumps on disk, apply carries the plan out.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(runMain())
}

// runMain is main up to its exit: the test binary runs it as candlekeep,
// so that real-process tests see main's signal handling.
func runMain() int {
	// A closed stdout or stderr (candlekeep apply | head) must not kill a
	// run between a sink's commit and state's: writes fail with EPIPE
	// instead, which watchedOutput notes, and the run goes on.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := interruptContext()
	defer stop()
	stderr := &watchedOutput{f: os.Stderr, name: "stderr"}
	stdout := &watchedOutput{f: os.Stdout, name: "stdout", note: stderr}
	return run(ctx, os.Args[1:], os.Stdin, stdout, stderr)
}

// stopSignals ask for a clean stop. SIGHUP is one: a closed terminal or
// SSH session must not leave the lock and a run marked running behind.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// interruptContext is cancelled by the first stop signal, which asks for
// a clean stop; a second one exits at once with status 130.
func interruptContext() (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, stopSignals...)
	go func() {
		if _, ok := <-sigs; !ok {
			return
		}
		cancel()
		if _, ok := <-sigs; ok {
			os.Exit(130)
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(sigs)
		cancel()
	}
}
