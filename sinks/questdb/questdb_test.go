package questdb

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	qdb "github.com/questdb/go-questdb-client/v3"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
	"github.com/feefifofunds/candlekeep/sinks/sinktest"
)

var (
	adaDaily   = ohlc.Series{Pair: "ADAUSD", Interval: 1440}
	everything = ohlc.Span{Start: 0, End: 4102444800}
)

// fastRetry keeps retry tests quick: waits of a millisecond.
var fastRetry = Backoff{Attempts: 3, Base: time.Millisecond, Max: time.Millisecond}

func newServer(t *testing.T, opts questdbtest.Options) *questdbtest.Server {
	t.Helper()
	srv := questdbtest.New(opts)
	t.Cleanup(srv.Close)
	return srv
}

// openSink opens a sink on conf with fast retries, closed at the end.
func openSink(t *testing.T, conf string) *Sink {
	t.Helper()
	s, err := Open(t.Context(), conf, "candles")
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	s.Retry = fastRetry
	t.Cleanup(func() { s.Close() })
	return s
}

// setUpSink starts a stand-in and returns a set-up sink writing to it.
func setUpSink(t *testing.T) (*Sink, *questdbtest.Server) {
	t.Helper()
	srv := newServer(t, questdbtest.Options{})
	s := openSink(t, srv.Conf())
	if err := s.Setup(t.Context()); err != nil {
		t.Fatalf("setup: %v", err)
	}
	return s, srv
}

