package krakenfake

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// now is 2024-05-24 10:30 UTC: the forming 1h candle opened at 10:00.
const (
	now     = 1716546600
	forming = 1716544800
)

type answer struct {
	Error  []string                   `json:"error"`
	Result map[string]json.RawMessage `json:"result"`
}

func get(t *testing.T, s *Server, path string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(s.URL() + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

func rows(t *testing.T, body []byte, key string) [][]any {
	t.Helper()
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatalf("answer is not JSON: %v\n%.200s", err, body)
	}
	var r [][]any
	if err := json.Unmarshal(a.Result[key], &r); err != nil {
		t.Fatalf("rows under %s: %v (result keys: %v)", key, err, keys(a.Result))
	}
	return r
}

func keys(m map[string]json.RawMessage) []string {
	var k []string
	for x := range m {
		k = append(k, x)
	}
	return k
}

func TestOHLCAnswerGeneralisesTheFixture(t *testing.T) {
	s := New(Options{Now: now})
	defer s.Close()
	status, body := get(t, s, "/0/public/OHLC?pair=XBTUSD&interval=60&since=0")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	r := rows(t, body, "XXBTZUSD")
	if len(r) != Entries {
		t.Fatalf("%d rows, want %d", len(r), Entries)
	}
	if got := int64(r[len(r)-1][0].(float64)); got != forming {
		t.Errorf("last row opens at %d, want the forming candle %d", got, forming)
	}
	if got := int64(r[0][0].(float64)); got != forming-719*3600 {
		t.Errorf("first row opens at %d, want %d", got, forming-719*3600)
	}
	fillers := 0
	for _, row := range r {
		if row[7].(float64) == 0 {
			fillers++
			if row[1] != row[2] || row[2] != row[3] || row[3] != row[4] {
				t.Errorf("filler %v has open/high/low/close that differ", row)
			}
		}
	}
	if fillers != 360 {
		t.Errorf("%d fillers, want the fixture's 360", fillers)
	}
	// Row 717 of the real answer: 1613894400 "858.22" … "864.04" "0.10043824" 2.
	want := []any{float64(forming - 7200), "858.22", "869.92", "858.22", "869.92", "864.04", "0.10043824", float64(2)}
	if diff := cmp.Diff(want, r[717]); diff != "" {
		t.Errorf("row 717 (-want +got):\n%s", diff)
	}
	var a answer
	_ = json.Unmarshal(body, &a)
	if got := string(a.Result["last"]); got != "1716541200" {
		t.Errorf("last = %s, want the last closed candle 1716541200", got)
	}
}

func TestOHLCSince(t *testing.T) {
	s := New(Options{Now: now})
	defer s.Close()
	tests := []struct {
		since int64
		rows  int
		first int64
	}{
		{0, 720, forming - 719*3600},
		{forming - 10*3600, 10, forming - 9*3600}, // entries after since
		{forming - 10*3600 + 1, 10, forming - 9*3600},
		{forming - 3600, 1, forming},
		{forming, 1, forming}, // the forming candle always comes
		{forming + 7200, 1, forming},
	}
	for _, tc := range tests {
		_, body := get(t, s, "/0/public/OHLC?pair=ETHUSD&interval=60&since="+strconv.FormatInt(tc.since, 10))
		r := rows(t, body, "XETHZUSD")
		if len(r) != tc.rows || int64(r[0][0].(float64)) != tc.first {
			t.Errorf("since %d: %d rows from %v, want %d from %d", tc.since, len(r), r[0][0], tc.rows, tc.first)
		}
	}
}

func TestOHLCErrors(t *testing.T) {
	s := New(Options{Now: now})
	defer s.Close()
	tests := []struct {
		query string
		want  string
	}{
		{"pair=XBTUSD&interval=720", `{"error":["EGeneral:Invalid arguments"]}`},
		{"pair=XBTUSD&interval=7", `{"error":["EGeneral:Invalid arguments"]}`},
		{"pair=XBTUSD&interval=60&since=yesterday", `{"error":["EGeneral:Invalid arguments"]}`},
		{"pair=FOOUSD&interval=60", `{"error":["EQuery:Unknown asset pair"]}`},
	}
	for _, tc := range tests {
		status, body := get(t, s, "/0/public/OHLC?"+tc.query)
		if status != 200 || string(body) != tc.want {
			t.Errorf("%s: HTTP %d %s, want HTTP 200 %s", tc.query, status, body, tc.want)
		}
	}
}

func TestAssetPairs(t *testing.T) {
	s := New(Options{Pairs: map[string]string{"XBTUSD": "XXBTZUSD", "XBTUSDT": "XBTUSDT"}})
	defer s.Close()
	_, body := get(t, s, "/0/public/AssetPairs")
	var a struct {
		Error  []string            `json:"error"`
		Result map[string]pairInfo `json:"result"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	want := map[string]pairInfo{
		"XXBTZUSD": {Altname: "XBTUSD", Wsname: "XBT/USD", Status: "online"},
		"XBTUSDT":  {Altname: "XBTUSDT", Wsname: "XBTUSDT", Status: "online"},
	}
	if diff := cmp.Diff(want, a.Result); diff != "" || a.Error == nil {
		t.Errorf("AssetPairs (-want +got):\n%s\nerror = %#v", diff, a.Error)
	}
	if s.AssetPairsRequests() != 1 || s.OHLCRequests() != 0 {
		t.Errorf("counted %d AssetPairs, %d OHLC requests", s.AssetPairsRequests(), s.OHLCRequests())
	}
}

func TestFaults(t *testing.T) {
	s := New(Options{Now: now})
	defer s.Close()
	const q = "/0/public/OHLC?pair=XBTUSD&interval=60"
	_, normal := get(t, s, q)
	tests := []struct {
		fault  Fault
		status int
		check  func(body []byte) bool
	}{
		{RateLimit200(), 200, eq(`{"error":["EAPI:Rate limit exceeded"]}`)},
		{TooManyRequests429(), 429, contains("429")},
		{ServerError503(), 503, contains("503")},
		{ErrorCode("EService:Busy"), 200, eq(`{"error":["EService:Busy"]}`)},
		{Malformed(), 200, func(b []byte) bool { return !json.Valid(b) }},
		{Truncated(), 200, func(b []byte) bool { return !json.Valid(b) && string(b) == string(normal[:len(normal)/2]) }},
		{WrongPairKey(), 200, contains(`"XXXBTZUSDZ":[[`)},
		{BadRow(), 200, contains(`"n/a"`)},
		{OutOfOrder(), 200, func(b []byte) bool { return json.Valid(b) && string(b) != string(normal) && len(b) == len(normal) }},
		{Slow(time.Millisecond), 200, eq(string(normal))},
	}
	for _, tc := range tests {
		s.Script(tc.fault)
		status, body := get(t, s, q)
		if status != tc.status || !tc.check(body) {
			t.Errorf("%v: HTTP %d %.120s", tc.fault, status, body)
		}
	}
	if _, body := get(t, s, q); string(body) != string(normal) {
		t.Error("the answer after the script is not the normal one")
	}
	// AssetPairs faults queue apart from OHLC's.
	s.ScriptAssetPairs(ServerError503())
	s.Script(RateLimit200())
	if status, _ := get(t, s, "/0/public/AssetPairs"); status != 503 {
		t.Errorf("AssetPairs got HTTP %d, want its scripted 503", status)
	}
	if _, body := get(t, s, q); !strings.Contains(string(body), "Rate limit") {
		t.Errorf("OHLC got %.80s, want its scripted rate limit", body)
	}
	if s.Pending() != 0 {
		t.Errorf("%d faults left", s.Pending())
	}
}

func eq(want string) func([]byte) bool { return func(b []byte) bool { return string(b) == want } }
func contains(want string) func([]byte) bool {
	return func(b []byte) bool { return strings.Contains(string(b), want) }
}

func TestParseFaults(t *testing.T) {
	got, err := ParseFaults("ratelimit*2, 429,503,slow=2s,truncated,malformed,code=EService:Busy,wrongpair,badrow,outoforder,overlap")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range got {
		names = append(names, f.String())
	}
	want := []string{"ratelimit", "ratelimit", "429", "503", "slow=2s", "truncated", "malformed", "code=EService:Busy", "wrongpair", "badrow", "outoforder", "overlap"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"boom", "slow", "slow=soon", "code=", "429*0", "429*x", "ratelimit=1"} {
		if _, err := ParseFaults(bad); err == nil {
			t.Errorf("ParseFaults(%q) accepted", bad)
		}
	}
}

func TestRateBook(t *testing.T) {
	b := rateBook{window: time.Second, limit: 2}
	t0 := time.Unix(1000, 0)
	arrivals := []struct {
		at        time.Duration
		throttled bool
	}{
		{0, false},
		{400 * time.Millisecond, false},
		{900 * time.Millisecond, true},    // three within one second
		{1000 * time.Millisecond, true},   // 0.4, 0.9 and itself: t0 left the window
		{1950 * time.Millisecond, false},  // 1.0 and itself
		{3000 * time.Millisecond, false},  // alone
		{3000 * time.Millisecond, false},  // two at once
		{3000 * time.Millisecond, true},   // three at once
		{10000 * time.Millisecond, false}, // long after
	}
	for k, a := range arrivals {
		if got := b.arrive(t0.Add(a.at)); got != a.throttled {
			t.Errorf("arrival %d at %v: throttled = %v, want %v", k, a.at, got, a.throttled)
		}
	}
	if b.violations != 3 || b.maxInOne != 3 {
		t.Errorf("violations %d, max %d; want 3 and 3", b.violations, b.maxInOne)
	}
}

func TestSetLimitThrottles(t *testing.T) {
	s := New(Options{Now: now})
	defer s.Close()
	s.SetLimit(2)
	var bodies []string
	for range 3 {
		_, b := get(t, s, "/0/public/OHLC?pair=XBTUSD&interval=60")
		bodies = append(bodies, string(b[:min(len(b), 40)]))
	}
	// Three requests in a row take far less than a second here.
	if s.Violations() != 1 || s.MaxPerSecond() != 3 || s.Requests() != 3 {
		t.Fatalf("violations %d, max/s %d, requests %d", s.Violations(), s.MaxPerSecond(), s.Requests())
	}
	if bodies[2] != `{"error":["EAPI:Rate limit exceeded"]}` {
		t.Errorf("third answer %q, want the rate limit error", bodies[2])
	}
	s.ResetRate()
	if s.Requests() != 0 || s.MaxPerSecond() != 0 || s.Violations() != 0 {
		t.Error("ResetRate kept counts")
	}
}

func TestDownHangsUp(t *testing.T) {
	s := New(Options{Now: 1795000000})
	defer s.Close()
	s.SetDown(true)
	if resp, err := http.Get(s.URL() + "/0/public/AssetPairs"); err == nil {
		resp.Body.Close()
		t.Fatalf("a down fake answered %s", resp.Status)
	}
	s.SetDown(false)
	resp, err := http.Get(s.URL() + "/0/public/AssetPairs")
	if err != nil {
		t.Fatalf("the fake did not come back: %v", err)
	}
	resp.Body.Close()
}
