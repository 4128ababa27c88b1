package questdbtest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const createCandles = `CREATE TABLE IF NOT EXISTS 'candles' (pair SYMBOL, interval SYMBOL, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, trades LONG, vwap DOUBLE, timestamp TIMESTAMP) TIMESTAMP(timestamp) PARTITION BY MONTH WAL DEDUP UPSERT KEYS(timestamp, pair, interval)`

// started returns a new server closed at the end of the test.
func started(t *testing.T, opts Options) *Server {
	t.Helper()
	s := New(opts)
	t.Cleanup(s.Close)
	return s
}

// withCandles returns a server with the candle table created through /exec.
func withCandles(t *testing.T) *Server {
	t.Helper()
	s := started(t, Options{})
	if status, body := get(t, s, createCandles); status != http.StatusOK || body != `{"ddl":"OK"}` {
		t.Fatalf("create table: %d %s", status, body)
	}
	return s
}

func request(t *testing.T, ctx context.Context, method, u, body string, edit func(*http.Request)) (int, string, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b)), err
}

// post sends an ILP body to /write.
func post(t *testing.T, s *Server, body string) (int, string) {
	t.Helper()
	status, answer, err := request(t, t.Context(), http.MethodPost, "http://"+s.Addr()+"/write", body, nil)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	return status, answer
}

// get runs a query through /exec.
func get(t *testing.T, s *Server, query string) (int, string) {
	t.Helper()
	status, answer, err := request(t, t.Context(), http.MethodGet, "http://"+s.Addr()+"/exec?query="+url.QueryEscape(query), "", nil)
	if err != nil {
		t.Fatalf("exec: %v", err)
	}
	return status, answer
}

type ilpError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Line    int    `json:"line"`
	ErrorID string `json:"errorId"`
}

func decodeILPError(t *testing.T, body string) ilpError {
	t.Helper()
	var e ilpError
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.ErrorID == "" {
		t.Fatalf("error body %q is not QuestDB's shape: %v", body, err)
	}
	return e
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
func itoa(n int64) string   { return strconv.FormatInt(n, 10) }

func candleLine(pair string, hour int, open float64, extra string) string {
	ts := (1704067200 + int64(hour)*3600) * 1_000_000_000
	return "candles,pair=" + pair + ",interval=60 open=" + ftoa(open) + ",high=2,low=0.5,close=1.5,volume=10,trades=3i" + extra + " " + itoa(ts) + "\n"
}

func TestRejectedRequestAppliesNothing(t *testing.T) {
	s := withCandles(t)
	body := candleLine("XBTUSD", 0, 1, "") + candleLine("XBTUSD", 1, 1, "") +
		"candles,pair=XBTUSD,interval=60 open=1,trades=1.5 1704074400000000000\n" + candleLine("XBTUSD", 3, 1, "")
	status, answer := post(t, s, body)
	if status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400 (%s)", status, answer)
	}
	e := decodeILPError(t, answer)
	want := "failed to parse line protocol:\nerrors encountered on line(s):\nerror in line 3: table: candles, column: trades; cast error from protocol type: FLOAT to column type: LONG"
	if e.Code != "invalid" || e.Line != 3 || e.Message != want {
		t.Errorf("error = %+v, want code invalid, line 3, message %q", e, want)
	}
	if n := s.Count("candles"); n != 0 {
		t.Errorf("%d rows stored after a rejected request, want 0", n)
	}
	if s.Writes() != 0 {
		t.Errorf("Writes = %d, want 0", s.Writes())
	}
	if s.BytesReceived() != int64(len(body)) {
		t.Errorf("BytesReceived = %d, want %d", s.BytesReceived(), len(body))
	}
}

