package ohlc

import (
	"strconv"
	"strings"
	"time"
)

// durationUnits are the units FormatDuration writes, largest first.
var durationUnits = []struct {
	name string
	size time.Duration
}{{"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}}

// FormatDuration writes d the one way every view and message writes a
// duration: its largest unit first, days, hours, minutes and seconds, in
// at most parts places, the smaller ones dropped (1d6h, 5h12m, 45m, 12s,
// and 1d for a day and five minutes at two places); under a minute to a
// tenth of a second (4.2s, 12.0s); nothing, or less, 0s.
func FormatDuration(d time.Duration, parts int) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Minute:
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
	}
	var b strings.Builder
	places := 0
	for _, u := range durationUnits {
		n := d / u.size
		if n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10) + u.name)
			d -= n * u.size
		}
		if n > 0 || places > 0 {
			if places++; places == parts {
				break
			}
		}
	}
	return b.String()
}

// FormatSeconds is FormatDuration of a number of seconds.
func FormatSeconds(sec int64, parts int) string {
	return FormatDuration(time.Duration(sec)*time.Second, parts)
}
