package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// secret stands for a QuestDB password; its halves are distinctive too,
// since a mistyped conf can split it at its ';'.
const secret = "Pw9xQ;;Zr7kM"

var secretParts = []string{"Pw9xQ", "Zr7kM"}

func TestQuestDBSink(t *testing.T) {
	tests := []struct {
		name    string
		sink    string
		environ []string
		want    Sink
	}{
		{
			name: "literal conf, default table, ';' added",
			sink: `sink "questdb" {
  conf = "http::addr=localhost:9000"
}`,
			want: Sink{Type: "questdb", Table: "candles", Conf: "http::addr=localhost:9000;"},
		},
		{
			name: "credentials from the environment",
			sink: `sink "questdb" {
  conf  = "https::addr=${env("QDB_ADDR")};username=${env("QDB_USER")};password=${env("QDB_PASSWORD")};tls_verify=on;"
  table = "ohlc"
}`,
			environ: []string{"QDB_ADDR=questdb.internal:9000", "QDB_USER=ingest", "QDB_PASSWORD=" + secret},
			want: Sink{Type: "questdb", Table: "ohlc",
				Conf: "https::addr=questdb.internal:9000;username=ingest;password=" + secret + ";tls_verify=on;"},
		},
		{
			name: "a token ending in an escaped ';', timeouts, ';' added",
			sink: `sink "questdb" {
  conf = "https::addr=q:443;token=${env("QDB_TOKEN")};;;request_timeout=10000;retry_timeout=0"
}`,
			environ: []string{"QDB_TOKEN=tok"},
			want:    Sink{Type: "questdb", Table: "candles", Conf: "https::addr=q:443;token=tok;;;request_timeout=10000;retry_timeout=0;"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"main.hcl": tt.sink})
			cfg := mustLoad(t, dir, LoadOptions{Environ: tt.environ})
			if diff := cmp.Diff(tt.want, cfg.Sink); diff != "" {
				t.Errorf("sink (-want +got):\n%s", diff)
			}
			for _, printed := range []string{fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg.Sink, cfg.Sink), cfg.Digest,
				fmt.Sprint(cfg.Variables)} {
				for _, part := range secretParts {
					if strings.Contains(printed, part) {
						t.Errorf("printed config holds the secret: %s", printed)
					}
				}
			}
		})
	}
}

