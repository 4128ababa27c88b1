package questdb

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
)

// TestSetupRefusesServerWithoutILPHTTP: a server that cannot take ILP
// over HTTP is refused at setup, naming the setting or version to change,
// and nothing is created on it.
func TestSetupRefusesServerWithoutILPHTTP(t *testing.T) {
	tests := []struct {
		name string
		opts questdbtest.Options
		want string // in the error; "" for none
	}{
		{"current open source", questdbtest.Options{}, ""},
		{"7.3.10, the first with ILP over HTTP", questdbtest.Options{Build: "Build Information: QuestDB 7.3.10, JDK 17.0.7, Commit Hash 1"}, ""},
		{"7.3.9: dedup but no /write", questdbtest.Options{Build: "Build Information: QuestDB 7.3.9, JDK 17.0.7, Commit Hash 1"},
			"runs QuestDB 7.3.9, which has no ILP over HTTP: candlekeep writes with it and needs QuestDB 7.3.10 or later"},
		{"Enterprise with line.http.enabled off", questdbtest.Options{Build: "Build Information: QuestDB Enterprise 3.0.4, JDK 17.0.9, Commit Hash 1", ILPHTTPDisabled: true},
			"set line.http.enabled=true in its server.conf"},
		{"Enterprise with it on", questdbtest.Options{Build: "Build Information: QuestDB Enterprise 3.0.4, JDK 17.0.9, Commit Hash 1"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, tc.opts)
			err := openSink(t, srv.Conf()).Setup(t.Context())
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("setup: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("setup error %v, want one saying %q", err, tc.want)
			case tc.want != "" && srv.Count("candles") != 0:
				t.Error("a refused setup wrote to the server")
			}
		})
	}
}

// TestExecRefusesErrorAfterRows: a query that fails after its first rows
// answers HTTP 200 with "error" after the dataset; the rows are not the
// answer, and a read-back must not take the missing rest for drift.
func TestExecRefusesErrorAfterRows(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"query":"SELECT 1","columns":[{"name":"n","type":"LONG"}],"timestamp":-1,"dataset":[[1],[2]],"count":2,"error":"timeout, query aborted"}`))
	}))
	defer srv.Close()
	x := newExecClient(mustConf(t, "http::addr="+strings.TrimPrefix(srv.URL, "http://")+";"))
	_, err := x.exec(context.Background(), "SELECT 1")
	var ee *ExecError
	if !errors.As(err, &ee) || !strings.Contains(ee.Message, "timeout, query aborted (after 2 rows") {
		t.Fatalf("exec = %v, want the error after the rows", err)
	}
}

// TestSettleMatchesTableNameInAnyCase: wal_tables() names a table as it
// was created; a configured name in another case still waits for it.
func TestSettleMatchesTableNameInAnyCase(t *testing.T) {
	srv := newServer(t, questdbtest.Options{})
	srv.CreateTable("Candles", map[string]string{"pair": "SYMBOL", "interval": "INT", "open": "DOUBLE", "high": "DOUBLE",
		"low": "DOUBLE", "close": "DOUBLE", "vwap": "DOUBLE", "volume": "DOUBLE", "trades": "LONG", "timestamp": "TIMESTAMP"},
		[]string{"timestamp", "pair", "interval"})
	srv.SetWAL("Candles", false, 2)
	sink := openSink(t, srv.Conf())
	sink.SettleTimeout, sink.SettlePoll = 5*time.Millisecond, time.Millisecond
	if err := sink.Settle(t.Context()); err == nil || !strings.Contains(err.Error(), "not applied 2 acknowledged commits") {
		t.Fatalf("settle = %v, want it to wait for the table's 2 pending commits", err)
	}
}

func mustConf(t *testing.T, conf string) *clientConf {
	t.Helper()
	c, err := parseConf(conf)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
