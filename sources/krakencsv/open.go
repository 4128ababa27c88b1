package krakencsv

import (
	"archive/zip"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// Source says where a planned member is and what its content was when the
// plan was made.
type Source struct {
	DumpPath string // the zip file or folder, as configured
	IsZip    bool
	Member   string // Member.Path: slash-separated, inside the zip or the folder
	// Fingerprint is Member.Fingerprint at planning time; Open refuses a
	// member whose content has changed since. Empty skips the check.
	Fingerprint string
	// Size and ModTime are Member.Size and Member.ModTime at planning time.
	// Open compares them with a plain file's before reading a row, so a
	// changed file is refused up front rather than when its hash is
	// checked at the end; zip members are checked by fingerprint alone.
	// 0 skips the check.
	Size    int64
	ModTime int64
	// Until is the dump's declared cutoff: a row at or after it is a bad
	// row, as the scan found it. 0 for none.
	Until int64
}

// SourceOf is how to open one of the dump's members for loading.
func SourceOf(d *Dump, m Member) Source {
	return Source{DumpPath: d.Spec.Path, IsZip: d.IsZip, Member: m.Path, Fingerprint: m.Fingerprint, Size: m.Size, ModTime: m.ModTime, Until: d.LoadUntil()}
}

// ErrChanged is the error of a member whose content differs from the
// fingerprint it was planned with.
var ErrChanged = errors.New("changed since it was planned")

// IsContentError reports whether err means a member's bytes are bad: a row
// the parser refuses, or a zip member whose data fails its checksum, does
// not inflate, ends early or inflates like a zip bomb (ErrZipBomb). Such a
// member fails its own load and stays failed until its content changes. ErrChanged is not one: a file changed
// since planning is not a bad file, only a different one.
func IsContentError(err error) bool {
	var parse *ParseError
	var corrupt flate.CorruptInputError
	return errors.As(err, &parse) ||
		errors.Is(err, zip.ErrChecksum) ||
		errors.Is(err, zip.ErrFormat) ||
		errors.Is(err, ErrZipBomb) ||
		errors.As(err, &corrupt) ||
		// Only a zip member's stream ends early: a plain file's read
		// gives io.EOF wherever the file ends.
		errors.Is(err, io.ErrUnexpectedEOF)
}

// memberName is how errors refer to a member: the dump's base name and the
// member path.
func memberName(dumpPath, member string) string {
	return filepath.Base(dumpPath) + "/" + member
}

// File is one member opened for loading: the strict parser over its rows.
type File struct {
	name   string
	series ohlc.Series
	rows   *Reader
	close  func() error
}

// Open opens a member for loading. A zip member's CRC-32 and size are
// checked against the fingerprint before reading, and the CRC of the bytes
// at the end; a plain file is hashed while it is read and checked at the
// end. Either mismatch makes Read fail with ErrChanged (or zip's checksum
// error) instead of io.EOF. A run opening many members of one zip uses
// Archives.Open instead, which keeps the zip open between them.
func Open(ctx context.Context, src Source) (*File, error) {
	if !src.IsZip {
		return NewArchives().Open(ctx, src) // a plain file opens no zip
	}
	a := NewArchives()
	f, err := a.Open(ctx, src)
	if err != nil {
		a.Close() // nothing was read from it
		return nil, err
	}
	closeMember := f.close
	f.close = func() error { return errors.Join(closeMember(), a.Close()) }
	return f, nil
}

// openPlainFile opens a member of a folder dump.
func openPlainFile(src Source, name string, series ohlc.Series) (*File, error) {
	if !filepath.IsLocal(filepath.FromSlash(src.Member)) {
		return nil, fmt.Errorf("open %s: member path is not inside the folder", name)
	}
	f, err := os.Open(filepath.Join(src.DumpPath, filepath.FromSlash(src.Member)))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	if err := checkStat(f, src, name); err != nil {
		f.Close()
		return nil, err
	}
	var r io.Reader = f
	if src.Fingerprint != "" {
		r = &verifyingReader{r: f, h: sha256.New(), want: src.Fingerprint}
	}
	return newFile(name, series, r, src.Until, f.Close), nil
}

// newFile is the strict parser over a member's bytes, refusing rows at or
// after the dump's declared until.
func newFile(name string, series ohlc.Series, r io.Reader, until int64, close func() error) *File {
	rows := NewReader(r, name, series.Interval)
	rows.SetUntil(until)
	return &File{name: name, series: series, rows: rows, close: close}
}

// checkStat refuses a plain file whose size or modification time is not
// what was planned. It stats the open file, so what is checked is what
// will be read.
func checkStat(f *os.File, src Source, name string) error {
	if src.Size == 0 && src.ModTime == 0 {
		return nil
	}
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open %s: %w", name, err)
	}
	if src.Size != 0 && info.Size() != src.Size {
		return fmt.Errorf("open %s: %w (size %d bytes, planned %d)", name, ErrChanged, info.Size(), src.Size)
	}
	if mtime := info.ModTime().UnixNano(); src.ModTime != 0 && mtime != src.ModTime {
		return fmt.Errorf("open %s: %w (modified %s, planned %s)", name, ErrChanged,
			formatNanos(mtime), formatNanos(src.ModTime))
	}
	return nil
}

func formatNanos(ns int64) string {
	return time.Unix(0, ns).UTC().Format(time.RFC3339Nano)
}

// Read fills buf with the next candles; see Reader.Read.
func (f *File) Read(buf []ohlc.Candle) (int, error) { return f.rows.Read(buf) }

// Close releases the file (and the zip it is in).
func (f *File) Close() error { return f.close() }

// Series is the series named by the member's file name.
func (f *File) Series() ohlc.Series { return f.series }

// Name is how errors refer to the member: the dump's base name and the
// member path.
func (f *File) Name() string { return f.name }

// verifyingReader hashes what passes through and, at the end, turns io.EOF
// into ErrChanged when the hash is not the planned fingerprint.
type verifyingReader struct {
	r    io.Reader
	h    hash.Hash
	want string
}

func (v *verifyingReader) Read(p []byte) (int, error) {
	n, err := v.r.Read(p)
	v.h.Write(p[:n])
	if err == io.EOF {
		if got := "sha256:" + hex.EncodeToString(v.h.Sum(nil)); got != v.want {
			return n, fmt.Errorf("%w (fingerprint %s, planned %s)", ErrChanged, got, v.want)
		}
	}
	return n, err
}
