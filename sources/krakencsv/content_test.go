package krakencsv

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIsContentError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"parse error", fmt.Errorf("open x: %w", &ParseError{File: "x", Line: 3, Err: errors.New("empty line")}), true},
		{"zip checksum", fmt.Errorf("read x: %w", zip.ErrChecksum), true},
		{"zip format", fmt.Errorf("open x: %w", zip.ErrFormat), true},
		{"broken deflate", fmt.Errorf("read x: %w", flate.CorruptInputError(12)), true},
		{"stream ends early", fmt.Errorf("read x: %w", io.ErrUnexpectedEOF), true},
		{"changed since planned", fmt.Errorf("read x: %w", ErrChanged), false},
		{"missing file", fmt.Errorf("open x: %w", os.ErrNotExist), false},
		{"cancelled", context.Canceled, false},
		{"none", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsContentError(tt.err); got != tt.want {
				t.Errorf("IsContentError(%v) = %v; want %v", tt.err, got, tt.want)
			}
		})
	}
}

// TestDamagedDeflateIsAContentError: a zip member whose compressed bytes
// are garbage leaves the scan standing and fails its load with an error
// IsContentError recognises.
func TestDamagedDeflateIsAContentError(t *testing.T) {
	xbt := fixture(t, xbt1440v2022)
	good := buildZip(t, []zipEntry{{name: "XBTUSD_1440.csv", data: xbt}})
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	offset, err := zr.File[0].DataOffset()
	if err != nil {
		t.Fatal(err)
	}
	// A first block of the reserved type 3 cannot be inflated.
	damaged := bytes.Clone(good)
	damaged[offset] = 0xFF
	path := writeFile(t, t.TempDir(), "Kraken_OHLCVT.zip", damaged)

	inv, err := scanOne(t, DumpSpec{Name: "d", Path: path}, nil)
	if err != nil {
		t.Fatalf("scan failed for one damaged member: %v", err)
	}
	d := inv.Dumps[0]
	m := d.Members[0]
	if !strings.HasPrefix(m.Unprofiled, "Kraken_OHLCVT.zip/XBTUSD_1440.csv: flate: corrupt input") || m.Profile != (Profile{}) {
		t.Errorf("member %+v; want it unprofiled for its corrupt input", m)
	}
	if diff := cmp.Diff([]string{"XBTUSD_1440.csv: it could not be profiled (" + m.Unprofiled + "); it is left out of the inferred cutoff and will fail when loaded"}, d.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	_, err = readFile(t, SourceOf(d, m))
	var corrupt flate.CorruptInputError
	if !errors.As(err, &corrupt) || !IsContentError(err) {
		t.Fatalf("loading: %v; want flate's corrupt input, a content error", err)
	}
}
