// Command questdb-standin runs the QuestDB stand-in (sinks/questdb/
// questdbtest) on a loopback port for benchmarks through the binary: it
// prints the go-questdb-client conf to reach it, then serves until it is
// stopped (Ctrl-C, SIGTERM), saying how many rows it received.
//
//	go run ./bench/questdb-standin -count-only > conf.txt &
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
)

func main() {
	countOnly := flag.Bool("count-only", false, "check every row but store none (a benchmark's sink: memory stays flat)")
	table := flag.String("table", "candles", "the table whose rows are counted at the end")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	s := questdbtest.New(questdbtest.Options{CountOnly: *countOnly})
	defer s.Close()
	fmt.Println(s.Conf())
	<-ctx.Done()
	fmt.Fprintf(os.Stderr, "questdb-standin: %d rows received in table %s\n", s.Count(*table), *table)
}
