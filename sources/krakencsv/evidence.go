package krakencsv

import (
	"fmt"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// maxUntilLead is how far a declared until may lie past the end of the
// dump's newest candle. A full history holds liquid pairs trading every
// hour up to its cutoff, so a week without a single row says the until (or
// the folder) is wrong, not that nobody traded.
const maxUntilLead = 7 * 24 * 3600

// earlyEndSlack is how much sooner than its pair's other files a member may
// end and still be taken to end where trading did: files of two intervals
// holding the same last trade end at most a day (the longest interval)
// apart.
const earlyEndSlack = 24 * 3600

// checkEvidence holds a dump's declared span to its rows, after the
// cutoff is settled: a member with a row at or after a declared until is
// left unprofiled (it fails when loaded); a declared until far past the
// newest candle, or a declared quarter no row lies in, fails the dump,
// naming both dates; and members of a full history ending long before
// their pair's other files are marked EndsEarly.
func checkEvidence(d *Dump) error {
	var newest int64 // end of the newest candle of a profiled member
	inQuarter := false
	for k := range d.Members {
		m := &d.Members[k]
		if m.Unprofiled != "" && (d.Kind != FullHistory || d.Spec.Until != 0) {
			// An inferred cutoff's warning already named it (finishDump);
			// plan must say it either way.
			d.Warnings = append(d.Warnings, fmt.Sprintf("%s: it will fail when loaded (%s)", m.Path, m.Unprofiled))
		}
		if m.Unprofiled != "" || m.Profile.Rows == 0 {
			continue
		}
		if until := d.LoadUntil(); until != 0 && m.Profile.Last >= until {
			m.Unprofiled = (&ParseError{File: memberName(d.Spec.Path, m.Path), Line: int(m.Profile.Rows), Err: checkRange(m.Profile.Last, until)}).Error()
			d.Warnings = append(d.Warnings, fmt.Sprintf("%s: it will fail when loaded (%s)", m.Path, m.Unprofiled))
			continue
		}
		end := m.Profile.Last + m.Series.Interval.Seconds()
		newest = max(newest, end)
		rows := ohlc.Span{Start: m.Profile.First, End: end}
		inQuarter = inQuarter || !rows.Intersect(d.Quarter).Empty()
	}
	if newest == 0 {
		return nil // nothing profiled to hold the declaration to
	}
	switch {
	case d.Kind == Quarterly && !inQuarter:
		return fmt.Errorf("the declared quarter %s → %s holds no row of any of its files (the newest candle ends %s): declare the quarter the files hold",
			formatTime(d.Quarter.Start), formatTime(d.Quarter.End), formatTime(newest))
	case d.Kind == FullHistory && d.Spec.Until != 0 && d.Spec.Until-newest > maxUntilLead:
		return fmt.Errorf("until %s is %s after the newest candle ends (%s): a full history holds candles up to its cutoff, so until or the files are wrong; correct until, or remove it to infer the cutoff",
			formatTime(d.Spec.Until), formatLead(d.Spec.Until-newest), formatTime(newest))
	}
	if d.Kind == FullHistory {
		markEarlyEnds(d.Members)
	}
	return nil
}

// markEarlyEnds sets EndsEarly on members whose last candle ends more than
// earlyEndSlack before the newest end among their pair's other members.
// A delisted pair's files all end early together and stay unmarked.
func markEarlyEnds(members []Member) {
	type top struct{ first, second int64 } // the two newest ends of a pair
	ends := map[string]*top{}
	end := func(m *Member) int64 {
		if m.Unprofiled != "" || m.Profile.Rows == 0 {
			return 0
		}
		return m.Profile.Last + m.Series.Interval.Seconds()
	}
	for k := range members {
		e := end(&members[k])
		t := ends[members[k].Series.Pair]
		if t == nil {
			t = &top{}
			ends[members[k].Series.Pair] = t
		}
		switch {
		case e > t.first:
			t.first, t.second = e, t.first
		case e > t.second:
			t.second = e
		}
	}
	for k := range members {
		m := &members[k]
		e := end(m)
		if e == 0 {
			continue
		}
		t := ends[m.Series.Pair]
		others := t.first
		if e == t.first {
			others = t.second // the newest of the other members
		}
		if others-e > earlyEndSlack {
			m.EndsEarly = others
		}
	}
}

// formatLead words a lead of whole days: 3d.
func formatLead(seconds int64) string { return ohlc.FormatSeconds(seconds/86400*86400, 1) }
