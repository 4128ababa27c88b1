// Package synth builds large benchmark inputs from the real Kraken fixtures,
// deterministically, so no large file is ever committed.
package synth

import (
	"bytes"
	"fmt"
	"strconv"
)

// RepeatShifted repeats a Kraken CSV file (timestamp first on every line)
// until it holds at least minRows rows, shifting each copy's timestamps past
// the previous copy's last one, so the result is a valid file with real row
// shapes and strictly increasing, interval-aligned times. step is the
// interval in seconds.
func RepeatShifted(csv []byte, minRows int, step int64) ([]byte, int, error) {
	lines := bytes.Split(bytes.TrimSuffix(csv, []byte{'\n'}), []byte{'\n'})
	if len(lines) == 0 || len(lines[0]) == 0 {
		return nil, 0, fmt.Errorf("repeat: empty input")
	}
	times := make([]int64, len(lines))
	rests := make([][]byte, len(lines))
	for i, line := range lines {
		ts, rest, ok := bytes.Cut(line, []byte{','})
		if !ok {
			return nil, 0, fmt.Errorf("repeat: line %d has no comma", i+1)
		}
		t, err := strconv.ParseInt(string(ts), 10, 64)
		if err != nil {
			return nil, 0, fmt.Errorf("repeat: line %d: %w", i+1, err)
		}
		times[i], rests[i] = t, rest
	}
	shift := times[len(times)-1] + step - times[0]
	var out bytes.Buffer
	out.Grow(minRows * (len(csv)/len(lines) + 2))
	rows := 0
	for copyNo := int64(0); rows < minRows; copyNo++ {
		for i := range lines {
			out.WriteString(strconv.FormatInt(times[i]+copyNo*shift, 10))
			out.WriteByte(',')
			out.Write(rests[i])
			out.WriteByte('\n')
			rows++
		}
	}
	return out.Bytes(), rows, nil
}

// Resequence repeats a Kraken CSV file until it holds at least minRows
// rows, giving row i the time start + i·step: real row shapes on a dense,
// strictly increasing clock. Millions of 1-minute rows stay within a few
// years, where repeating an hourly file's whole history would run past
// the year 2262, the end of nanosecond timestamps.
func Resequence(csv []byte, minRows int, start, step int64) ([]byte, int, error) {
	lines := bytes.Split(bytes.TrimSuffix(csv, []byte{'\n'}), []byte{'\n'})
	if len(lines) == 0 || len(lines[0]) == 0 {
		return nil, 0, fmt.Errorf("resequence: empty input")
	}
	var out bytes.Buffer
	out.Grow(minRows * (len(csv)/len(lines) + 2))
	for i := 0; i < minRows; i++ {
		_, rest, ok := bytes.Cut(lines[i%len(lines)], []byte{','})
		if !ok {
			return nil, 0, fmt.Errorf("resequence: line %d has no comma", i%len(lines)+1)
		}
		out.WriteString(strconv.FormatInt(start+int64(i)*step, 10))
		out.WriteByte(',')
		out.Write(rest)
		out.WriteByte('\n')
	}
	return out.Bytes(), minRows, nil
}
