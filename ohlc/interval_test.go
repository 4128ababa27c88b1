package ohlc

import "testing"

func TestParseInterval(t *testing.T) {
	tests := []struct {
		in      string
		want    Interval
		wantErr bool
	}{
		{"60", 60, false},
		{" 60 ", 60, false},
		{"1", 1, false},
		{"1m", 1, false},
		{"5m", 5, false},
		{"15m", 15, false},
		{"30m", 30, false},
		{"1h", 60, false},
		{"4h", 240, false},
		{"12h", 720, false},
		{"1d", 1440, false},
		{"1w", 10080, false},
		{"15d", 21600, false},
		{"21600", 21600, false},
		{"3", 0, true},
		{"2h", 0, true},
		{"0", 0, true},
		{"-60", 0, true},
		{"", 0, true},
		{"h", 0, true},
		{"1.5h", 0, true},
		{"1y", 0, true},
	}
	for _, tc := range tests {
		got, err := ParseInterval(tc.in)
		if (err != nil) != tc.wantErr {
			t.Errorf("ParseInterval(%q) error = %v, want error %v", tc.in, err, tc.wantErr)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseInterval(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestIntervalSources(t *testing.T) {
	for _, iv := range Intervals {
		if !iv.Valid() {
			t.Errorf("%d is listed but not Valid", iv)
		}
		if !iv.InCSV() && !iv.InAPI() {
			t.Errorf("%d is served by neither source", iv)
		}
	}
	if Interval(720).InAPI() || !Interval(720).InCSV() {
		t.Error("720 is CSV only")
	}
	for _, iv := range []Interval{10080, 21600} {
		if iv.InCSV() || !iv.InAPI() {
			t.Errorf("%d is API only", iv)
		}
	}
	labels := map[Interval]string{1: "1m", 60: "1h", 240: "4h", 1440: "1d", 10080: "1w", 21600: "15d"}
	for iv, want := range labels {
		if got := iv.Label(); got != want {
			t.Errorf("Interval(%d).Label() = %q, want %q", iv, got, want)
		}
		if back, err := ParseInterval(want); err != nil || back != iv {
			t.Errorf("ParseInterval(Label(%d)) = %d, %v", iv, back, err)
		}
	}
}

func TestSeries(t *testing.T) {
	s, err := ParseSeries("XBTUSD/1h")
	if err != nil || s != (Series{Pair: "XBTUSD", Interval: 60}) {
		t.Fatalf("ParseSeries(XBTUSD/1h) = %v, %v", s, err)
	}
	if s.String() != "XBTUSD/60" {
		t.Errorf("String = %q", s.String())
	}
	for _, bad := range []string{"XBTUSD", "/60", "XBTUSD/7"} {
		if _, err := ParseSeries(bad); err == nil {
			t.Errorf("ParseSeries(%q) accepted", bad)
		}
	}
	a, b := Series{"ETHUSD", 1440}, Series{"XBTUSD", 60}
	if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("Compare does not order by pair first")
	}
	if (Series{"XBTUSD", 60}).Compare(Series{"XBTUSD", 1440}) != -1 {
		t.Error("Compare does not order by interval within a pair")
	}
}
