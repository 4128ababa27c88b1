package ohlc

import (
	"encoding/json"
	"time"
)

// Every JSON document of candlekeep (plan, report, check, state, events)
// writes times one way: RFC 3339 in UTC, to the second, as Unix seconds
// are; and a span as {"start": …, "end": …}, half-open.

// JSONTimeOf is the JSON form of a Unix time: 2021-03-10T10:00:00Z.
func JSONTimeOf(sec int64) string { return time.Unix(sec, 0).UTC().Format(time.RFC3339) }

// JSONTime is a time.Time that encodes as JSONTimeOf does, whatever its
// location or fraction of a second.
type JSONTime time.Time

func (t JSONTime) MarshalJSON() ([]byte, error) {
	return json.Marshal(JSONTimeOf(time.Time(t).Unix()))
}

// JSONSpan is a span as JSON documents write it.
type JSONSpan struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// JSON is the span's JSON form.
func (s Span) JSON() JSONSpan { return JSONSpan{Start: JSONTimeOf(s.Start), End: JSONTimeOf(s.End)} }
