package krakencsv

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestScanLeavesBadMembersOutOfTheCutoff: a member whose first or last row
// does not parse gets no profile, is not cached and does not move the
// inferred cutoff, however late its last row claims to be.
func TestScanLeavesBadMembersOutOfTheCutoff(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "ADAUSD_1440.csv", fixture(t, ada1440))
	writeFile(t, dir, "ETHUSD_1440.csv", append([]byte("timestamp,open,high,low,close,volume,trades\n"), fixture(t, eth1440)...))
	// A last row with a day in 2030 but a field missing: trusting its
	// timestamp would put the cutoff nine years late.
	badXBT := append(fixture(t, xbt1440v2021), "1899936000,1,1,1,1,1\n"...)
	writeFile(t, dir, "XBTUSD_1440.csv", badXBT)

	inv, err := scanOne(t, DumpSpec{Name: "d", Path: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := inv.Dumps[0]
	if d.Cutoff != april2021 {
		t.Errorf("cutoff %d; want %d, from ADAUSD_1440.csv alone", d.Cutoff, april2021)
	}
	type member struct {
		Path, Unprofiled string
		Profile          Profile
	}
	var got []member
	for _, m := range d.Members {
		got = append(got, member{m.Path, m.Unprofiled, m.Profile})
	}
	base := filepath.Base(dir)
	want := []member{
		{"ADAUSD_1440.csv", "", fixtureRows[ada1440]},
		{"ETHUSD_1440.csv", base + `/ETHUSD_1440.csv line 1: timestamp "timestamp" is not a whole number of seconds`, Profile{}},
		{"XBTUSD_1440.csv", base + "/XBTUSD_1440.csv line 2723: 6 fields, want 7", Profile{}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	wantWarnings := []string{
		"ETHUSD_1440.csv: it could not be profiled (" + want[1].Unprofiled + "); it is left out of the inferred cutoff and will fail when loaded",
		"XBTUSD_1440.csv: it could not be profiled (" + want[2].Unprofiled + "); it is left out of the inferred cutoff and will fail when loaded",
	}
	if diff := cmp.Diff(wantWarnings, d.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	// The bad file still has its fingerprint, so a failed load can be
	// recorded against it, but its failed profile is not cached.
	if d.Members[2].Fingerprint != sha256Of(badXBT) {
		t.Errorf("fingerprint %q; want the file's hash", d.Members[2].Fingerprint)
	}
	if len(inv.CacheUpdates) != 1 || inv.CacheUpdates[0].Fingerprint != d.Members[0].Fingerprint {
		t.Errorf("cache updates %+v; want only ADAUSD_1440.csv", inv.CacheUpdates)
	}
	// With the cutoff declared, nothing is inferred, and the bad members
	// are still named, so plan says what will fail.
	inv, err = scanOne(t, DumpSpec{Name: "d", Path: dir, Until: april2021}, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantWarnings = []string{
		"ETHUSD_1440.csv: it will fail when loaded (" + want[1].Unprofiled + ")",
		"XBTUSD_1440.csv: it will fail when loaded (" + want[2].Unprofiled + ")",
	}
	if d := inv.Dumps[0]; d.Cutoff != april2021 || !cmp.Equal(d.Warnings, wantWarnings) {
		t.Errorf("declared until: cutoff %d, warnings %q; want %d and %q", d.Cutoff, d.Warnings, april2021, wantWarnings)
	}
}

// TestScanLeavesUnclosedCandlesOutOfTheCutoff: a member whose last candle
// has not closed by Now does not count towards the inferred cutoff.
func TestScanLeavesUnclosedCandlesOutOfTheCutoff(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "ADAUSD_1440.csv", fixture(t, ada1440)) // last candle 2021-03-31, closes at april2021
	writeFile(t, dir, "STORJUSD_60.csv", fixture(t, storj60)) // last candle 2020-09-30 23:00
	const storjEnd = 1601510400
	adaWarning := "ADAUSD_1440.csv: its last candle (2021-03-31 00:00) ends after now; it is left out of the inferred cutoff; declare until to say where the dump ends"
	storjWarning := "STORJUSD_60.csv: its last candle (2020-09-30 23:00) ends after now; it is left out of the inferred cutoff; declare until to say where the dump ends"
	tests := []struct {
		name         string
		now, until   int64
		wantCutoff   int64
		wantWarnings []string
	}{
		{name: "no clock", wantCutoff: april2021},
		{name: "every candle closed", now: april2021, wantCutoff: april2021},
		{name: "one candle still open", now: april2021 - 1, wantCutoff: storjEnd, wantWarnings: []string{adaWarning}},
		{name: "clock before both", now: storjEnd - 1, wantCutoff: 0, wantWarnings: []string{adaWarning, storjWarning}},
		{name: "declared until", now: storjEnd - 1, until: april2021, wantCutoff: april2021},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv, err := scanOne(t, DumpSpec{Name: "d", Path: dir, Now: tt.now, Until: tt.until}, nil)
			if err != nil {
				t.Fatal(err)
			}
			d := inv.Dumps[0]
			if d.Cutoff != tt.wantCutoff {
				t.Errorf("cutoff %d; want %d", d.Cutoff, tt.wantCutoff)
			}
			if diff := cmp.Diff(tt.wantWarnings, d.Warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}
