package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
	"github.com/feefifofunds/candlekeep/state"
)

// faultConfig loads two hourly series from the quickstart's dump (CSV
// loads, each too big to share a sink request with another file) and
// backfills two others from Kraken's API, into QuestDB.
// The timeouts bound every hang: QuestDB's request_timeout (milliseconds)
// and the API's timeout; two API retries keep the test short.
const faultConfig = `
sink "questdb" {
  conf = "http::addr=%s;request_timeout=300;"
}

api {
  base_url    = "%s"
  rate_limit  = "50/s"
  max_retries = 2
  timeout     = "1s"
}

dump "hourly_2020" {
  path  = "data/Kraken_OHLCVT_2020-10-01"
  until = "2020-10-01"
}

coverage "hourly" {
  pairs     = ["ETHUSD", "XBTUSD"]
  intervals = ["1h"]
  from      = "2020-01-01"
  to        = "2020-10-01"
}

coverage "recent" {
  pairs     = ["ADAUSD", "XMRUSD"]
  intervals = ["1h"]
  lookback  = "1d"
}
`

// The series of faultConfig; a -parallelism=1 apply runs the backfills
// first (ADAUSD, XMRUSD), then the loads (ETHUSD, XBTUSD), each writing
// one QuestDB request.
var (
	adaAPI   = ohlc.Series{Pair: "ADAUSD", Interval: 60}
	xmrAPI   = ohlc.Series{Pair: "XMRUSD", Interval: 60}
	ethCSV   = ohlc.Series{Pair: "ETHUSD", Interval: 60}
	xbtCSV   = ohlc.Series{Pair: "XBTUSD", Interval: 60}
	allFault = []ohlc.Series{adaAPI, ethCSV, xbtCSV, xmrAPI}
)

// faultWorkspace is one fresh configuration directory with its own
// stand-ins.
type faultWorkspace struct {
	dir     string
	kraken  *krakenfake.Server
	questdb *questdbtest.Server
	writes  *writeCounter
}

func newFaultWorkspace(t *testing.T, config string) *faultWorkspace {
	t.Helper()
	w := &faultWorkspace{dir: t.TempDir()}
	w.kraken = krakenfake.New(krakenfake.Options{Now: scriptNow})
	t.Cleanup(w.kraken.Close)
	w.questdb = questdbtest.New(questdbtest.Options{})
	t.Cleanup(w.questdb.Close)
	w.writes = newWriteCounter(t, w.questdb.Addr())
	if err := copyQuickstart(w.dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(w.dir, "candlekeep.hcl")); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf(config, w.writes.Addr(), w.kraken.URL())
	if err := os.WriteFile(filepath.Join(w.dir, "main.hcl"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return w
}

// apply runs one apply and returns its exit status and output.
func (w *faultWorkspace) apply(t *testing.T) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args := []string{"-chdir=" + w.dir, "apply", "-auto-approve", "-no-color", "-parallelism=1", "-now=" + time.Unix(scriptNow, 0).UTC().Format(time.RFC3339)}
	code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String() + stderr.String()
}

// seriesState is what state says of one series and what the sink holds.
type seriesState struct {
	Covered    bool   // state records coverage
	Last       string // status of the series' latest action
	SinkRows   int64
	OutsideCov int64 // sink rows state does not cover
}

// lastRun is the status of the latest run in state.
func (w *faultWorkspace) lastRun(t *testing.T) state.RunStatus {
	t.Helper()
	ctx := context.Background()
	st, err := state.Open(ctx, state.Config{Path: filepath.Join(w.dir, ".candlekeep", "state.db")})
	if err != nil {
		t.Fatal(err)
	}
	useLatestSink(t, st)
	defer st.Close()
	runs, err := st.Runs(ctx, 1)
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs: %+v, %v", runs, err)
	}
	return runs[0].Status
}

// inspect reads state and the sink for every series of faultConfig.
func (w *faultWorkspace) inspect(t *testing.T) map[ohlc.Series]seriesState {
	t.Helper()
	return w.inspectSeries(t, allFault)
}

