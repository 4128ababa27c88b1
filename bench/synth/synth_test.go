package synth

import (
	"bytes"
	"testing"
)

func TestRepeatShiftedKeepsTimesIncreasing(t *testing.T) {
	src := []byte("3600,1,1,1,1,1,1\n7200,2,2,2,2,2,2\n")
	got, rows, err := RepeatShifted(src, 5, 3600)
	if err != nil {
		t.Fatal(err)
	}
	want := "3600,1,1,1,1,1,1\n7200,2,2,2,2,2,2\n10800,1,1,1,1,1,1\n14400,2,2,2,2,2,2\n18000,1,1,1,1,1,1\n21600,2,2,2,2,2,2\n"
	if rows != 6 || !bytes.Equal(got, []byte(want)) {
		t.Fatalf("got %d rows:\n%s\nwant 6:\n%s", rows, got, want)
	}
	if _, _, err := RepeatShifted(nil, 1, 60); err == nil {
		t.Error("empty input was accepted")
	}
}

func TestResequence(t *testing.T) {
	src := []byte("3600,1,1,1,1,1,1\n7200,2,2,2,2,2,2\n")
	got, rows, err := Resequence(src, 3, 60, 60)
	if err != nil {
		t.Fatal(err)
	}
	want := "60,1,1,1,1,1,1\n120,2,2,2,2,2,2\n180,1,1,1,1,1,1\n"
	if rows != 3 || string(got) != want {
		t.Fatalf("got %d rows:\n%s\nwant 3:\n%s", rows, got, want)
	}
}
