package ohlc

import (
	"testing"
	"time"
)

func TestFormatDuration(t *testing.T) {
	for _, tc := range []struct {
		d     time.Duration
		parts int
		want  string
	}{
		{0, 2, "0s"},
		{-time.Hour, 2, "0s"},
		{40 * time.Millisecond, 2, "0.0s"},
		{4200 * time.Millisecond, 2, "4.2s"},
		{12 * time.Second, 2, "12.0s"},
		{72 * time.Second, 2, "1m12s"},
		{45 * time.Minute, 2, "45m"},
		{5*time.Hour + 12*time.Minute + 30*time.Second, 2, "5h12m"},
		{30 * time.Hour, 2, "1d6h"},
		{30 * time.Hour, 1, "1d"},
		{24*time.Hour + 5*time.Minute, 2, "1d"},
		{24*time.Hour + 5*time.Minute, 3, "1d5m"},
		{90 * 24 * time.Hour, 2, "90d"},
		{1004*24*time.Hour + 3*time.Hour, 2, "1004d3h"},
		{26*time.Hour + 3*time.Minute + 4*time.Second, 4, "1d2h3m4s"},
	} {
		if got := FormatDuration(tc.d, tc.parts); got != tc.want {
			t.Errorf("FormatDuration(%v, %d) = %q, want %q", tc.d, tc.parts, got, tc.want)
		}
	}
	if got := FormatSeconds(90, 2); got != "1m30s" {
		t.Errorf("FormatSeconds(90, 2) = %q", got)
	}
}
