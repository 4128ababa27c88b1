package krakencsv

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
)

// Archives shares open zips between the members a run reads; safe for
// concurrent use. A full Kraken history is one zip of ~24,000 members:
// opening each member through its own zip.Reader would read and parse the
// whole central directory 24,000 times.
//
// A zip replaced or rewritten on disk after it was first opened (another
// size, modification time or file) is opened afresh when a member of it is
// next opened, and the member is then checked against its planned
// fingerprint exactly as a first open would: a member that is the same is
// read, one that changed or went is refused with ErrChanged. The old handle
// stays open for members already being read and is closed by Close.
type Archives struct {
	mu      sync.Mutex
	open    map[string]*zipArchive // by DumpPath
	retired []*zipArchive          // replaced on disk, still possibly read
	closed  bool
}

// zipArchive is one open zip and its members by name.
type zipArchive struct {
	file   *os.File
	info   os.FileInfo // of the open handle, to tell when the path changed
	reader *zip.Reader
	byName map[string]*zip.File
}

// errArchivesClosed is the error of Open after Close.
var errArchivesClosed = errors.New("zip archives already closed")

// NewArchives returns an empty set of open zips.
func NewArchives() *Archives {
	return &Archives{open: map[string]*zipArchive{}}
}

// Open is Open (same checks, same errors) with zips kept open and members
// looked up by name in O(1).
func (a *Archives) Open(ctx context.Context, src Source) (*File, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	series, ok := ParseMemberName(src.Member)
	if !ok {
		return nil, fmt.Errorf("open %s: %s is not named PAIR_INTERVAL.csv", src.DumpPath, src.Member)
	}
	name := memberName(src.DumpPath, src.Member)
	if !src.IsZip {
		return openPlainFile(src, name, series)
	}
	arc, err := a.archive(src.DumpPath)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	// Exact name: a member is planned by its path in the zip, and a zip
	// holding two entries of one name was refused when it was scanned.
	member := arc.byName[src.Member]
	if member == nil {
		return nil, fmt.Errorf("open %s: no such member: the zip %w", name, ErrChanged)
	}
	if fp := zipFingerprint(member); src.Fingerprint != "" && fp != src.Fingerprint {
		return nil, fmt.Errorf("open %s: %w (fingerprint %s, planned %s)", name, ErrChanged, fp, src.Fingerprint)
	}
	rc, err := openZipMember(member)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	return newFile(name, series, rc, src.Until, rc.Close), nil
}

// archive returns the open zip at path, opening it the first time and
// again whenever the file at path is no longer the one open.
func (a *Archives) archive(path string) (*zipArchive, error) {
	// Stat outside the lock: it is the one system call every member open
	// pays, and workers opening members of one zip must not queue for it.
	now, statErr := os.Stat(path)
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return nil, errArchivesClosed
	}
	if arc := a.open[path]; arc != nil {
		if statErr == nil && sameFile(arc.info, now) {
			return arc, nil
		}
		delete(a.open, path)
		a.retired = append(a.retired, arc)
	}
	arc, err := openZipArchive(path)
	if err != nil {
		return nil, err
	}
	a.open[path] = arc
	return arc, nil
}

// sameFile reports whether two stats are of one unchanged file: the same
// file (device and inode), size and modification time.
func sameFile(was, now os.FileInfo) bool {
	return os.SameFile(was, now) && was.Size() == now.Size() && was.ModTime().Equal(now.ModTime())
}

// Close closes every zip opened. Files opened through a are read from
// those zips, so they must be closed first.
func (a *Archives) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closed = true
	var errs []error
	for path, arc := range a.open {
		errs = append(errs, arc.file.Close())
		delete(a.open, path)
	}
	for _, arc := range a.retired {
		errs = append(errs, arc.file.Close())
	}
	a.retired = nil
	return errors.Join(errs...)
}

// openZipArchive opens a zip, says plainly when the file is not one, and
// indexes its members by name.
func openZipArchive(path string) (*zipArchive, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open zip %s: %w", path, err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open zip %s: %w", path, err)
	}
	zr, err := zip.NewReader(f, info.Size())
	if err := zipOpenError(path, err); err != nil {
		f.Close()
		return nil, err
	}
	arc := &zipArchive{file: f, info: info, reader: zr, byName: make(map[string]*zip.File, len(zr.File))}
	for _, m := range zr.File {
		if _, dup := arc.byName[m.Name]; !dup {
			arc.byName[m.Name] = m
		}
	}
	return arc, nil
}
