package report

import (
	"time"
)

// tick is one labelled mark of a time axis, at Pos percent of its width.
type tick struct {
	Pos   float64
	Label string
}

// axisTicks labels the window [lo, hi) with ticks a person reads at a
// glance: years for long windows, months, days or hours for shorter ones,
// at most about maxTicks of them, each on a calendar boundary (UTC).
func axisTicks(lo, hi int64) []tick {
	const maxTicks = 10
	if hi <= lo {
		return nil
	}
	span := time.Duration(hi-lo) * time.Second
	type unit struct {
		step   func(t time.Time, n int) time.Time
		floor  func(t time.Time) time.Time
		steps  []int
		layout string
		size   time.Duration // about one step of 1
	}
	years := unit{
		step:  func(t time.Time, n int) time.Time { return t.AddDate(n, 0, 0) },
		floor: func(t time.Time) time.Time { return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC) },
		steps: []int{1, 2, 5, 10}, layout: "2006", size: 365 * 24 * time.Hour,
	}
	months := unit{
		step:  func(t time.Time, n int) time.Time { return t.AddDate(0, n, 0) },
		floor: func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) },
		steps: []int{1, 3, 6}, layout: "Jan 2006", size: 30 * 24 * time.Hour,
	}
	days := unit{
		step:  func(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) },
		floor: func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) },
		steps: []int{1, 2, 7, 14}, layout: "Jan 2", size: 24 * time.Hour,
	}
	hours := unit{
		step:  func(t time.Time, n int) time.Time { return t.Add(time.Duration(n) * time.Hour) },
		floor: func(t time.Time) time.Time { return t.Truncate(time.Hour) },
		steps: []int{1, 2, 3, 6, 12}, layout: "15:00", size: time.Hour,
	}
	var u unit
	switch {
	case span >= 3*365*24*time.Hour:
		u = years
	case span >= 90*24*time.Hour:
		u = months
	case span >= 3*24*time.Hour:
		u = days
	default:
		u = hours
	}
	n := u.steps[len(u.steps)-1]
	for _, s := range u.steps {
		if span/(time.Duration(s)*u.size) <= maxTicks {
			n = s
			break
		}
	}
	start, end := time.Unix(lo, 0).UTC(), time.Unix(hi, 0).UTC()
	t := u.floor(start)
	if t.Before(start) {
		t = u.step(t, 1)
	}
	// Align multi-unit steps to round values: 2020, 2022; Jan, Apr, Jul.
	for n > 1 && misaligned(t, u.layout, n) {
		t = u.step(t, 1)
	}
	var out []tick
	for !t.After(end) {
		out = append(out, tick{Pos: float64(t.Unix()-lo) / float64(hi-lo) * 100, Label: t.Format(u.layout)})
		t = u.step(t, n)
	}
	return out
}

// misaligned reports whether t is not on a round multiple of n units.
func misaligned(t time.Time, layout string, n int) bool {
	switch layout {
	case "2006":
		return t.Year()%n != 0
	case "Jan 2006":
		return (int(t.Month())-1)%n != 0
	case "15:00":
		return t.Hour()%n != 0
	}
	return false // days: any start will do
}
