package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"os"
	"path/filepath"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdHostile writes hostile dump files into the script's work tree:
//
//	hostile bomb DST         a zip whose XBTUSD_1440.csv is 4 MiB inflating to 4 GiB
//	hostile liar DST         the same bomb, its header claiming 2 MiB
//	hostile paths SRC DST    a zip of ../../etc/passwd and ../../XBTUSD_1440.csv (SRC's bytes)
//	hostile rewrite FILE     change one digit of FILE's last row, keeping its size and mtime
func cmdHostile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: hostile bomb DST | liar DST | paths SRC DST | rewrite FILE")
	}
	switch {
	case args[0] == "bomb" && len(args) == 2:
		writeZip(ts, args[1], zipMember{name: "XBTUSD_1440.csv", raw: deflatedZeros(ts, 4096), size: 4 << 30})
	case args[0] == "liar" && len(args) == 2:
		writeZip(ts, args[1], zipMember{name: "XBTUSD_1440.csv", raw: deflatedZeros(ts, 4096), size: 2 << 20})
	case args[0] == "paths" && len(args) == 3:
		data, err := os.ReadFile(ts.MkAbs(args[1]))
		ts.Check(err)
		writeZip(ts, args[2],
			zipMember{name: "../../etc/passwd", data: []byte("root:x:0:0:root:/root:/bin/sh\n")},
			zipMember{name: "../../XBTUSD_1440.csv", data: data})
	case args[0] == "rewrite" && len(args) == 2:
		rewriteKeepingStat(ts, ts.MkAbs(args[1]))
	default:
		ts.Fatalf("usage: hostile bomb DST | liar DST | paths SRC DST | rewrite FILE")
	}
}

// zipMember is data to deflate, or a raw deflate stream with the size its
// header is to declare.
type zipMember struct {
	name string
	data []byte
	raw  []byte
	size uint64
}

func writeZip(ts *testscript.TestScript, dst string, members ...zipMember) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		if m.raw != nil {
			w, err := zw.CreateRaw(&zip.FileHeader{Name: m.name, Method: zip.Deflate,
				CompressedSize64: uint64(len(m.raw)), UncompressedSize64: m.size})
			ts.Check(err)
			_, err = w.Write(m.raw)
			ts.Check(err)
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: zip.Deflate})
		ts.Check(err)
		_, err = w.Write(m.data)
		ts.Check(err)
	}
	ts.Check(zw.Close())
	path := ts.MkAbs(dst)
	ts.Check(os.MkdirAll(filepath.Dir(path), 0o755))
	ts.Check(os.WriteFile(path, buf.Bytes(), 0o644))
}

// deflatedZeros is a deflate stream of mib MiB of zeros, about 1 KiB per
// MiB: one flushed MiB repeated, then a final empty block.
func deflatedZeros(ts *testscript.TestScript, mib int) []byte {
	var chunk bytes.Buffer
	w, err := flate.NewWriter(&chunk, flate.BestCompression)
	ts.Check(err)
	_, err = w.Write(make([]byte, 1<<20))
	ts.Check(err)
	ts.Check(w.Flush())
	return append(bytes.Repeat(chunk.Bytes(), mib), 0x03, 0x00)
}

// rewriteKeepingStat changes the last digit of the last row's trade count
// (a valid row still) and puts the modification time back, as a copy
// preserving times over a file of the same size would: only the content
// tells.
func rewriteKeepingStat(ts *testscript.TestScript, path string) {
	info, err := os.Stat(path)
	ts.Check(err)
	data, err := os.ReadFile(path)
	ts.Check(err)
	i := bytes.LastIndexByte(bytes.TrimSuffix(data, []byte("\n")), ',') + 1
	if i == 0 || data[i] < '0' || data[i] > '9' {
		ts.Fatalf("%s: no trade count to change in the last row", path)
	}
	data[i] = '0' + (data[i]-'0'+1)%10
	if data[i] == '0' && i+1 < len(data) && data[i+1] != '\n' {
		data[i] = '1' // no leading zero
	}
	ts.Check(os.WriteFile(path, data, info.Mode()))
	ts.Check(os.Chtimes(path, time.Time{}, info.ModTime()))
}
