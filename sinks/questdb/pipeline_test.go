package questdb

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
	"github.com/feefifofunds/candlekeep/sinks/sinktest"
)

// A Write goes out as requests one after the other even though the next is
// encoded while the previous is in flight: when the second is rejected,
// the first is stored and nothing after the second is sent.
func TestRejectedRequestStopsThePipeline(t *testing.T) {
	s, srv := setUpSink(t)
	s.RequestRows = 50
	ada := sinktest.Fixture(t, "ADAUSD_1440.csv")[:250]
	w := newWriter(t, s)
	if err := w.Write(t.Context(), adaDaily, ada[:50]); err != nil {
		t.Fatal(err)
	}
	perRequest := srv.BytesReceived()
	srv.Inject(questdbtest.Fault{}, questdbtest.Reject(3, "injected"))
	if err := w.Write(t.Context(), adaDaily, ada[50:]); err == nil { // four requests
		t.Fatal("write with a rejected request: no error")
	}
	if diff := cmp.Diff(ada[:100], storedCandles(t, s)); diff != "" {
		t.Errorf("stored candles (-want +got):\n%s", diff)
	}
	if got := srv.Writes(); got != 2 {
		t.Errorf("%d requests applied, want 2", got)
	}
	// Two requests of the second write reached the server; the third was
	// encoded but not sent.
	if sent := srv.BytesReceived() - perRequest; sent > 5*perRequest/2 {
		t.Errorf("the second write sent %d bytes, more than two requests of about %d", sent, perRequest)
	}
}

func TestRequestSize(t *testing.T) {
	tests := []struct{ requestRows, rows, want int }{
		{10000, 10000, 2500}, // a full batch: four requests
		{10000, 40000, 10000},
		{10000, 1500, 2000}, // small: one request
		{100, 10000, 100},
	}
	for _, tt := range tests {
		w := &writer{requestRows: tt.requestRows}
		if got := w.requestSize(tt.rows); got != tt.want {
			t.Errorf("requestSize(%d) with %d rows per request = %d, want %d", tt.rows, tt.requestRows, got, tt.want)
		}
	}
}
