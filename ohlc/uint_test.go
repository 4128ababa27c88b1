package ohlc

import "testing"

func TestParseUint(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0", 0, true},
		{"1381093200", 1381093200, true},
		{"999999999999999999", 999999999999999999, true}, // 18 digits
		{"1000000000000000000", 0, false},                // 19: could overflow
		{"", 0, false},
		{"-1", 0, false},
		{"12a", 0, false},
		{"1.5", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseUint([]byte(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseUint(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
