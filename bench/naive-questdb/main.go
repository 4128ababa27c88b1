// Command naive-questdb runs the naive loader (package bench/naive) as a
// program of its own, for comparing it with `candlekeep apply` through
// the binary (bench/one-file-questdb.sh): it loads the CSV files named
// into the QuestDB reached by -conf and prints the rows it sent.
//
//	go run ./bench/naive-questdb -conf "http::addr=localhost:9000;" XBTUSD_1.csv
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/feefifofunds/candlekeep/bench/naive"
)

func main() {
	conf := flag.String("conf", "", "go-questdb-client conf of the QuestDB to load into")
	flag.Parse()
	if *conf == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: naive-questdb -conf CONF FILE.csv…")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	rows, err := naive.Load(ctx, *conf, flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "naive-questdb:", err)
		os.Exit(1)
	}
	fmt.Printf("naive-questdb: %d rows sent\n", rows)
}