func TestTypeMismatchesAreRejected(t *testing.T) {
	cases := []struct{ name, line, msg string }{
		{"string into DOUBLE", `candles,pair=A,interval=60 open="x" 0`, "column: open; cast error from protocol type: STRING to column type: DOUBLE"},
		{"boolean into TIMESTAMP-less SYMBOL is fine but into DOUBLE via tag is not", `candles,pair=A,interval=60,open=1 close=1 0`, "column: open; cast error from protocol type: TAG to column type: DOUBLE"},
		{"float into LONG", `candles,pair=A,interval=60 trades=3 0`, "column: trades; cast error from protocol type: FLOAT to column type: LONG"},
		{"negative designated timestamp", `candles,pair=A,interval=60 open=1 -1000`, "designated timestamp before 1970-01-01"},
		{"bad new column name", `candles,pair=A,interval=60 op-en=1 0`, "table: candles; invalid column name: op-en"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := withCandles(t)
			status, answer := post(t, s, c.line)
			if status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400 (%s)", status, answer)
			}
			if e := decodeILPError(t, answer); e.Line != 1 || !strings.Contains(e.Message, c.msg) {
				t.Errorf("error %+v, want line 1 and %q", e, c.msg)
			}
		})
	}
}

func TestUpsertOnDedupKeys(t *testing.T) {
	s := withCandles(t)
	// Within one request and across requests, the later row wins whole.
	if status, answer := post(t, s, candleLine("XBTUSD", 0, 1, ",vwap=1.2")+candleLine("XBTUSD", 0, 7, ",vwap=1.3")+candleLine("ETHUSD", 0, 3, "")); status != http.StatusNoContent {
		t.Fatalf("write: %d %s", status, answer)
	}
	if status, answer := post(t, s, candleLine("XBTUSD", 0, 9, "")); status != http.StatusNoContent {
		t.Fatalf("write: %d %s", status, answer)
	}
	got := s.Rows("candles")
	want := []Row{
		{Pair: "ETHUSD", Interval: "60", Timestamp: 1704067200_000000, Open: 3, High: 2, Low: 0.5, Close: 1.5, Volume: 10, Trades: 3},
		{Pair: "XBTUSD", Interval: "60", Timestamp: 1704067200_000000, Open: 9, High: 2, Low: 0.5, Close: 1.5, Volume: 10, Trades: 3},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if s.Writes() != 2 {
		t.Errorf("Writes = %d, want 2", s.Writes())
	}
}

func TestTableWithoutDedupAppends(t *testing.T) {
	s := started(t, Options{})
	s.CreateTableWithoutDedup("candles")
	post(t, s, candleLine("XBTUSD", 0, 1, ""))
	post(t, s, candleLine("XBTUSD", 0, 1, ""))
	if n := s.Count("candles"); n != 2 {
		t.Errorf("Count = %d after writing a row twice, want 2", n)
	}
}

func TestAutoCreatedTableHasNoUpsertKeys(t *testing.T) {
	s := started(t, Options{})
	post(t, s, candleLine("XBTUSD", 0, 1, ""))
	post(t, s, candleLine("XBTUSD", 0, 1, ""))
	if n := s.Count("candles"); n != 2 {
		t.Errorf("Count = %d, want 2 (auto-created tables append)", n)
	}
	_, answer := get(t, s, "SHOW COLUMNS FROM 'candles'")
	want := `{"query":"SHOW COLUMNS FROM 'candles'","columns":[{"name":"column","type":"STRING"},{"name":"type","type":"STRING"},{"name":"indexed","type":"BOOLEAN"},{"name":"indexBlockCapacity","type":"INT"},{"name":"symbolCached","type":"BOOLEAN"},{"name":"symbolCapacity","type":"INT"},{"name":"designated","type":"BOOLEAN"},{"name":"upsertKey","type":"BOOLEAN"}],"timestamp":-1,"dataset":[` +
		`["pair","SYMBOL",false,256,true,128,false,false],["interval","SYMBOL",false,256,true,128,false,false],` +
		`["open","DOUBLE",false,256,false,0,false,false],["high","DOUBLE",false,256,false,0,false,false],["low","DOUBLE",false,256,false,0,false,false],` +
		`["close","DOUBLE",false,256,false,0,false,false],["volume","DOUBLE",false,256,false,0,false,false],["trades","LONG",false,256,false,0,false,false],` +
		`["timestamp","TIMESTAMP",false,256,false,0,true,false]],"count":9}`
	if diff := cmp.Diff(want, answer); diff != "" {
		t.Errorf("SHOW COLUMNS (-want +got):\n%s", diff)
	}
}

func TestMissingFieldIsNull(t *testing.T) {
	s := withCandles(t)
	post(t, s, "candles,pair=XBTUSD,interval=60 open=1 1704067200000000000\n")
	got := s.Rows("candles")
	want := []Row{{Pair: "XBTUSD", Interval: "60", Timestamp: 1704067200_000000, Open: 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	_, answer := get(t, s, "SELECT open, trades, vwap FROM 'candles'")
	if !strings.Contains(answer, `"dataset":[[1.0,null,null]]`) {
		t.Errorf("NULLs not null in %s", answer)
	}
}

func TestPrecisionParameter(t *testing.T) {
	s := withCandles(t)
	status, _, err := request(t, t.Context(), http.MethodPost, "http://"+s.Addr()+"/api/v2/write?precision=s", "candles,pair=A,interval=60 open=1 1704067200\n", nil)
	if err != nil || status != http.StatusNoContent {
		t.Fatalf("write: %d %v", status, err)
	}
	if rows := s.Rows("candles"); len(rows) != 1 || rows[0].Timestamp != 1704067200_000000 {
		t.Errorf("rows %+v, want one at 1704067200 s", rows)
	}
}

func TestDropRange(t *testing.T) {
	s := withCandles(t)
	post(t, s, candleLine("XBTUSD", 0, 1, "")+candleLine("XBTUSD", 1, 1, "")+candleLine("XBTUSD", 2, 1, ""))
	s.DropRange("candles", 1704067200_000000+3600_000000, 1704067200_000000+7200_000000)
	var hours []int64
	for _, r := range s.Rows("candles") {
		hours = append(hours, (r.Timestamp/1_000_000-1704067200)/3600)
	}
	if diff := cmp.Diff([]int64{0, 2}, hours); diff != "" {
		t.Errorf("hours left (-want +got):\n%s", diff)
	}
	// The dedup index follows: rewriting hour 0 still replaces it.
	post(t, s, candleLine("XBTUSD", 0, 5, ""))
	if n := s.Count("candles"); n != 2 {
		t.Errorf("Count = %d, want 2", n)
	}
}

func TestAuthentication(t *testing.T) {
	cases := []struct {
		name string
		opts Options
		good func(*http.Request)
		bad  func(*http.Request)
		conf string
	}{
		{"basic", Options{Username: "admin", Password: "s3cret"},
			func(r *http.Request) { r.SetBasicAuth("admin", "s3cret") },
			func(r *http.Request) { r.SetBasicAuth("admin", "wrong") },
			"username=admin;password=s3cret;"},
		{"token", Options{Token: "tok"},
			func(r *http.Request) { r.Header.Set("Authorization", "Bearer tok") },
			func(r *http.Request) { r.Header.Set("Authorization", "Bearer nope") },
			"token=tok;"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := started(t, c.opts)
			if want := "http::addr=" + s.Addr() + ";" + c.conf; s.Conf() != want {
				t.Errorf("Conf = %q, want %q", s.Conf(), want)
			}
			for _, path := range []string{"/write", "/exec?query=" + url.QueryEscape(createCandles)} {
				for _, edit := range []func(*http.Request){nil, c.bad} {
					status, _, err := request(t, t.Context(), http.MethodPost, "http://"+s.Addr()+path, "m f=1\n", edit)
					if err != nil || status != http.StatusUnauthorized {
						t.Errorf("%s without the right credentials: %d %v, want 401", path, status, err)
					}
				}
			}
			status, _, err := request(t, t.Context(), http.MethodPost, "http://"+s.Addr()+"/write", "m f=1\n", c.good)
			if err != nil || status != http.StatusNoContent {
				t.Errorf("write with credentials: %d %v, want 204", status, err)
			}
		})
	}
}

func TestSettingsIsNotFound(t *testing.T) {
	s := started(t, Options{})
	status, _, err := request(t, t.Context(), http.MethodGet, "http://"+s.Addr()+"/settings", "", nil)
	if err != nil || status != http.StatusNotFound {
		t.Errorf("GET /settings: %d %v, want 404", status, err)
	}
}

func TestFaults(t *testing.T) {
	line := candleLine("XBTUSD", 0, 1, "")
	t.Run("Status", func(t *testing.T) {
		s := withCandles(t)
		s.Inject(Status(503))
		status, answer := post(t, s, line)
		if e := decodeILPError(t, answer); status != 503 || e.Code != "internal error" {
			t.Errorf("got %d %+v, want 503 internal error", status, e)
		}
		if s.Count("candles") != 0 {
			t.Error("a faulted request was applied")
		}
	})
	t.Run("Reject", func(t *testing.T) {
		s := withCandles(t)
		s.Inject(Reject(2, "nope"))
		status, answer := post(t, s, line+line)
		if e := decodeILPError(t, answer); status != 400 || e.Line != 2 || !strings.HasSuffix(e.Message, "error in line 2: nope") {
			t.Errorf("got %d %+v, want 400 naming line 2", status, e)
		}
		if s.Count("candles") != 0 {
			t.Error("a rejected request was applied")
		}
	})
	t.Run("Hang", func(t *testing.T) {
		s := withCandles(t)
		s.Inject(Hang())
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		if _, _, err := request(t, ctx, http.MethodPost, "http://"+s.Addr()+"/write", line, nil); err == nil {
			t.Error("a hanging request answered")
		}
		if s.Count("candles") != 0 {
			t.Error("a hanging request was applied")
		}
	})
	t.Run("SlowThenApplied", func(t *testing.T) {
		s := withCandles(t)
		s.Inject(Slow(50 * time.Millisecond))
		start := time.Now()
		if status, answer := post(t, s, line); status != http.StatusNoContent {
			t.Fatalf("slow write: %d %s", status, answer)
		}
		if time.Since(start) < 50*time.Millisecond {
			t.Error("Slow answered early")
		}
		if s.Count("candles") != 1 {
			t.Error("a slow request was not applied")
		}
	})
	t.Run("SlowGivenUp", func(t *testing.T) {
		s := withCandles(t)
		s.Inject(Slow(time.Hour))
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		if _, _, err := request(t, ctx, http.MethodPost, "http://"+s.Addr()+"/write", line, nil); err == nil {
			t.Error("a slow request answered before its delay")
		}
		if s.Count("candles") != 0 {
			t.Error("an abandoned slow request was applied")
		}
	})
	t.Run("AcceptThenDrop", func(t *testing.T) {
		s := withCandles(t)
		s.Inject(AcceptThenDrop())
		if _, _, err := request(t, t.Context(), http.MethodPost, "http://"+s.Addr()+"/write", line, nil); err == nil {
			t.Error("a dropped request answered")
		}
		if s.Count("candles") != 0 || s.BytesReceived() != int64(len(line)) {
			t.Errorf("Count %d, BytesReceived %d: want 0 and %d", s.Count("candles"), s.BytesReceived(), len(line))
		}
	})
	t.Run("FIFO one per request", func(t *testing.T) {
		s := withCandles(t)
		s.Inject(Status(500), Reject(1, "x"))
		var got []int
		for range 3 {
			status, _ := post(t, s, line)
			got = append(got, status)
		}
		if diff := cmp.Diff([]int{500, 400, 204}, got); diff != "" {
			t.Errorf("statuses (-want +got):\n%s", diff)
		}
		if s.Writes() != 1 || s.Count("candles") != 1 {
			t.Errorf("Writes %d, Count %d, want 1 and 1", s.Writes(), s.Count("candles"))
		}
	})
	t.Run("CloseReleasesHang", func(t *testing.T) {
		s := New(Options{})
		s.Inject(Hang())
		hanging := make(chan struct{})
		s.onHang = func() { close(hanging) }
		done := make(chan error, 1)
		go func() {
			_, _, err := request(t, context.Background(), http.MethodPost, "http://"+s.Addr()+"/write", line, nil)
			done <- err
		}()
		<-hanging
		s.Close()
		if err := <-done; err == nil {
			t.Error("a hanging request answered on Close")
		}
	})
}

func TestCountOnly(t *testing.T) {
	s := started(t, Options{CountOnly: true})
	get(t, s, createCandles)
	post(t, s, candleLine("XBTUSD", 0, 1, "")+candleLine("XBTUSD", 0, 1, ""))
	if status, _ := post(t, s, candleLine("XBTUSD", 0, 1, "")+"candles,pair=A,interval=60 trades=1.5\n"); status != http.StatusBadRequest {
		t.Errorf("bad request in CountOnly: %d, want 400", status)
	}
	if n, rows := s.Count("candles"), s.Rows("candles"); n != 2 || len(rows) != 0 {
		t.Errorf("Count %d, %d rows; want 2 received and none stored", n, len(rows))
	}
}