// inspectSeries reads state and the sink for the given series.
func (w *faultWorkspace) inspectSeries(t *testing.T, series []ohlc.Series) map[ohlc.Series]seriesState {
	t.Helper()
	ctx := context.Background()
	st, err := state.Open(ctx, state.Config{Path: filepath.Join(w.dir, ".candlekeep", "state.db")})
	if err != nil {
		t.Fatal(err)
	}
	useLatestSink(t, st)
	defer st.Close()
	rows := w.questdb.Rows("candles")
	out := map[ohlc.Series]seriesState{}
	for _, s := range series {
		cov, err := st.Coverage(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		var all ohlc.SpanSet
		for _, spans := range cov {
			all = append(all, spans...)
		}
		acts, err := st.ActionsOf(ctx, s, 1)
		if err != nil {
			t.Fatal(err)
		}
		ss := seriesState{Covered: len(all) > 0}
		if len(acts) > 0 {
			ss.Last = string(acts[0].Status)
		}
		for _, r := range rows {
			if r.Pair != s.Pair || r.Interval != s.Interval.String() {
				continue
			}
			ss.SinkRows++
			if !covers(all, r.Timestamp/1_000_000) {
				ss.OutsideCov++
			}
		}
		out[s] = ss
	}
	return out
}

func covers(set ohlc.SpanSet, t int64) bool {
	for _, sp := range set {
		if t >= sp.Start && t < sp.End {
			return true
		}
	}
	return false
}

// faultCase is one injected fault: what the stand-ins do, which action it
// hits, and what the first apply must show.
type faultCase struct {
	name   string
	sink   []questdbtest.Fault // queued for the QuestDB requests, in order
	kraken string              // queued for the OHLC requests (krakenfake.ParseFaults)
	failed ohlc.Series         // the action the fault hits
	// requests the failed action made before giving up, as the stand-in
	// behind it counted them: the retries are bounded.
	requests int
	err      string // the failed action's line, normalised by normaliseFault
}

// pass lets a QuestDB request through untouched.
var pass = questdbtest.Slow(0)

func repeatFault(f questdbtest.Fault, n int) []questdbtest.Fault {
	out := make([]questdbtest.Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

var faultCases = []faultCase{
	{
		name:     "questdb answers 503",
		sink:     append([]questdbtest.Fault{pass, pass}, repeatFault(questdbtest.Status(503), 5)...),
		failed:   ethCSV,
		requests: 5,
		err:      "ETHUSD/60 [2020-01-01, 2020-10-01): failed after 0 candles: write 6576 candles to sink: write ETHUSD/60 to questdb http://ADDR table 'candles': gave up after 5 requests: questdb at http://ADDR: 503: 503 Service Unavailable",
	},
	{
		name:     "questdb hangs",
		sink:     repeatFault(questdbtest.Hang(), 5),
		failed:   adaAPI,
		requests: 5,
		err:      `ADAUSD/60 [2026-11-27, 2026-11-28): failed after 0 candles: write 8 candles to sink: write ADAUSD/60 to questdb http://ADDR table 'candles': gave up after 5 requests: questdb at http://ADDR: no answer within request_timeout (D): Post "http://ADDR/write": context deadline exceeded`,
	},
	{
		name:     "questdb accepts the bytes and drops the connection",
		sink:     append([]questdbtest.Fault{pass, pass}, repeatFault(questdbtest.AcceptThenDrop(), 5)...),
		failed:   ethCSV,
		requests: 5,
		err:      `ETHUSD/60 [2020-01-01, 2020-10-01): failed after 0 candles: write 6576 candles to sink: write ETHUSD/60 to questdb http://ADDR table 'candles': gave up after 5 requests: questdb at http://ADDR: Post "http://ADDR/write": EOF`,
	},
	{
		name:     "questdb rejects a row",
		sink:     []questdbtest.Fault{pass, pass, questdbtest.Reject(3, "cast error from protocol type: FLOAT to column type: LONG")},
		failed:   ethCSV,
		requests: 1,
		err:      "ETHUSD/60 [2020-01-01, 2020-10-01): failed after 0 candles: write 6576 candles to sink: write ETHUSD/60 to questdb http://ADDR table 'candles': questdb rejected the ETHUSD/60 candle at 2020-01-01 02:00 (row 3 of the request, HTTP 400): failed to parse line protocol: errors encountered on line(s): error in line 3: cast error from protocol type: FLOAT to column type: LONG",
	},
	{
		name:     "kraken throttles",
		kraken:   "ratelimit,429,ratelimit",
		failed:   adaAPI,
		requests: 3,
		err:      "ADAUSD/60 [2026-11-27, 2026-11-28): failed after 0 candles: OHLC ADAUSD/60: gave up after 3 attempts: EAPI:Rate limit exceeded (HTTP 200)",
	},
	{
		name:     "kraken answers 503",
		kraken:   "503*3",
		failed:   adaAPI,
		requests: 3,
		err:      "ADAUSD/60 [2026-11-27, 2026-11-28): failed after 0 candles: OHLC ADAUSD/60: gave up after 3 attempts: Service Unavailable (HTTP 503)",
	},
	{
		name:     "kraken truncates the body",
		kraken:   "truncated",
		failed:   adaAPI,
		requests: 1,
		err:      "ADAUSD/60 [2026-11-27, 2026-11-28): failed after 0 candles: OHLC ADAUSD/60: malformed JSON: unexpected end of JSON input",
	},
	{
		name:     "kraken hangs",
		kraken:   "slow=1h*3",
		failed:   adaAPI,
		requests: 3,
		err:      "ADAUSD/60 [2026-11-27, 2026-11-28): failed after 0 candles: OHLC ADAUSD/60: gave up after 3 attempts: GET ADDR/0/public/OHLC?interval=60&pair=ADAUSD&since=0: timed out: context deadline exceeded",
	},
}

var (
	loopbackAddr  = regexp.MustCompile(`127\.0\.0\.1:[0-9]+`)
	faultDuration = regexp.MustCompile(`[0-9]+(\.[0-9]+)?(ms|s)\b`)
)

// normaliseFault replaces what changes between runs: ports, durations.
func normaliseFault(s string) string {
	return faultDuration.ReplaceAllString(loopbackAddr.ReplaceAllString(s, "ADDR"), "D")
}

// failedLine finds the line reporting the failed action of series.
func failedLine(out string, s ohlc.Series) string {
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, s.String()+" [") && strings.Contains(line, ": failed") {
			return line
		}
	}
	return ""
}

// Each fault of a sink or of Kraken fails its own action after bounded
// retries, with an error saying what went wrong; state records nothing the
// sink did not acknowledge and marks the action failed; the other actions
// of the run complete; and the next apply does the rest of the work, and
// only that.
func TestFaults(t *testing.T) {
	clean := newFaultWorkspace(t, faultConfig)
	if code, out := clean.apply(t); code != 0 {
		t.Fatalf("clean apply: exit %d\n%s", code, out)
	}
	complete := clean.inspect(t)
	baseWrites, baseRequests := clean.writes.Writes(), clean.kraken.OHLCRequests()

	for _, tc := range faultCases {
		t.Run(tc.name, func(t *testing.T) {
			w := newFaultWorkspace(t, faultConfig)
			w.questdb.Inject(tc.sink...)
			faults, err := krakenfake.ParseFaults(tc.kraken)
			if err != nil {
				t.Fatal(err)
			}
			w.kraken.Script(faults...)

			code, out := w.apply(t)
			if code != 1 {
				t.Errorf("apply exited %d, want 1", code)
			}
			firstWrites, firstRequests := w.writes.Writes(), w.kraken.OHLCRequests()
			if got := normaliseFault(failedLine(out, tc.failed)); got != tc.err {
				t.Errorf("failure line:\n%s", cmp.Diff(tc.err, got))
			}

			want := map[ohlc.Series]seriesState{}
			for s, ss := range complete {
				want[s] = ss
			}
			want[tc.failed] = seriesState{Last: string(state.ActionFailed)}
			if diff := cmp.Diff(want, w.inspect(t)); diff != "" {
				t.Errorf("after the failed apply (-want +got):\n%s\n%s", diff, out)
			}
			if got := w.lastRun(t); got != state.RunFailed {
				t.Errorf("the run is %s, want %s", got, state.RunFailed)
			}

			if code, out := w.apply(t); code != 0 {
				t.Fatalf("next apply: exit %d\n%s", code, out)
			}
			if diff := cmp.Diff(complete, w.inspect(t)); diff != "" {
				t.Errorf("after the next apply (-want +got):\n%s", diff)
			}
			if got := w.lastRun(t); got != state.RunSucceeded {
				t.Errorf("the next run is %s, want %s", got, state.RunSucceeded)
			}
			// The next apply redoes the failed action alone, making the
			// requests it makes in a clean run; the fault hit its first
			// request, so the first apply made the clean run's requests
			// less those, plus the failed attempts.
			redone := w.writes.Writes() - firstWrites
			attempts := firstWrites - baseWrites + redone
			if tc.kraken != "" {
				redone = w.kraken.OHLCRequests() - firstRequests
				attempts = firstRequests - baseRequests + redone
				if redone != 1 {
					t.Errorf("the next apply made %d Kraken requests, want 1", redone)
				}
			}
			if attempts != tc.requests {
				t.Errorf("the failed action made %d requests, want %d", attempts, tc.requests)
			}
		})
	}
}

// groupedConfig loads two small daily files, which the executor writes to
// the sink together in one request.
const groupedConfig = `
sink "questdb" {
  conf = "http::addr=%s;request_timeout=300;"
}

api {
  base_url = "%s"
  enabled  = false
}

dump "daily_2021" {
  path = "data/Kraken_OHLCVT_2021-04-01.zip"
}

dump "daily_2022" {
  path  = "data/Kraken_OHLCVT_2022-07-01"
  until = "2022-07-01"
}

coverage "daily" {
  pairs     = ["XBTUSD", "ETHUSD"]
  intervals = ["1d"]
  from      = "2019-01-01"
  to        = "2021-04-01"
}
`

// A row the sink rejects fails the action of its own file only, even when
// small files share a sink request: the other file is not at fault.
func TestFaultInGroupedLoadsFailsOnlyTheRejectedFile(t *testing.T) {
	w := newFaultWorkspace(t, groupedConfig)
	// A real QuestDB refuses the bad row every time it is sent: once in the
	// shared request, and again when ETHUSD's file is written on its own
	// (it comes first in the plan). XBTUSD's own request goes through.
	reject := questdbtest.Reject(3, "cast error from protocol type: FLOAT to column type: LONG")
	w.questdb.Inject(reject, reject)
	code, out := w.apply(t)
	if code != 1 {
		t.Fatalf("apply exited %d, want 1\n%s", code, out)
	}
	if line := failedLine(out, ohlc.Series{Pair: "XBTUSD", Interval: 1440}); line != "" {
		t.Errorf("XBTUSD/1440 failed for another file's row:\n%s", line)
	}
	if line := failedLine(out, ohlc.Series{Pair: "ETHUSD", Interval: 1440}); !strings.Contains(line, "rejected the ETHUSD/1440 candle") {
		t.Errorf("ETHUSD/1440 does not say its candle was rejected:\n%s", out)
	}
	eth, xbt := ohlc.Series{Pair: "ETHUSD", Interval: 1440}, ohlc.Series{Pair: "XBTUSD", Interval: 1440}
	loaded := seriesState{Covered: true, Last: string(state.ActionDone), SinkRows: 821}
	want := map[ohlc.Series]seriesState{eth: {Last: string(state.ActionFailed)}, xbt: loaded}
	if diff := cmp.Diff(want, w.inspectSeries(t, []ohlc.Series{eth, xbt})); diff != "" {
		t.Errorf("after the rejection (-want +got):\n%s\n%s", diff, out)
	}
	if code, out := w.apply(t); code != 0 {
		t.Fatalf("next apply: exit %d\n%s", code, out)
	}
	want[eth] = loaded
	if diff := cmp.Diff(want, w.inspectSeries(t, []ohlc.Series{eth, xbt})); diff != "" {
		t.Errorf("after the next apply (-want +got):\n%s", diff)
	}
}
