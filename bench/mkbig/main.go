// Command mkbig writes a large Kraken CSV file for benchmarks: a real
// fixture repeated with shifted timestamps (see package synth).
//
//	go run ./bench/mkbig -in examples/quickstart/data/Kraken_OHLCVT_2020-10-01/XBTUSD_60.csv -rows 3000000 -out big/XBTUSD_60.csv
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/feefifofunds/candlekeep/bench/synth"
)

func main() {
	in := flag.String("in", "examples/quickstart/data/Kraken_OHLCVT_2020-10-01/XBTUSD_60.csv", "real Kraken CSV file to repeat")
	rows := flag.Int("rows", 3_000_000, "at least this many rows")
	step := flag.Int64("step", 3600, "the file's interval in seconds")
	out := flag.String("out", "", "file to write")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "mkbig: -out is required")
		os.Exit(2)
	}
	if err := write(*in, *out, *rows, *step); err != nil {
		fmt.Fprintln(os.Stderr, "mkbig:", err)
		os.Exit(1)
	}
}

func write(in, out string, rows int, step int64) error {
	src, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	data, n, err := synth.RepeatShifted(src, rows, step)
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
