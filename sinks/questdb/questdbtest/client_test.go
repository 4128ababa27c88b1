package questdbtest

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	qdb "github.com/questdb/go-questdb-client/v3"
)

// sendCandles writes rows with the real client, the way a sink does, and
// flushes once.
func sendCandles(ctx context.Context, conf string, rows []Row) error {
	sender, err := qdb.LineSenderFromConf(ctx, conf)
	if err != nil {
		return err
	}
	defer sender.Close(ctx)
	for _, r := range rows {
		sender.Table("candles").Symbol("pair", r.Pair).Symbol("interval", r.Interval).
			Float64Column("open", r.Open).Float64Column("high", r.High).Float64Column("low", r.Low).
			Float64Column("close", r.Close).Float64Column("volume", r.Volume).Int64Column("trades", r.Trades)
		if r.VWAP != nil {
			sender.Float64Column("vwap", *r.VWAP)
		}
		if err := sender.At(ctx, time.UnixMicro(r.Timestamp)); err != nil {
			return err
		}
	}
	return sender.Flush(ctx)
}

func fptr(f float64) *float64 { return &f }

// clientRows are values that stress the client's encoding: exponents,
// many digits, tiny and huge numbers, a symbol needing escapes.
var clientRows = []Row{
	{Pair: "XBTUSD", Interval: "60", Timestamp: 1704067200_000000, Open: 42150.1, High: 42200, Low: 0.000012345, Close: 1e21, Volume: 0.1 + 0.2, Trades: 12, VWAP: fptr(42175.123456789)},
	{Pair: "XBTUSD", Interval: "60", Timestamp: 1704070800_000000, Open: -1.5e-300, High: math.MaxFloat64, Low: 5e-324, Close: 1, Volume: 0, Trades: math.MaxInt64},
	{Pair: "odd pair,=x", Interval: "1440", Timestamp: 1704067200_000000, Open: 1, High: 2, Low: 0.5, Close: 1.5, Volume: 10, Trades: 0},
}

func TestRealClientRoundTrip(t *testing.T) {
	s := withCandles(t)
	if err := sendCandles(t.Context(), s.Conf()+"auto_flush=off;", clientRows); err != nil {
		t.Fatalf("send: %v", err)
	}
	want := []Row{clientRows[0], clientRows[2], clientRows[1]} // by (timestamp, pair, interval)
	if diff := cmp.Diff(want, s.Rows("candles")); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if s.Writes() != 1 {
		t.Errorf("Writes = %d, want 1 request for one flush", s.Writes())
	}
	// Sending again replaces: the table has upsert keys.
	if err := sendCandles(t.Context(), s.Conf()+"auto_flush=off;", clientRows); err != nil {
		t.Fatalf("send again: %v", err)
	}
	if n := s.Count("candles"); n != int64(len(clientRows)) {
		t.Errorf("Count = %d after re-sending, want %d", n, len(clientRows))
	}
}

func TestRealClientWithCredentials(t *testing.T) {
	for _, opts := range []Options{{Username: "admin", Password: "quest"}, {Token: "abc"}} {
		s := withCredentialsAndCandles(t, opts)
		if err := sendCandles(t.Context(), s.Conf()+"auto_flush=off;", clientRows[:1]); err != nil {
			t.Errorf("send with %+v: %v", opts, err)
		}
		bad := strings.Replace(s.Conf(), "=quest;", "=wrong;", 1)
		bad = strings.Replace(bad, "token=abc;", "token=wrong;", 1)
		if err := sendCandles(t.Context(), bad+"auto_flush=off;", clientRows[:1]); err == nil || !strings.Contains(err.Error(), "401") {
			t.Errorf("send with wrong credentials: %v, want a 401 error", err)
		}
	}
}

func withCredentialsAndCandles(t *testing.T, opts Options) *Server {
	t.Helper()
	s := started(t, opts)
	s.CreateTable("candles", map[string]string{"pair": "SYMBOL", "interval": "SYMBOL", "open": "DOUBLE", "high": "DOUBLE", "low": "DOUBLE",
		"close": "DOUBLE", "volume": "DOUBLE", "trades": "LONG", "vwap": "DOUBLE", "timestamp": "TIMESTAMP"}, []string{"timestamp", "pair", "interval"})
	return s
}

func TestRealClientSeesFaults(t *testing.T) {
	conf := func(s *Server) string { return s.Conf() + "auto_flush=off;retry_timeout=0;" }
	t.Run("500 fails the flush, the re-sent batch lands once", func(t *testing.T) {
		s := withCandles(t)
		s.Inject(Status(500))
		if err := sendCandles(t.Context(), conf(s), clientRows); err == nil || !strings.Contains(err.Error(), "500") {
			t.Fatalf("flush against a 500: %v, want an error naming 500", err)
		}
		if s.Count("candles") != 0 {
			t.Fatal("rows stored from a failed request")
		}
		if err := sendCandles(t.Context(), conf(s), clientRows); err != nil {
			t.Fatalf("re-send: %v", err)
		}
		if n := s.Count("candles"); n != int64(len(clientRows)) {
			t.Errorf("Count = %d, want %d", n, len(clientRows))
		}
	})
	t.Run("400 is an HttpError naming the line", func(t *testing.T) {
		s := withCandles(t)
		s.Inject(Reject(2, "bad candle"))
		err := sendCandles(t.Context(), conf(s), clientRows)
		var httpErr *qdb.HttpError
		if !errors.As(err, &httpErr) || httpErr.HttpStatus() != http.StatusBadRequest || httpErr.Line != 2 || httpErr.Code != "invalid" {
			t.Fatalf("flush against a rejection: %#v, want *qdb.HttpError 400 line 2", err)
		}
	})
	t.Run("a real cast error reaches the client", func(t *testing.T) {
		s := started(t, Options{})
		s.CreateTable("candles", map[string]string{"pair": "SYMBOL", "interval": "SYMBOL", "open": "LONG", "timestamp": "TIMESTAMP"}, nil)
		err := sendCandles(t.Context(), conf(s), clientRows)
		var httpErr *qdb.HttpError
		if !errors.As(err, &httpErr) || httpErr.Line != 1 || !strings.Contains(httpErr.Message, "column: open; cast error from protocol type: FLOAT to column type: LONG") {
			t.Fatalf("flush into a LONG open column: %v", err)
		}
	})
	t.Run("dropped connection is an error", func(t *testing.T) {
		s := withCandles(t)
		s.Inject(AcceptThenDrop())
		if err := sendCandles(t.Context(), conf(s), clientRows); err == nil {
			t.Fatal("flush against a dropped connection succeeded")
		}
		if s.Count("candles") != 0 {
			t.Error("rows stored from a dropped request")
		}
	})
	t.Run("hang ends at the request timeout", func(t *testing.T) {
		s := withCandles(t)
		s.Inject(Hang())
		if err := sendCandles(t.Context(), conf(s)+"request_timeout=100;", clientRows); err == nil {
			t.Fatal("flush against a hanging server succeeded")
		}
		if s.Count("candles") != 0 {
			t.Error("rows stored from a hanging request")
		}
	})
}
