package krakencsv

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// scanJob is one member whose fingerprint or profile the cache lacked.
type scanJob struct {
	dump    *Dump
	index   int       // of the member in dump.Members, which no longer grows once listed
	zipFile *zip.File // nil for a plain file
	absPath string    // plain files only
	key     string    // cache key
	// unprofiled is set when the member's content is bad (see
	// Member.Unprofiled); it is then not cached, so a repaired file is
	// read again.
	unprofiled bool
}

// Scan lists, fingerprints and profiles every dump. Members found in known
// (by cache key) are not read at all; the rest are read once each, in
// parallel, and returned in CacheUpdates. A dump that is missing, a file
// that is not a valid zip, or two files of one series in a dump fail the
// whole scan, with the dump named. A member whose content is bad (see
// IsContentError) does not: it is left unprofiled and uncached, and fails
// only its own load.
// A quarterly dump's Cutoff is 0: it covers its Quarter instead.
func Scan(ctx context.Context, specs []DumpSpec, known map[string]CacheEntry) (*Inventory, error) {
	inv := &Inventory{}
	var jobs []scanJob
	for _, spec := range specs {
		d, dumpJobs, closeZip, err := listDump(spec, known)
		if err != nil {
			return nil, err
		}
		if closeZip != nil {
			defer closeZip()
		}
		inv.Dumps = append(inv.Dumps, d)
		jobs = append(jobs, dumpJobs...)
	}
	if err := runJobs(ctx, jobs); err != nil {
		return nil, err
	}

	updates := map[string]CacheEntry{}
	for _, j := range jobs {
		if j.unprofiled {
			continue
		}
		m := j.dump.Members[j.index]
		updates[j.key] = CacheEntry{Key: j.key, Fingerprint: m.Fingerprint, Profile: m.Profile}
	}
	for _, key := range slices.Sorted(maps.Keys(updates)) {
		inv.CacheUpdates = append(inv.CacheUpdates, updates[key])
	}

	digest := sha256.New()
	var line []byte
	for _, d := range inv.Dumps {
		finishDump(d)
		if err := checkEvidence(d); err != nil {
			return nil, fmt.Errorf("dump %q: %w", d.Spec.Name, err)
		}
		for _, m := range d.Members {
			// The bytes of "%s\x00%s\x00%s\n", without fmt per member.
			line = append(line[:0], d.Spec.Name...)
			line = append(append(line, 0), m.Path...)
			line = append(append(line, 0), m.Fingerprint...)
			digest.Write(append(line, '\n'))
		}
	}
	inv.Digest = hex.EncodeToString(digest.Sum(nil))
	return inv, nil
}

// listDump finds the members of one dump without reading them. For a zip it
// returns the function that closes it once the jobs have run.
func listDump(spec DumpSpec, known map[string]CacheEntry) (*Dump, []scanJob, func() error, error) {
	info, err := os.Stat(spec.Path)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("dump %q: %w", spec.Name, err)
	}
	d := &Dump{Spec: spec, IsZip: !info.IsDir()}
	d.Kind, d.Quarter, err = resolveKind(spec)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("dump %q: %w", spec.Name, err)
	}
	if d.IsZip {
		zr, err := openZip(spec.Path)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("dump %q: %w", spec.Name, err)
		}
		jobs, err := listZip(d, zr, known)
		if err != nil {
			zr.Close()
			return nil, nil, nil, fmt.Errorf("dump %q: %w", spec.Name, err)
		}
		return d, jobs, zr.Close, nil
	}
	jobs, err := listFolder(d, known)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("dump %q: %w", spec.Name, err)
	}
	return d, jobs, nil, nil
}

// openZip opens a zip and says plainly when the file is not one.
func openZip(path string) (*zip.ReadCloser, error) {
	zr, err := zip.OpenReader(path)
	if err := zipOpenError(path, err); err != nil {
		return nil, err
	}
	return zr, nil
}

// zipOpenError is what opening the zip at path failed with, said plainly
// when the file is not a zip. A member path with ".." or a leading slash
// is no error here: members are matched by name and read in place, never
// extracted (archive/zip still returns the reader with ErrInsecurePath).
func zipOpenError(path string, err error) error {
	switch {
	case err == nil || errors.Is(err, zip.ErrInsecurePath):
		return nil
	case errors.Is(err, zip.ErrFormat):
		return fmt.Errorf("%s is not a valid zip file (corrupt or truncated): %w", path, err)
	default:
		return fmt.Errorf("open zip %s: %w", path, err)
	}
}

// zipFingerprint is "crc32:%08x:%d" of the member's CRC-32 and size,
// built without fmt: a full history has 24,000 members.
func zipFingerprint(f *zip.File) string {
	const hexDigits = "0123456789abcdef"
	out := make([]byte, 0, len("crc32:")+8+1+20)
	out = append(out, "crc32:"...)
	for shift := 28; shift >= 0; shift -= 4 {
		out = append(out, hexDigits[f.CRC32>>shift&0xf])
	}
	out = append(out, ':')
	return string(strconv.AppendUint(out, f.UncompressedSize64, 10))
}

