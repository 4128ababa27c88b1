package main

import (
	"bytes"
	"testing"
)

func TestDriftMeter(t *testing.T) {
	if driftMeter(&bytes.Buffer{}, false) != nil {
		t.Error("off a terminal the drift check should show no meter")
	}
	var buf bytes.Buffer
	m := driftMeter(&buf, true)
	m(1, 3)
	m(2, 3)
	m(3, 3)
	want := "\rReading the sink back: 1 of 3 months\rReading the sink back: 2 of 3 months\r\033[K"
	if buf.String() != want {
		t.Errorf("meter wrote %q, want %q", buf.String(), want)
	}
}
