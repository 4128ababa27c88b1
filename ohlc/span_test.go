package ohlc

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAlignDownUp(t *testing.T) {
	tests := []struct {
		iv       Interval
		t        int64
		down, up int64
	}{
		{60, 0, 0, 0},
		{60, 1, 0, 3600},
		{60, 3599, 0, 3600},
		{60, 3600, 3600, 3600},
		{60, -1, -3600, 0},
		{60, -3600, -3600, -3600},
		{60, -3601, -7200, -3600},
		{1440, 1577836800 + 10, 1577836800, 1577836800 + 86400},
		{1, 61, 60, 120},
		{10080, 604800 + 5, 604800, 2 * 604800},
	}
	for _, tc := range tests {
		if got := tc.iv.AlignDown(tc.t); got != tc.down {
			t.Errorf("Interval(%d).AlignDown(%d) = %d, want %d", tc.iv, tc.t, got, tc.down)
		}
		if got := tc.iv.AlignUp(tc.t); got != tc.up {
			t.Errorf("Interval(%d).AlignUp(%d) = %d, want %d", tc.iv, tc.t, got, tc.up)
		}
	}
}

func TestSpanMethods(t *testing.T) {
	s := sp(3600, 7*3600)
	if !s.Contains(3600) || s.Contains(7*3600) || s.Contains(3599) {
		t.Error("Contains is not half-open [start, end)")
	}
	if got := s.Candles(60); got != 6 {
		t.Errorf("Candles(60) = %d, want 6", got)
	}
	if got := sp(10, 5).Seconds(); got != 0 {
		t.Errorf("Seconds of an inverted span = %d, want 0", got)
	}
	intersect := []struct {
		a, b, want Span
	}{
		{sp(0, 10), sp(5, 20), sp(5, 10)},
		{sp(0, 10), sp(10, 20), Span{}},
		{sp(0, 10), sp(20, 30), Span{}},
		{sp(0, 100), sp(10, 20), sp(10, 20)},
	}
	for _, tc := range intersect {
		if diff := cmp.Diff(tc.want, tc.a.Intersect(tc.b)); diff != "" {
			t.Errorf("%v.Intersect(%v) (-want +got):\n%s", tc.a, tc.b, diff)
		}
	}
	align := []struct {
		in   Span
		iv   Interval
		want Span
	}{
		{sp(0, 7200), 60, sp(0, 7200)},
		{sp(1, 7199), 60, Span{}},
		{sp(1, 10801), 60, sp(3600, 10800)},
		{sp(-5000, -1), 60, Span{}},
		{sp(-7300, 100), 60, sp(-7200, 0)},
	}
	for _, tc := range align {
		if diff := cmp.Diff(tc.want, tc.in.Align(tc.iv)); diff != "" {
			t.Errorf("%v.Align(%d) (-want +got):\n%s", tc.in, tc.iv, diff)
		}
	}
}

func TestParseTimeAndFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"2020-01-01", 1577836800, false},
		{"2020-01-01T10:00:00Z", 1577872800, false},
		{"2020-01-01T10:00:00+02:00", 1577865600, false},
		{"2020-01-01T10:00", 1577872800, false},
		{"2020-01-01 10:00", 1577872800, false},
		{"2020-01-01 10:00:30", 1577872830, false},
		// Every time form exists with either separator and with a zone.
		{"2020-01-01T10:00:30", 1577872830, false},
		{"2020-01-01 10:00Z", 1577872800, false},
		{"2020-01-01T10:00+02:00", 1577865600, false},
		{"2020-01-01 10:00:00+02:00", 1577865600, false},
		{"2020-01-01T10:00:00.5Z", 1577872800, false},
		// Without a zone a time is UTC, even one a DST change skips locally.
		{"2024-03-31 02:30", 1711852200, false},
		{"2020-01-01 10", 0, true},
		{"2020-01-01  10:00", 0, true},
		{"2020-01-01 10:00 UTC", 0, true},
		{"1969-12-31", -86400, false},
		{"2020-13-01", 0, true},
		{"yesterday", 0, true},
		{"", 0, true},
	}
	for _, tc := range tests {
		got, err := ParseTime(tc.in)
		if (err != nil) != tc.wantErr {
			t.Errorf("ParseTime(%q) error = %v, want error %v", tc.in, err, tc.wantErr)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseTime(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
	_, err := ParseTime("01/02/2020")
	if err == nil || !strings.Contains(err.Error(), TimeForms) {
		t.Errorf("ParseTime(01/02/2020) error = %v, want one listing %s", err, TimeForms)
	}
	formats := map[int64]string{
		1577836800: "2020-01-01",
		1577872800: "2020-01-01 10:00",
		-86400:     "1969-12-31",
	}
	for at, want := range formats {
		if got := FormatTime(at); got != want {
			t.Errorf("FormatTime(%d) = %q, want %q", at, got, want)
		}
	}
	if got := sp(1577836800, 1577872800).String(); got != "[2020-01-01, 2020-01-01 10:00)" {
		t.Errorf("Span.String = %q", got)
	}
}
