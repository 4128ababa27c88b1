package krakencsv

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// The read-ahead passes the body's bytes and its error through unchanged,
// a short member's ErrUnexpectedEOF included, and Close stops it mid-way.
func TestReadAhead(t *testing.T) {
	data := bytes.Repeat([]byte("1381095000,122.0,122.0,122.0,122.0,0.1,1\n"), readAheadChunk*3/40)
	if err := iotest.TestReader(newReadAhead(io.NopCloser(bytes.NewReader(data))), data); err != nil {
		t.Error(err)
	}
	cut := errors.New("cut short")
	tests := []struct {
		name string
		body io.Reader
		want error
	}{
		{"whole", bytes.NewReader(data), nil},
		{"one byte at a time", iotest.OneByteReader(bytes.NewReader(data[:readAheadChunk+7])), nil},
		{"member cut short", io.MultiReader(bytes.NewReader(data), iotest.ErrReader(io.ErrUnexpectedEOF)), io.ErrUnexpectedEOF},
		{"failing body", io.MultiReader(bytes.NewReader(data), iotest.ErrReader(cut)), cut},
		{"empty", bytes.NewReader(nil), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReadAhead(io.NopCloser(tt.body))
			got, err := io.ReadAll(r)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
			wantLen := len(data)
			switch tt.name {
			case "one byte at a time":
				wantLen = readAheadChunk + 7
			case "empty":
				wantLen = 0
			}
			if diff := cmp.Diff(data[:wantLen], got); diff != "" && !bytes.Equal(data[:wantLen], got) {
				t.Errorf("read %d bytes, want %d", len(got), wantLen)
			}
			if err := r.Close(); err != nil {
				t.Error(err)
			}
		})
	}
	r := newReadAhead(io.NopCloser(bytes.NewReader(data)))
	if _, err := r.Read(make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.done:
	default:
		t.Error("the inflating goroutine still runs after Close")
	}
}
