package ohlc

import (
	"encoding/json"
	"testing"
	"time"
)

func TestJSONTimesAreOneEncoding(t *testing.T) {
	at := time.Date(2021, 3, 10, 11, 0, 0, 500_000_000, time.FixedZone("CET", 3600))
	got, err := json.Marshal(struct {
		T JSONTime `json:"t"`
		S JSONSpan `json:"s"`
	}{JSONTime(at), Span{Start: at.Unix(), End: at.Unix() + 3600}.JSON()})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"t":"2021-03-10T10:00:00Z","s":{"start":"2021-03-10T10:00:00Z","end":"2021-03-10T11:00:00Z"}}`
	if string(got) != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}
