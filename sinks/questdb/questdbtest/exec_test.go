package questdbtest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestExecAnswers(t *testing.T) {
	s := withCandles(t)
	post(t, s, candleLine("XBTUSD", 0, 1, "")+candleLine("XBTUSD", 1, 1, ",vwap=1.25")+candleLine("XBTUSD", 24*31, 1, "")+
		candleLine("ADAUSD", 5, 1, "")+"candles,pair=XBTUSD,interval=1440 open=1 1704067200000000000\n")
	const showColumns = `{"query":"SHOW COLUMNS FROM 'candles'","columns":[{"name":"column","type":"STRING"},{"name":"type","type":"STRING"},{"name":"indexed","type":"BOOLEAN"},{"name":"indexBlockCapacity","type":"INT"},{"name":"symbolCached","type":"BOOLEAN"},{"name":"symbolCapacity","type":"INT"},{"name":"designated","type":"BOOLEAN"},{"name":"upsertKey","type":"BOOLEAN"}],"timestamp":-1,"dataset":[` +
		`["pair","SYMBOL",false,256,true,128,false,true],["interval","SYMBOL",false,256,true,128,false,true],` +
		`["open","DOUBLE",false,256,false,0,false,false],["high","DOUBLE",false,256,false,0,false,false],["low","DOUBLE",false,256,false,0,false,false],` +
		`["close","DOUBLE",false,256,false,0,false,false],["volume","DOUBLE",false,256,false,0,false,false],["trades","LONG",false,256,false,0,false,false],` +
		`["vwap","DOUBLE",false,256,false,0,false,false],["timestamp","TIMESTAMP",false,256,false,0,true,true]],"count":10}`
	cases := []struct {
		name, query string
		status      int
		want        string
	}{
		{"create again is a no-op", createCandles, 200, `{"ddl":"OK"}`},
		{"create without IF NOT EXISTS on an existing table", "CREATE TABLE candles (a DOUBLE)", 400,
			`{"query":"CREATE TABLE candles (a DOUBLE)","error":"table already exists","position":13}`},
		{"show columns", "SHOW COLUMNS FROM 'candles'", 200, showColumns},
		{"show columns of a missing table", "SHOW COLUMNS FROM 'candles2'", 400,
			`{"query":"SHOW COLUMNS FROM 'candles2'","error":"table does not exist [table=candles2]","position":18}`},
		{"read-back, groups in no promised order",
			"SELECT pair, interval, min(timestamp), max(timestamp), count() FROM 'candles' WHERE timestamp >= '2024-01-01T00:00:00.000000Z' AND timestamp < '2024-02-01T00:00:00.000000Z' GROUP BY pair, interval", 200,
			`{"query":"SELECT pair, interval, min(timestamp), max(timestamp), count() FROM 'candles' WHERE timestamp >= '2024-01-01T00:00:00.000000Z' AND timestamp < '2024-02-01T00:00:00.000000Z' GROUP BY pair, interval",` +
				`"columns":[{"name":"pair","type":"SYMBOL"},{"name":"interval","type":"SYMBOL"},{"name":"min","type":"TIMESTAMP"},{"name":"max","type":"TIMESTAMP"},{"name":"count","type":"LONG"}],"timestamp":-1,` +
				`"dataset":[["XBTUSD","60","2024-01-01T00:00:00.000000Z","2024-01-01T01:00:00.000000Z",2],["XBTUSD","1440","2024-01-01T00:00:00.000000Z","2024-01-01T00:00:00.000000Z",1],["ADAUSD","60","2024-01-01T05:00:00.000000Z","2024-01-01T05:00:00.000000Z",1]],"count":3}`},
		{"read-back of an empty span", "SELECT pair, interval, min(timestamp), max(timestamp), count() FROM 'candles' WHERE timestamp >= '2030-01-01T00:00:00.000000Z' AND timestamp < '2030-02-01T00:00:00.000000Z' GROUP BY pair, interval", 200,
			`{"query":"SELECT pair, interval, min(timestamp), max(timestamp), count() FROM 'candles' WHERE timestamp >= '2030-01-01T00:00:00.000000Z' AND timestamp < '2030-02-01T00:00:00.000000Z' GROUP BY pair, interval",` +
				`"columns":[{"name":"pair","type":"SYMBOL"},{"name":"interval","type":"SYMBOL"},{"name":"min","type":"TIMESTAMP"},{"name":"max","type":"TIMESTAMP"},{"name":"count","type":"LONG"}],"timestamp":-1,"dataset":[],"count":0}`},
		{"values, whitespace and case do not matter",
			"select open, high, low, close, volume, trades, vwap, timestamp\n  from 'candles'  where pair = 'XBTUSD' and interval = '60' AND timestamp >= '2024-01-01T00:00:00.000000Z' AND timestamp < '2024-01-02T00:00:00.000000Z' order by timestamp;", 200,
			`{"query":"select open, high, low, close, volume, trades, vwap, timestamp\n  from 'candles'  where pair = 'XBTUSD' and interval = '60' AND timestamp >= '2024-01-01T00:00:00.000000Z' AND timestamp < '2024-01-02T00:00:00.000000Z' order by timestamp;",` +
				`"columns":[{"name":"open","type":"DOUBLE"},{"name":"high","type":"DOUBLE"},{"name":"low","type":"DOUBLE"},{"name":"close","type":"DOUBLE"},{"name":"volume","type":"DOUBLE"},{"name":"trades","type":"LONG"},{"name":"vwap","type":"DOUBLE"},{"name":"timestamp","type":"TIMESTAMP"}],"timestamp":7,` +
				`"dataset":[[1.0,2.0,0.5,1.5,10.0,3,null,"2024-01-01T00:00:00.000000Z"],[1.0,2.0,0.5,1.5,10.0,3,1.25,"2024-01-01T01:00:00.000000Z"]],"count":2}`},
		{"unknown statement", "DROP TABLE candles", 400,
			`{"query":"DROP TABLE candles","error":"statement not supported by the QuestDB stand-in","position":0}`},
		{"unknown column", "SELECT nope FROM candles", 400,
			`{"query":"SELECT nope FROM candles","error":"Invalid column: nope","position":7}`},
		{"select from a missing table", "SELECT pair FROM other", 400,
			`{"query":"SELECT pair FROM other","error":"table does not exist [table=other]","position":17}`},
		{"bad timestamp literal", "SELECT pair FROM candles WHERE timestamp >= 'yesterday'", 400,
			`{"query":"SELECT pair FROM candles WHERE timestamp >= 'yesterday'","error":"Invalid date [str=yesterday]","position":44}`},
		{"empty query", " ", 400, `{"query":" ","error":"No query text","position":0}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, answer := get(t, s, c.query)
			if status != c.status {
				t.Errorf("status %d, want %d", status, c.status)
			}
			if diff := cmp.Diff(c.want, answer); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCreateTableChecks(t *testing.T) {
	cases := []struct {
		name, query, error string
	}{
		{"dedup keys without the designated timestamp",
			"CREATE TABLE t (a SYMBOL, ts TIMESTAMP) TIMESTAMP(ts) PARTITION BY DAY WAL DEDUP UPSERT KEYS(a)",
			"deduplicate key list must include dedicated timestamp column"},
		{"dedup on a non-WAL table",
			"CREATE TABLE t (a SYMBOL, ts TIMESTAMP) TIMESTAMP(ts) PARTITION BY DAY BYPASS WAL DEDUP UPSERT KEYS(ts)",
			"deduplication is possible only on WAL tables"},
		{"unknown dedup key",
			"CREATE TABLE t (a SYMBOL, ts TIMESTAMP) TIMESTAMP(ts) PARTITION BY DAY WAL DEDUP UPSERT KEYS(ts, b)",
			"deduplicate key column not found [column=b]"},
		{"unsupported type", "CREATE TABLE t (a GEOHASH(5c))", "unsupported column type: GEOHASH"},
		{"designated timestamp of the wrong type", "CREATE TABLE t (a LONG) TIMESTAMP(a)", "TIMESTAMP column expected [actual=a]"},
		{"partitions need a designated timestamp", "CREATE TABLE t (a LONG) PARTITION BY DAY", "partitioning is possible only on tables with designated timestamps"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := started(t, Options{})
			status, answer := get(t, s, c.query)
			if status != http.StatusBadRequest || !strings.Contains(answer, `"error":"`+c.error+`"`) {
				t.Errorf("got %d %s, want 400 with %q", status, answer, c.error)
			}
		})
	}
}

func TestCreateTableForWrongSchemaTests(t *testing.T) {
	s := started(t, Options{})
	s.CreateTable("candles", map[string]string{"pair": "SYMBOL", "interval": "LONG", "open": "DOUBLE", "timestamp": "TIMESTAMP"}, []string{"timestamp", "pair"})
	_, answer := get(t, s, "SHOW COLUMNS FROM candles")
	want := `"dataset":[["pair","SYMBOL",false,256,true,128,false,true],["interval","LONG",false,256,false,0,false,false],["open","DOUBLE",false,256,false,0,false,false],["timestamp","TIMESTAMP",false,256,false,0,true,true]]`
	if !strings.Contains(answer, want) {
		t.Errorf("SHOW COLUMNS = %s, want it to hold %s", answer, want)
	}
	// ILP sends interval as a tag: QuestDB refuses a tag into a LONG column.
	if status, _ := post(t, s, candleLine("XBTUSD", 0, 1, "")); status != http.StatusBadRequest {
		t.Errorf("write into the wrong schema: %d, want 400", status)
	}
}
