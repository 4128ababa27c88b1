package config

import (
	"fmt"
	"math"
	"time"
)

var durationUnits = map[byte]time.Duration{
	's': time.Second,
	'm': time.Minute,
	'h': time.Hour,
	'd': 24 * time.Hour,
	'w': 7 * 24 * time.Hour,
}

// ParseDuration parses lengths such as "30d", "12h", "2w", "90m" or
// "1d12h": whole numbers, each followed by one of the units s, m, h, d
// (24 hours) or w (7 days). Unlike time.ParseDuration it knows days and
// weeks, which are what coverage windows are written in.
func ParseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("empty duration; write a length such as \"30d\" or \"12h\"")
	}
	var total time.Duration
	for i := 0; i < len(s); {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start || i == len(s) {
			return 0, fmt.Errorf("duration %q is not a length such as \"30d\", \"12h\" or \"1d12h\" (units s, m, h, d, w)", s)
		}
		unit, ok := durationUnits[s[i]]
		if !ok {
			return 0, fmt.Errorf("duration %q has unknown unit %q; use s, m, h, d or w", s, s[i])
		}
		var n int64
		for _, c := range s[start:i] {
			n = n*10 + int64(c-'0')
			if n > math.MaxInt64/int64(unit) {
				return 0, fmt.Errorf("duration %q is too long", s)
			}
		}
		part := time.Duration(n) * unit
		if total > math.MaxInt64-part {
			return 0, fmt.Errorf("duration %q is too long", s)
		}
		total += part
		i++
	}
	return total, nil
}