// TestQuestDBSinkErrors feeds each bad conf through env(), as a real
// configuration would, and checks that the diagnostics never quote it.
func TestQuestDBSinkErrors(t *testing.T) {
	const fromEnv = "sink \"questdb\" {\n  conf = env(\"QDB_CONF\")\n}\n"
	tests := []struct {
		name   string
		file   string // default fromEnv
		conf   string
		want   []diagSummary
		detail string
	}{
		{name: "tcp refused", conf: "tcp::addr=h:9009;username=u;token=" + secret + ";",
			want: []diagSummary{{hcl.DiagError, "Unsupported questdb transport", "main.hcl", 2}}, detail: `starts with "tcp::"`},
		{name: "udp refused", conf: "udp::addr=h:9009;", want: []diagSummary{{hcl.DiagError, "Unsupported questdb transport", "main.hcl", 2}},
			detail: "ILP over HTTP"},
		{name: "no schema", conf: "addr=h:9000;password=" + secret + ";",
			want: []diagSummary{{hcl.DiagError, "Invalid questdb conf", "main.hcl", 2}}, detail: `must start with "http::" or "https::"`},
		{name: "unknown schema", conf: secret + "::addr=h:9000;",
			want: []diagSummary{{hcl.DiagError, "Invalid questdb conf", "main.hcl", 2}}, detail: `must start with "http::"`},
		{name: "unescaped ';' in a password", conf: "http::addr=h:9000;password=Pw9xQ;Zr7kM;username=u;",
			want: []diagSummary{{hcl.DiagError, "Invalid questdb conf", "main.hcl", 2}}, detail: `setting 3 has no "="`},
		{name: "unknown key", conf: "http::addr=h:9000;Pw9xQ=Zr7kM;",
			want: []diagSummary{{hcl.DiagError, "Invalid questdb conf", "main.hcl", 2}}, detail: "does not know at setting 2"},
		{name: "empty value", conf: "http::addr=;",
			want: []diagSummary{{hcl.DiagError, "Invalid questdb conf", "main.hcl", 2}}, detail: "setting 1 (addr) has an empty value"},
		{name: "missing addr", conf: "https::username=u;password=" + secret + ";",
			want: []diagSummary{{hcl.DiagError, "Missing addr in questdb conf", "main.hcl", 2}}},
		{name: "addr with a scheme", conf: "http::addr=http://h:9000;",
			want: []diagSummary{{hcl.DiagError, "Invalid questdb conf", "main.hcl", 2}}, detail: "addr is host:port only"},
		{name: "key set twice", conf: "http::addr=h:9000;addr=g:9000;",
			want: []diagSummary{{hcl.DiagError, "Invalid questdb conf", "main.hcl", 2}}, detail: "sets addr twice"},
		{name: "auto flush refused", conf: "http::addr=h:9000;auto_flush_rows=1000;",
			want: []diagSummary{{hcl.DiagError, "Invalid questdb conf", "main.hcl", 2}}, detail: "flushes each batch itself"},
		{name: "tls_roots refused", conf: "https::addr=h:9000;tls_roots=/etc/ca.pem;",
			want: []diagSummary{{hcl.DiagError, "Invalid questdb conf", "main.hcl", 2}}, detail: "SSL_CERT_FILE"},
		{name: "token and password", conf: "http::addr=h:9000;token=t;username=u;password=" + secret + ";",
			want: []diagSummary{{hcl.DiagError, "Invalid questdb conf", "main.hcl", 2}}, detail: "both a token and a username or password"},
		{name: "username without password", conf: "http::addr=h:9000;username=" + secret + ";",
			want: []diagSummary{{hcl.DiagError, "Invalid questdb conf", "main.hcl", 2}}, detail: "only one of username and password"},
		{name: "timeout not a number", conf: "http::addr=h:9000;request_timeout=10s;",
			want: []diagSummary{{hcl.DiagError, "Invalid questdb conf", "main.hcl", 2}}, detail: "whole number of milliseconds"},
		// The sink refuses these (sinks/questdb), so validate must.
		{name: "token_x refused", conf: "http::addr=h:9000;token=t;token_x=x;",
			want: []diagSummary{{hcl.DiagError, "Invalid questdb conf", "main.hcl", 2}}, detail: "sets token_x, a key of ILP over TCP"},
		{name: "no minimum throughput", conf: "http::addr=h:9000;request_min_throughput=0;",
			want: []diagSummary{{hcl.DiagError, "Invalid questdb conf", "main.hcl", 2}}, detail: "request_min_throughput to 0"},
		{name: "tls_verify over http", conf: "http::addr=h:9000;tls_verify=on;",
			want: []diagSummary{{hcl.DiagError, "Invalid questdb conf", "main.hcl", 2}}, detail: `TLS is for "https::" only`},
		{name: "tls_verify off warns", conf: "https::addr=h:9000;username=u;password=" + secret + ";tls_verify=unsafe_off;",
			want: []diagSummary{{hcl.DiagWarning, "TLS verification is off", "main.hcl", 2}}},
		{name: "missing conf", file: "sink \"questdb\" {\n  table = \"candles\"\n}\n",
			want: []diagSummary{{hcl.DiagError, "Missing conf for the questdb sink", "main.hcl", 1}}},
		{name: "path for questdb", file: "sink \"questdb\" {\n  conf = env(\"QDB_CONF\")\n  path = \"c.db\"\n}\n", conf: "http::addr=h:9000;",
			want: []diagSummary{{hcl.DiagError, "Argument not allowed for the questdb sink", "main.hcl", 3}}},
		{name: "conf for sqlite", file: "sink \"sqlite\" {\n  conf = env(\"QDB_CONF\")\n}\n", conf: "http::addr=h:9000;password=" + secret + ";",
			want: []diagSummary{{hcl.DiagError, "Argument not allowed for the sqlite sink", "main.hcl", 2}}},
		{name: "bad table", file: "sink \"questdb\" {\n  conf = env(\"QDB_CONF\")\n  table = \"x-y\"\n}\n", conf: "http::addr=h:9000;",
			want: []diagSummary{{hcl.DiagError, "Invalid table name", "main.hcl", 3}}},
		{name: "unknown sink type", file: "sink \"influxdb\" {\n  conf = env(\"QDB_CONF\")\n}\n", conf: secret,
			want:   []diagSummary{{hcl.DiagError, "Unsupported sink type", "main.hcl", 1}},
			detail: `Supported sink types: "sqlite", "questdb".`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.file
			if file == "" {
				file = fromEnv
			}
			dir := writeTree(t, map[string]string{"main.hcl": file})
			cfg, diags := Load(dir, LoadOptions{Environ: []string{"QDB_CONF=" + tt.conf}})
			if diff := cmp.Diff(tt.want, summarize(diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%s", diff, diags.Error())
			}
			var b strings.Builder
			if err := WriteDiagnostics(&b, cfg.Files, diags, 0, false); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tt.detail) {
				t.Errorf("diagnostics lack %q:\n%s", tt.detail, b.String())
			}
			printed := b.String() + diags.Error() + fmt.Sprintf("%+v", cfg)
			for _, part := range secretParts {
				if strings.Contains(printed, part) {
					t.Errorf("output holds the secret:\n%s", printed)
				}
			}
		})
	}
}
