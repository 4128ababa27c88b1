// Command mkbig writes a large Kraken CSV file for benchmarks: a real
// fixture repeated with shifted timestamps, or with -start its rows one
// step apart from that time on (see package synth).
//
//	go run ./bench/mkbig -in examples/quickstart/data/Kraken_OHLCVT_2020-10-01/XBTUSD_60.csv -rows 3000000 -out big/XBTUSD_60.csv
//	go run ./bench/mkbig -rows 3000000 -step 60 -start 2015-01-01 -out big/XBTUSD_1.csv
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/feefifofunds/candlekeep/bench/synth"
	"github.com/feefifofunds/candlekeep/ohlc"
)

func main() {
	in := flag.String("in", "examples/quickstart/data/Kraken_OHLCVT_2020-10-01/XBTUSD_60.csv", "real Kraken CSV file to repeat")
	rows := flag.Int("rows", 3_000_000, "at least this many rows")
	step := flag.Int64("step", 3600, "the file's interval in seconds")
	start := flag.String("start", "", "give row i the time START + i·step (2015-01-01 or RFC 3339): millions of short candles stay in a few years")
	out := flag.String("out", "", "file to write")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "mkbig: -out is required")
		os.Exit(2)
	}
	var from int64
	if *start != "" {
		var err error
		if from, err = ohlc.ParseTime(*start); err != nil {
			fmt.Fprintln(os.Stderr, "mkbig: -start:", err)
			os.Exit(2)
		}
	}
	if err := write(*in, *out, *rows, *step, from); err != nil {
		fmt.Fprintln(os.Stderr, "mkbig:", err)
		os.Exit(1)
	}
}

func write(in, out string, rows int, step, start int64) error {
	src, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	data, n, err := synth.RepeatShifted(src, rows, step)
	if start != 0 {
		data, n, err = synth.Resequence(src, rows, start, step)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		return err
	}
	fmt.Printf("%s: %d rows, %d bytes\n", out, n, len(data))
	return nil
}
