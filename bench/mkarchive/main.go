// Command mkarchive writes a synthetic archive shaped like Kraken's full
// history (bench/archive): members flat under master_q4/, an AppleDouble
// twin of each under __MACOSX/, some pairs lacking some intervals.
//
//	go run ./bench/mkarchive -pairs 1715 -scale 0.01 -out a/Kraken_OHLCVT.zip
//
// It prints the member count, rows and size, and a configuration's pair
// list on request (-hcl FILE).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/feefifofunds/candlekeep/bench/archive"
)

func main() {
	in := flag.String("in", "examples/quickstart/data/Kraken_OHLCVT_2020-10-01/XBTUSD_60.csv", "real Kraken CSV file to take rows from")
	pairs := flag.Int("pairs", 1715, "pairs (7 intervals each, some missing): 1715 is about 12,000 members")
	scale := flag.Float64("scale", 0.01, "share of realistic row counts (1 is about 26 GB uncompressed)")
	out := flag.String("out", "", "zip to write")
	hcl := flag.String("hcl", "", "also write a configuration wanting every member, loading the zip as a full-history dump")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "mkarchive: -out is required")
		os.Exit(2)
	}
	if err := run(*in, *out, *hcl, *pairs, *scale); err != nil {
		fmt.Fprintln(os.Stderr, "mkarchive:", err)
		os.Exit(1)
	}
}

func run(in, out, hcl string, pairs int, scale float64) error {
	rows, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	members, err := archive.Write(f, archive.Spec{Pairs: pairs, Scale: scale, Rows: rows})
	if err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	total := 0
	for _, m := range members {
		total += m.Rows
	}
	st, err := os.Stat(out)
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d members (and %d AppleDouble twins), %d rows, %d bytes compressed\n", out, len(members), len(members), total, st.Size())
	if hcl == "" {
		return nil
	}
	return os.WriteFile(hcl, []byte(archive.Config(out, pairs)), 0o644)
}