func newWriter(t *testing.T, s *Sink) sinks.Writer {
	t.Helper()
	w, err := s.NewWriter(t.Context())
	if err != nil {
		t.Fatalf("new writer: %v", err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func storedCandles(t *testing.T, s *Sink) []ohlc.Candle {
	t.Helper()
	got, err := s.Candles(t.Context(), adaDaily, everything)
	if err != nil {
		t.Fatalf("read candles: %v", err)
	}
	return got
}

func TestContract(t *testing.T) {
	sinktest.Run(t, func(t *testing.T) sinks.Sink {
		srv := newServer(t, questdbtest.Options{Username: "admin", Password: "quest"})
		s, err := Open(t.Context(), srv.Conf(), "candles")
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		s.Retry = fastRetry
		return s
	})
}

func TestRetryAfterServerError(t *testing.T) {
	for name, fault := range map[string]questdbtest.Fault{
		"500":               questdbtest.Status(500),
		"503":               questdbtest.Status(503),
		"dropped":           questdbtest.AcceptThenDrop(),
		"slower than asked": questdbtest.Slow(time.Minute),
	} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, questdbtest.Options{})
			// A short request timeout turns the slow answer into a retry.
			s := openSink(t, srv.Conf()+"request_timeout=200;")
			if err := s.Setup(t.Context()); err != nil {
				t.Fatalf("setup: %v", err)
			}
			ada := sinktest.Fixture(t, "ADAUSD_1440.csv")
			srv.Inject(fault)
			if err := newWriter(t, s).Write(t.Context(), adaDaily, ada); err != nil {
				t.Fatalf("write: %v", err)
			}
			// Every row once: the retry re-sent the whole batch.
			if diff := cmp.Diff(ada, storedCandles(t, s)); diff != "" {
				t.Errorf("candles (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRetriesExhausted(t *testing.T) {
	s, srv := setUpSink(t)
	ada := sinktest.Fixture(t, "ADAUSD_1440.csv")
	srv.Inject(questdbtest.Status(500), questdbtest.Status(503), questdbtest.Status(500))
	w := newWriter(t, s)
	err := w.Write(t.Context(), adaDaily, ada)
	if err == nil || !strings.Contains(err.Error(), "gave up after 3 requests") || !strings.Contains(err.Error(), "500") {
		t.Fatalf("write through three failures: got %v, want it to give up naming the last 500", err)
	}
	if got := storedCandles(t, s); len(got) != 0 {
		t.Errorf("%d candles stored after a failed write, want 0", len(got))
	}
	// The writer recovers once the server does.
	if err := w.Write(t.Context(), adaDaily, ada); err != nil {
		t.Fatalf("write after recovery: %v", err)
	}
	if diff := cmp.Diff(ada, storedCandles(t, s)); diff != "" {
		t.Errorf("candles after recovery (-want +got):\n%s", diff)
	}
}

func TestRejectionNamesTheCandle(t *testing.T) {
	s, srv := setUpSink(t)
	ada := sinktest.Fixture(t, "ADAUSD_1440.csv")[:10]
	srv.Inject(questdbtest.Reject(4, "cast error for line protocol float [columnWriterIndex=2, columnType=LONG, name=open]"))
	srv.Inject(questdbtest.Status(500)) // must not be reached: a rejection is not retried
	err := newWriter(t, s).Write(t.Context(), adaDaily, ada)
	if err == nil {
		t.Fatal("write of a rejected batch: no error")
	}
	for _, want := range []string{"ADAUSD/1440", ohlc.FormatTime(ada[3].Time), "row 4", "cast error"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	var he *qdb.HttpError
	if !errors.As(err, &he) || he.HttpStatus() != 400 {
		t.Errorf("error %v does not carry the server's HTTP 400", err)
	}
	if got := storedCandles(t, s); len(got) != 0 {
		t.Errorf("%d candles stored after a rejection, want 0", len(got))
	}
	// The 500 is still queued: the next write meets it, then succeeds.
	if err := newWriter(t, s).Write(t.Context(), adaDaily, ada); err != nil {
		t.Fatalf("write after the rejection: %v", err)
	}
}

func TestCancelWhileHanging(t *testing.T) {
	s, srv := setUpSink(t)
	ada := sinktest.Fixture(t, "ADAUSD_1440.csv")
	srv.Inject(questdbtest.Hang())
	w := newWriter(t, s)
	// The client's request_timeout is 10 s: only honouring ctx ends this
	// write within the bound below.
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := w.Write(ctx, adaDaily, ada)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("write to a hanging server: got %v, want context.DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("write took %v to notice the cancellation", took)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	s, srv := setUpSink(t)
	s.Retry = Backoff{Attempts: 5, Base: time.Hour, Max: time.Hour}
	srv.Inject(questdbtest.Status(503))
	w := newWriter(t, s)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	err := w.Write(ctx, adaDaily, sinktest.Fixture(t, "ADAUSD_1440.csv"))
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "503") {
		t.Fatalf("write cancelled while backing off: got %v, want context.DeadlineExceeded and the 503", err)
	}
}

func TestLargeBatchInSeveralRequests(t *testing.T) {
	s, srv := setUpSink(t)
	s.RequestRows = 100
	ada := sinktest.Fixture(t, "ADAUSD_1440.csv")
	if len(ada) < 250 {
		t.Fatalf("fixture has %d candles, want ≥ 250", len(ada))
	}
	srv.Inject(questdbtest.Fault{}, questdbtest.Status(500)) // the second request fails once
	if err := newWriter(t, s).Write(t.Context(), adaDaily, ada); err != nil {
		t.Fatalf("write: %v", err)
	}
	if diff := cmp.Diff(ada, storedCandles(t, s)); diff != "" {
		t.Errorf("candles (-want +got):\n%s", diff)
	}
}

func TestWrongPassword(t *testing.T) {
	srv := newServer(t, questdbtest.Options{Username: "admin", Password: "right-one"})
	conf := "http::addr=" + srv.Addr() + ";username=admin;password=" + escapedSecret + ";"
	s := openSink(t, conf)
	err := s.Setup(t.Context())
	if err == nil || !strings.Contains(err.Error(), "refused the credentials (HTTP 401") || !strings.Contains(err.Error(), `user "admin"`) {
		t.Errorf("setup with a wrong password: got %v, want the credentials refused", err)
	}
	assertNoSecret(t, err.Error())
	err = newWriter(t, s).Write(t.Context(), adaDaily, sinktest.Fixture(t, "ADAUSD_1440.csv")[:5])
	if err == nil || !strings.Contains(err.Error(), "refused the credentials (HTTP 401") || strings.Contains(err.Error(), "gave up") {
		t.Errorf("write with a wrong password: got %v, want the credentials refused at once", err)
	}
	assertNoSecret(t, err.Error())
}

func TestNothingListening(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := l.Addr().String()
	l.Close()
	s := openSink(t, "http::addr="+addr+";")
	if err := s.Setup(t.Context()); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("setup with nothing listening: got %v, want connection refused", err)
	}
	err = newWriter(t, s).Write(t.Context(), adaDaily, sinktest.Fixture(t, "ADAUSD_1440.csv")[:5])
	if err == nil || !strings.Contains(err.Error(), "gave up after 3 requests") || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("write with nothing listening: got %v, want connection refused after the retries", err)
	}
}

// TestRealQuestDB runs the contract against a real server when
// CANDLEKEEP_TEST_QUESTDB holds a conf string, each case in a table of its
// own, dropped afterwards.
func TestRealQuestDB(t *testing.T) {
	conf := os.Getenv("CANDLEKEEP_TEST_QUESTDB")
	if conf == "" {
		t.Skip("CANDLEKEEP_TEST_QUESTDB is not set")
	}
	sinktest.Run(t, func(t *testing.T) sinks.Sink {
		table := "candlekeep_test_" + strings.ReplaceAll(time.Now().UTC().Format("20060102_150405.000000000"), ".", "_")
		s, err := Open(t.Context(), conf, table)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() {
			if _, err := s.exec.exec(context.Background(), "DROP TABLE IF EXISTS "+s.quoted); err != nil {
				t.Errorf("drop %s: %v", s.quoted, err)
			}
		})
		return &walSettled{s}
	})
}

// walSettled waits, before each read, until QuestDB has applied every
// committed WAL transaction of the table, so reads see the writes before.
type walSettled struct{ *Sink }

func (w *walSettled) ReadBack(ctx context.Context, span ohlc.Span) ([]sinks.SeriesStats, error) {
	if err := w.settle(ctx); err != nil {
		return nil, err
	}
	return w.Sink.ReadBack(ctx, span)
}

func (w *walSettled) ReadCandles(ctx context.Context, s ohlc.Series, span ohlc.Span, fn func([]ohlc.Candle) error) error {
	if err := w.settle(ctx); err != nil {
		return err
	}
	return w.Sink.ReadCandles(ctx, s, span, fn)
}

func (w *walSettled) Candles(ctx context.Context, s ohlc.Series, span ohlc.Span) ([]ohlc.Candle, error) {
	if err := w.settle(ctx); err != nil {
		return nil, err
	}
	return w.Sink.Candles(ctx, s, span)
}

func (w *walSettled) settle(ctx context.Context) error {
	q := "SELECT writerTxn, sequencerTxn FROM wal_tables() WHERE name = " + w.quoted
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		res, err := w.exec.exec(ctx, q)
		if err != nil {
			return err
		}
		if len(res.Dataset) == 1 && len(res.Dataset[0]) == 2 {
			applied, ok1 := asInt(res.Dataset[0][0])
			committed, ok2 := asInt(res.Dataset[0][1])
			if ok1 && ok2 && applied >= committed {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

func TestSetupRefusesExistingTable(t *testing.T) {
	candleTypes := func(edit func(map[string]string)) map[string]string {
		cols := map[string]string{}
		for _, c := range wantColumns {
			cols[c.name] = c.typ
		}
		edit(cols)
		return cols
	}
	tests := []struct {
		name   string
		create func(srv *questdbtest.Server)
		want   []string // in the error
	}{
		{"without dedup", func(srv *questdbtest.Server) { srv.CreateTableWithoutDedup("candles") }, []string{
			"deduplication is off",
			`run in QuestDB: ALTER TABLE 'candles' DEDUP ENABLE UPSERT KEYS(timestamp, pair, "interval")`,
		}},
		{"trades as INT", func(srv *questdbtest.Server) {
			srv.CreateTable("candles", candleTypes(func(c map[string]string) { c["trades"] = "INT" }), upsertKeys)
		}, []string{
			"column trades is INT, want LONG",
			"run in QuestDB: ALTER TABLE 'candles' ALTER COLUMN trades TYPE LONG",
		}},
		{"without vwap, keyed on time only", func(srv *questdbtest.Server) {
			srv.CreateTable("candles", candleTypes(func(c map[string]string) { delete(c, "vwap") }), []string{"timestamp"})
		}, []string{
			"column vwap is missing; the upsert keys are (timestamp)",
			`ALTER TABLE 'candles' ADD COLUMN vwap DOUBLE; ALTER TABLE 'candles' DEDUP ENABLE UPSERT KEYS(timestamp, pair, "interval")`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, questdbtest.Options{})
			tc.create(srv)
			err := openSink(t, srv.Conf()).Setup(t.Context())
			var se *SchemaError
			if !errors.As(err, &se) {
				t.Fatalf("setup: got %v, want a *SchemaError", err)
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}

func TestSetupCreatesTheTable(t *testing.T) {
	s, srv := setUpSink(t)
	ada := sinktest.Fixture(t, "ADAUSD_1440.csv")[:3]
	ada[1].VWAP, ada[1].HasVWAP = 0.25, true
	if err := newWriter(t, s).Write(t.Context(), adaDaily, ada); err != nil {
		t.Fatalf("write: %v", err)
	}
	// The rows as the server stored them: symbols, micros, NULL vwap.
	got := srv.Rows("candles")
	vwap := 0.25
	want := make([]questdbtest.Row, len(ada))
	for i, c := range ada {
		want[i] = questdbtest.Row{Pair: "ADAUSD", Interval: "1440", Timestamp: c.Time * 1e6,
			Open: c.Open, High: c.High, Low: c.Low, Close: c.Close, Volume: c.Volume, Trades: c.Trades}
	}
	want[1].VWAP = &vwap
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored rows (-want +got):\n%s", diff)
	}
}

func TestContractNewIncarnation(t *testing.T) {
	var srv *questdbtest.Server
	sinktest.CheckNewIncarnation(t, func(t *testing.T) sinks.Sink {
		srv = newServer(t, questdbtest.Options{Username: "admin", Password: "quest"})
		s, err := Open(t.Context(), srv.Conf(), "candles")
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		return s
	}, func(t *testing.T, s sinks.Sink) { srv.DropTable("candles") })
}