func listZip(d *Dump, zr *zip.ReadCloser, known map[string]CacheEntry) ([]scanJob, error) {
	seen := map[ohlc.Series]string{}
	var jobs []scanJob
	d.Members = make([]Member, 0, len(zr.File))
	for _, f := range zr.File {
		// What f.FileInfo().IsDir() says, without allocating a FileInfo.
		if f.Mode().IsDir() {
			continue
		}
		series, ok := ParseMemberName(f.Name)
		if !ok {
			d.Ignored = append(d.Ignored, f.Name)
			continue
		}
		if other, dup := seen[series]; dup {
			return nil, fmt.Errorf("two files for %s: %s and %s", series, other, f.Name)
		}
		seen[series] = f.Name
		fp := zipFingerprint(f)
		m := Member{Dump: d.Spec.Name, Path: f.Name, Series: series, Size: int64(f.UncompressedSize64), Fingerprint: fp}
		e, hit := known[fp]
		if hit {
			m.Profile = e.Profile
		} else {
			jobs = append(jobs, scanJob{dump: d, index: len(d.Members), zipFile: f, key: fp})
		}
		d.Members = append(d.Members, m)
	}
	return jobs, nil
}

func listFolder(d *Dump, known map[string]CacheEntry) ([]scanJob, error) {
	root, err := filepath.Abs(d.Spec.Path)
	if err != nil {
		return nil, err
	}
	// The dump folder itself may be a link (downloads -> /mnt/data): walk
	// what it points to, so the walk does not stop at the link.
	if root, err = filepath.EvalSymlinks(root); err != nil {
		return nil, err
	}
	seen := map[ohlc.Series]string{}
	var jobs []scanJob
	err = filepath.WalkDir(root, func(path string, entry fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if entry.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		// Anything not named PAIR_INTERVAL.csv is ignored unopened, so a
		// broken or looping link of another name (notes, a folder link)
		// cannot stop the scan.
		series, ok := ParseMemberName(entry.Name())
		if !ok {
			d.Ignored = append(d.Ignored, rel)
			return nil
		}
		// Stat follows a symlink to a file; a symlinked folder is not
		// walked, so links cannot loop.
		info, err := os.Stat(path)
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			d.Ignored = append(d.Ignored, rel)
			return nil
		}
		if other, dup := seen[series]; dup {
			return fmt.Errorf("two files for %s: %s and %s", series, other, rel)
		}
		seen[series] = rel
		key := fmt.Sprintf("file:%s:%d:%d:%s", path, info.Size(), info.ModTime().UnixNano(), changeStamp(info))
		m := Member{Dump: d.Spec.Name, Path: rel, Series: series, Size: info.Size(), ModTime: info.ModTime().UnixNano()}
		e, hit := known[key]
		if hit {
			m.Fingerprint, m.Profile = e.Fingerprint, e.Profile
		} else {
			jobs = append(jobs, scanJob{dump: d, index: len(d.Members), absPath: path, key: key})
		}
		d.Members = append(d.Members, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return jobs, nil
}

// resolveKind decides whether a dump is a full history or a quarter.
func resolveKind(spec DumpSpec) (Kind, ohlc.Span, error) {
	// A zip and the folder it unzips to are both named by the quarter.
	quarter, named := QuarterFromName(filepath.Base(spec.Path))
	kind := spec.Kind
	switch kind {
	case "":
		kind = FullHistory
		if named {
			kind = Quarterly
		}
	case FullHistory, Quarterly:
	default:
		return "", ohlc.Span{}, fmt.Errorf("kind %q is neither %q nor %q", kind, FullHistory, Quarterly)
	}
	if kind != Quarterly {
		return kind, ohlc.Span{}, nil
	}
	if !spec.Quarter.Empty() {
		return kind, spec.Quarter, nil
	}
	if !named {
		return "", ohlc.Span{}, fmt.Errorf("quarterly, but no quarter is declared and %s is not named like Kraken_OHLCVT_Q1_2024.zip (or the folder Kraken_OHLCVT_Q1_2024)", filepath.Base(spec.Path))
	}
	return kind, quarter, nil
}

// finishDump sorts the members and settles the cutoff of a full history.
// An inferred cutoff trusts only members whose first and last rows parse
// and whose last candle had closed by Spec.Now; the others are named in
// Warnings.
func finishDump(d *Dump) {
	sortMembers(d.Members)
	switch {
	case d.Kind != FullHistory:
	case d.Spec.Until != 0:
		d.Cutoff = d.Spec.Until
	default:
		for _, m := range d.Members {
			end := m.Profile.Last + m.Series.Interval.Seconds()
			switch {
			case m.Unprofiled != "":
				d.Warnings = append(d.Warnings, fmt.Sprintf("%s: it could not be profiled (%s); it is left out of the inferred cutoff and will fail when loaded",
					m.Path, m.Unprofiled))
			case m.Profile.Rows == 0:
			case d.Spec.Now != 0 && end > d.Spec.Now:
				d.Warnings = append(d.Warnings, fmt.Sprintf("%s: its last candle (%s) ends after now; it is left out of the inferred cutoff; declare until to say where the dump ends",
					m.Path, time.Unix(m.Profile.Last, 0).UTC().Format("2006-01-02 15:04")))
			default:
				d.Cutoff = max(d.Cutoff, end)
			}
		}
	}
}

// sortMembers sorts members by series through an index: a Member is large,
// and with 24,000 of them moving the structs costs more than comparing.
// A dump holds one member per series, so the order is the same as sorting
// the structs.
func sortMembers(members []Member) {
	bySeries := func(a, b Member) int { return a.Series.Compare(b.Series) }
	if slices.IsSortedFunc(members, bySeries) {
		return
	}
	order := make([]int32, len(members))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return members[a].Series.Compare(members[b].Series) })
	sorted := make([]Member, len(members))
	for i, k := range order {
		sorted[i] = members[k]
	}
	copy(members, sorted)
}
