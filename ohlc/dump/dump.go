// Package dump holds the value types of a scanned Kraken dump inventory:
// sources/krakencsv produces them and the planner reads them, so the
// planner needs no reader of zips to plan.
package dump

import "github.com/feefifofunds/candlekeep/ohlc"

// Kind says which span a dump covers for each series it holds.
type Kind string

// Dump kinds.
const (
	FullHistory Kind = "full"      // everything before the cutoff
	Quarterly   Kind = "quarterly" // one calendar quarter
)

// DumpSpec is what the configuration declares about a dump.
type DumpSpec struct {
	Name string
	Path string // a .zip file or a folder
	// Kind "" takes it from the name: a zip Kraken_OHLCVT_Q3_2024.zip, or
	// the folder it unzips to, Kraken_OHLCVT_Q3_2024 (any case), is
	// quarterly; anything else is full history.
	Kind Kind
	// Until is the declared cutoff in Unix seconds; 0 infers it as the end
	// of the newest candle in the whole dump.
	Until int64
	// Quarter is the declared quarter of a quarterly dump; empty takes it
	// from the file name.
	Quarter ohlc.Span
	// TrustEarlyEnds says a member ending long before its pair's other
	// files (Member.EndsEarly) still vouches for its whole span, as "no
	// trades" after its last row; without it only up to its last row.
	TrustEarlyEnds bool
	// Now is the current time in Unix seconds, 0 for no check. A member
	// whose last candle has not closed by Now (or lies in the future) is
	// left out of an inferred cutoff, with a warning: a clock or a file
	// that is wrong must not move the cutoff past what can be true.
	Now int64
}

// Profile is what reading a member once tells about it.
type Profile struct {
	Rows  int64
	First int64 // open time of the first candle
	Last  int64 // open time of the last candle
}

// Member is one PAIR_INTERVAL.csv file of a dump.
type Member struct {
	Dump   string // the dump's name
	Path   string // slash-separated path inside the zip, or relative to the folder
	Series ohlc.Series
	Size   int64 // uncompressed bytes
	// Fingerprint identifies the content: "crc32:<8 hex>:<size>" for zip
	// members (from the zip directory), "sha256:<64 hex>" for plain files.
	Fingerprint string
	// ModTime is a plain file's modification time in Unix nanoseconds when
	// it was scanned; 0 for zip members.
	ModTime int64
	Profile Profile
	// Unprofiled says why the member could not be profiled (its first or
	// last row does not parse, it is empty, or a zip member's bytes are
	// damaged); Profile is then zero, the member does not count towards an
	// inferred cutoff and it fails when loaded. Empty for a good member.
	Unprofiled string
	// EndsEarly is, for a member of a full history whose last candle ends
	// more than a day before its pair's other files end, where the newest
	// of those ends; 0 otherwise.
	EndsEarly int64
}

// Dump is a scanned dump: its members and the span it covers.
type Dump struct {
	Spec    DumpSpec
	Kind    Kind
	IsZip   bool
	Cutoff  int64     // full history: end of what it holds (declared or inferred)
	Quarter ohlc.Span // quarterly: the quarter
	Members []Member  // sorted by series
	// Ignored are the paths of files in the dump that are not
	// PAIR_INTERVAL.csv members (and symlinked folders, which are not
	// followed), so the user can be told about them.
	Ignored []string
	// Warnings are sentences for the user about members left out of the
	// inferred cutoff, each naming the member and why.
	Warnings []string
}

// Covers is the span the dump vouches for a series it holds a file of,
// aligned to the series' interval: everything before the cutoff for a full
// history (before the first row the pair did not trade), or the quarter.
func (d *Dump) Covers(s ohlc.Series) ohlc.Span {
	if d.Kind == Quarterly {
		return d.Quarter.Align(s.Interval)
	}
	return ohlc.Span{Start: 0, End: s.Interval.AlignDown(d.Cutoff)}
}

// CoversMember is what the dump vouches for through one member: Covers,
// except that a member ending early (Member.EndsEarly) vouches only up to
// its last candle unless the dump trusts early ends.
func (d *Dump) CoversMember(m *Member) ohlc.Span {
	sp := d.Covers(m.Series)
	if m.EndsEarly != 0 && !d.Spec.TrustEarlyEnds {
		sp.End = min(sp.End, m.Profile.Last+m.Series.Interval.Seconds())
	}
	return sp
}

// Inventory is every configured dump, scanned.
type Inventory struct {
	Dumps []*Dump // in configuration order
	// CacheUpdates are the profiles and fingerprints computed by this scan
	// that the known cache did not have; the caller persists them.
	CacheUpdates []CacheEntry
	// Digest is a SHA-256 over every member's dump, path and fingerprint.
	Digest string
}

// CacheEntry remembers a member's fingerprint and profile so that a second
// scan neither re-hashes nor re-reads it. Key is "file:<abs path>:<size>:<mtime ns>"
// for plain files and the fingerprint itself for zip members.
type CacheEntry struct {
	Key         string
	Fingerprint string
	// ModTime is a plain file's modification time in Unix nanoseconds when
	// it was scanned; 0 for zip members.
	ModTime int64
	Profile Profile
	// Unprofiled says why the member could not be profiled (its first or
	// last row does not parse, it is empty, or a zip member's bytes are
	// damaged); Profile is then zero, the member does not count towards an
	// inferred cutoff and it fails when loaded. Empty for a good member.
	Unprofiled string
}

// LoadUntil is the declared cutoff rows must lie before when loaded: a
// full history's until, else 0.
func (d *Dump) LoadUntil() int64 {
	if d.Kind == FullHistory {
		return d.Spec.Until
	}
	return 0
}
