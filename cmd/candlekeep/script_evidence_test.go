package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdEvidence builds the broken dumps of issue 13 from real files, in the
// script (the fixtures stay as Kraken published them):
//
//	evidence before SRC T DST      rows of SRC before T (Unix seconds)
//	evidence ms SRC DST            SRC with its timestamps in milliseconds
//	evidence cut SRC BYTES DST     SRC cut to BYTES, then back to its last line end
//	evidence unzip ZIP MEMBER DST  a member of a zip, as a file
//	evidence zip DST NAME=SRC...   a zip of the files, each under NAME
func cmdEvidence(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: evidence before|ms|cut|unzip ...")
	}
	ts.Check(os.MkdirAll(filepath.Dir(ts.MkAbs(args[len(args)-1])), 0o755))
	switch {
	case args[0] == "before" && len(args) == 4:
		before, err := strconv.ParseInt(args[2], 10, 64)
		ts.Check(err)
		var out strings.Builder
		for _, line := range strings.SplitAfter(ts.ReadFile(args[1]), "\n") {
			stamp, _, _ := strings.Cut(line, ",")
			if t, err := strconv.ParseInt(stamp, 10, 64); err == nil && t < before {
				out.WriteString(line)
			}
		}
		ts.Check(os.WriteFile(ts.MkAbs(args[3]), []byte(out.String()), 0o644))
	case args[0] == "ms" && len(args) == 3:
		var out strings.Builder
		for _, line := range strings.SplitAfter(ts.ReadFile(args[1]), "\n") {
			if stamp, rest, ok := strings.Cut(line, ","); ok {
				out.WriteString(stamp + "000," + rest)
			}
		}
		ts.Check(os.WriteFile(ts.MkAbs(args[2]), []byte(out.String()), 0o644))
	case args[0] == "cut" && len(args) == 4:
		n, err := strconv.Atoi(args[2])
		ts.Check(err)
		data := []byte(ts.ReadFile(args[1]))[:n]
		data = data[:bytes.LastIndexByte(data, '\n')+1]
		ts.Check(os.WriteFile(ts.MkAbs(args[3]), data, 0o644))
	case args[0] == "unzip" && len(args) == 4:
		zr, err := zip.OpenReader(ts.MkAbs(args[1]))
		ts.Check(err)
		defer zr.Close()
		f, err := zr.Open(args[2])
		ts.Check(err)
		defer f.Close()
		data, err := io.ReadAll(f)
		ts.Check(err)
		ts.Check(os.WriteFile(ts.MkAbs(args[3]), data, 0o644))
	case args[0] == "zip" && len(args) >= 3:
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, arg := range args[2:] {
			name, src, ok := strings.Cut(arg, "=")
			if !ok {
				ts.Fatalf("evidence zip: %q is not NAME=SRC", arg)
			}
			w, err := zw.Create(name)
			ts.Check(err)
			_, err = w.Write([]byte(ts.ReadFile(src)))
			ts.Check(err)
		}
		ts.Check(zw.Close())
		ts.Check(os.WriteFile(ts.MkAbs(args[1]), buf.Bytes(), 0o644))
	default:
		ts.Fatalf("usage: evidence zip DST NAME=SRC... | before SRC T DST | ms SRC DST | cut SRC BYTES DST | unzip ZIP MEMBER DST")
	}
}
