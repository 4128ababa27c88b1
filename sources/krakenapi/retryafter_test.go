package krakenapi

import (
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	tests := map[string]time.Duration{
		"":                              0,
		"3":                             3 * time.Second,
		" 10 ":                          10 * time.Second,
		"0":                             0,
		"-5":                            0,
		"Wed, 21 Oct 2026 07:28:00 GMT": 0,
	}
	for in, want := range tests {
		if got := retryAfter(in); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}
