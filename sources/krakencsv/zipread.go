package krakencsv

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"sync"

	kflate "github.com/klauspost/compress/flate"
)

const (
	// maxInflateRatio bounds how many times its compressed size a member
	// may inflate to. Kraken's CSV files deflate 2 to 3 times, and even a
	// pair whose price never moves stays far below this (every row still
	// has its own time); a zip bomb inflates about 1,000 times. A member
	// never costs more than this many times its bytes on disk to read.
	maxInflateRatio = 100
	// inflateRatioFloor is the size under which the ratio is not checked:
	// a member this small costs nothing to inflate whatever its ratio.
	inflateRatioFloor = 1 << 20
	// rawReadBytes is how much compressed data one read from the zip
	// file fetches, so inflating is not one system call per 4 KiB.
	rawReadBytes = 256 << 10
)

// ErrZipBomb is the error of a zip member that inflates, or says it
// inflates, to far more than a Kraken CSV file could from its compressed
// size, or past the size its header declares. It is a content error: the
// member fails its own load, quickly and without reading the bomb.
var ErrZipBomb = errors.New("refused as a zip bomb")

// openZipMember opens a member's data for reading with the checks
// archive/zip makes (CRC-32 and size at the end, the same errors) and
// bounds that archive/zip does not make: a member whose header claims a
// size over maxInflateRatio times its compressed size is refused before a
// byte is inflated, and one inflating past its declared size is stopped
// there with ErrZipBomb. Deflate runs on klauspost/compress, which inflates
// Kraken's CSV faster than compress/flate (see BenchmarkInflate).
func openZipMember(f *zip.File) (io.ReadCloser, error) {
	packed, size := f.CompressedSize64, f.UncompressedSize64
	if size > inflateRatioFloor && size/maxInflateRatio >= packed {
		return nil, fmt.Errorf("%w: its header says %d compressed bytes inflate to %d, over %d times (Kraken's CSV files inflate 2 to 3 times)",
			ErrZipBomb, packed, size, maxInflateRatio)
	}
	raw, err := f.OpenRaw()
	if err != nil {
		return nil, err
	}
	var body io.ReadCloser
	switch f.Method {
	case zip.Store:
		body = io.NopCloser(raw)
	case zip.Deflate:
		body = newInflater(raw)
	default:
		return nil, zip.ErrAlgorithm
	}
	var member io.ReadCloser = &memberReader{body: body, size: size, crc: f.CRC32, hash: crc32.NewIEEE()}
	if f.Method == zip.Deflate && size >= readAheadFloor {
		member = newReadAhead(member)
	}
	return member, nil
}

// memberReader checks a member's inflated bytes against its header: never
// more than size, exactly size at the end, and the CRC-32 when the header
// has one (as archive/zip checks it).
type memberReader struct {
	body io.ReadCloser
	size uint64
	read uint64
	crc  uint32
	hash hash.Hash32
	err  error // sticky
}

func (m *memberReader) Read(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	n, err := m.body.Read(p)
	m.read += uint64(n)
	if m.read > m.size {
		m.err = fmt.Errorf("%w: it inflates past the %d bytes its header declares", ErrZipBomb, m.size)
		return 0, m.err
	}
	m.hash.Write(p[:n])
	if err == io.EOF {
		switch {
		case m.read != m.size:
			err = io.ErrUnexpectedEOF
		case m.crc != 0 && m.hash.Sum32() != m.crc:
			err = zip.ErrChecksum
		}
	}
	m.err = err
	return n, err
}

func (m *memberReader) Close() error { return m.body.Close() }

// inflater is a pooled klauspost/compress decompressor with its read
// buffer: both are large, and a run opens thousands of members.
type inflater struct {
	raw   *bufio.Reader
	flate io.ReadCloser
}

var inflaters sync.Pool

func newInflater(r io.Reader) io.ReadCloser {
	in, ok := inflaters.Get().(*inflater)
	if !ok {
		raw := bufio.NewReaderSize(r, rawReadBytes)
		return &pooledInflater{in: &inflater{raw: raw, flate: kflate.NewReader(raw)}}
	}
	in.raw.Reset(r)
	// Reset only fails on a preset dictionary, which is never given.
	_ = in.flate.(kflate.Resetter).Reset(in.raw, nil)
	return &pooledInflater{in: in}
}

// pooledInflater returns its inflater to the pool when closed, once.
type pooledInflater struct{ in *inflater }

func (p *pooledInflater) Read(b []byte) (int, error) {
	if p.in == nil {
		return 0, errors.New("read after close")
	}
	return p.in.flate.Read(b)
}

func (p *pooledInflater) Close() error {
	if p.in == nil {
		return nil
	}
	err := p.in.flate.Close()
	p.in.raw.Reset(nil)
	inflaters.Put(p.in)
	p.in = nil
	return err
}
