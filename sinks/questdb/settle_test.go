package questdb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/feefifofunds/candlekeep/sinks/questdb"
	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
)

func TestSettle(t *testing.T) {
	tests := []struct {
		name      string
		suspended bool
		pending   int
		want      string // "" = settled
	}{
		{"applied", false, 0, ""},
		{"suspended", true, 0, "RESUME WAL"},
		{"lagging", false, 3, "has still not applied 3 acknowledged commits"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := questdbtest.New(questdbtest.Options{})
			defer srv.Close()
			ctx := context.Background()
			sink, err := questdb.Open(ctx, srv.Conf(), "candles")
			if err != nil {
				t.Fatal(err)
			}
			defer sink.Close()
			if err := sink.Setup(ctx); err != nil {
				t.Fatal(err)
			}
			sink.SettleTimeout, sink.SettlePoll = 5*time.Millisecond, time.Millisecond
			srv.SetWAL("candles", tc.suspended, tc.pending)
			err = sink.Settle(ctx)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Settle: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("Settle = %v; want an error containing %q", err, tc.want)
			}
		})
	}
}
