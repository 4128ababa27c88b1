// Command mkquarter writes a quarterly-update-shaped Kraken zip for
// benchmarks: many members of a few real rows each (the last rows of a
// real fixture, which fall in Q3 2020), one synthetic pair per member.
//
//	go run ./bench/mkquarter -members 10000 -rows 100 -out q/Kraken_OHLCVT_Q3_2020.zip
package main

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	in := flag.String("in", "examples/quickstart/data/Kraken_OHLCVT_2020-10-01/XBTUSD_60.csv", "real hourly Kraken CSV file to take rows from")
	members := flag.Int("members", 10_000, "members to write")
	rows := flag.Int("rows", 100, "rows per member (the file's last rows)")
	out := flag.String("out", "", "zip to write")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "mkquarter: -out is required")
		os.Exit(2)
	}
	if err := write(*in, *out, *members, *rows); err != nil {
		fmt.Fprintln(os.Stderr, "mkquarter:", err)
		os.Exit(1)
	}
}

func write(in, out string, members, rows int) error {
	src, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	lines := bytes.SplitAfter(bytes.TrimRight(src, "\n"), []byte("\n"))
	if len(lines) < rows {
		return fmt.Errorf("%s has %d rows, fewer than %d", in, len(lines), rows)
	}
	body := append(bytes.Join(lines[len(lines)-rows:], nil), '\n')
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	for i := range members {
		w, err := zw.Create(fmt.Sprintf("P%05dUSD_60.csv", i))
		if err != nil {
			return err
		}
		if _, err := w.Write(body); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("%s: %d members of %d rows\n", out, members, rows)
	return nil
}
