package ohlc

import (
	"fmt"
	"time"
)

// Span is the half-open time range [Start, End) in Unix seconds.
type Span struct {
	Start int64
	End   int64
}

// Empty reports whether the span holds no time at all.
func (s Span) Empty() bool { return s.End <= s.Start }

// Seconds is the length of the span.
func (s Span) Seconds() int64 {
	if s.Empty() {
		return 0
	}
	return s.End - s.Start
}

// Contains reports whether t lies in [Start, End).
func (s Span) Contains(t int64) bool { return t >= s.Start && t < s.End }

// Intersect returns the overlap of two spans (possibly empty).
func (s Span) Intersect(o Span) Span {
	r := Span{Start: max(s.Start, o.Start), End: min(s.End, o.End)}
	if r.Empty() {
		return Span{}
	}
	return r
}

// Align shrinks the span to whole candles of the interval: the start rounds
// up and the end rounds down, so it never claims a partial candle.
func (s Span) Align(i Interval) Span {
	r := Span{Start: i.AlignUp(s.Start), End: i.AlignDown(s.End)}
	if r.Empty() {
		return Span{}
	}
	return r
}

// Candles is how many candle slots of the interval fit in the span.
func (s Span) Candles(i Interval) int64 { return s.Seconds() / i.Seconds() }

// String renders the span as [start, end) in RFC 3339, dropping the time of
// day when both ends are midnight.
func (s Span) String() string {
	return "[" + FormatTime(s.Start) + ", " + FormatTime(s.End) + ")"
}

// FormatTime renders Unix seconds as a UTC date, or a date and time when
// the time of day is not midnight.
func FormatTime(t int64) string {
	tt := time.Unix(t, 0).UTC()
	if t%86400 == 0 {
		return tt.Format("2006-01-02")
	}
	return tt.Format("2006-01-02 15:04")
}

// TimeForms lists the forms ParseTime accepts, for errors and help texts.
const TimeForms = "2020-01-01, 2020-01-01 10:00 or 2020-01-01 10:00:30 (UTC; a T may replace the space), " +
	"or any of these times with Z or an offset (2020-01-01T10:00:00+02:00)"

// ParseTime accepts a date, a date and time of day, and either with a zone:
// "2020-01-01", "2020-01-01 10:00", "2020-01-01T10:00:30", "2020-01-01 10:00Z",
// "2020-01-01T10:00:00+02:00" (RFC 3339). Without a zone a time is UTC, the
// zone every time candlekeep prints (FormatTime) is in, so a printed time
// reads back as itself; local time is never assumed, since a run on another
// machine would mean another instant.
func ParseTime(v string) (int64, error) {
	// One separator, so every form exists both ways.
	norm := v
	if len(norm) > 10 && norm[10] == ' ' {
		norm = norm[:10] + "T" + norm[11:]
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, norm); err == nil {
			// An offset can carry the time out of the years FormatTime
			// and RFC 3339 write.
			if y := t.UTC().Year(); y < 0 || y > 9999 {
				return 0, fmt.Errorf("time %q is outside the years 0000 to 9999 in UTC", v)
			}
			return t.Unix(), nil
		}
	}
	return 0, fmt.Errorf("time %q is not one of %s", v, TimeForms)
}

// timeLayouts are tried in order; time.Parse also takes fractional seconds
// after the seconds of a layout.
var timeLayouts = []string{
	"2006-01-02",
	"2006-01-02T15:04", "2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00", "2006-01-02T15:04:05Z07:00",
}
