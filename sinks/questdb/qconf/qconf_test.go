package qconf

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	const placeholder = "unset-env"
	tests := []struct {
		conf   string
		kind   Kind   // when refused
		detail string // in the refusal; "" for accepted
	}{
		{conf: "http::addr=h:9000;"},
		{conf: "https::addr=h:9000;username=u;password=p;;q;tls_verify=unsafe_off;request_timeout=100"},
		{conf: "http::addr=h:9000;auto_flush=off;"},
		{conf: "http::addr=h:9000;request_timeout=" + placeholder + ";"}, // an unset env(): only the key is checked
		{conf: "tcp::addr=h:9009;", kind: Transport, detail: `starts with "tcp::"`},
		{conf: "http::token=t;", kind: MissingAddr, detail: "must say where QuestDB listens"},
		{conf: "http::;", kind: Invalid, detail: `setting 1 has no "="`},
		{conf: "http::addr=h:9000;token_x=x;", kind: Invalid, detail: "a key of ILP over TCP"},
		{conf: "http::addr=h:9000;auto_flush=on;", kind: Invalid, detail: "flushes each batch itself"},
		{conf: "http::addr=h:9000;request_min_throughput=0;", kind: Invalid, detail: "above 0"},
		{conf: "http::addr=h:9000;bogus" + placeholder + "=1;", kind: Invalid, detail: "does not know at setting 2"},
	}
	for _, tt := range tests {
		c, err := Parse(tt.conf, Options{Placeholder: placeholder})
		var p *Problem
		switch {
		case tt.detail == "" && err != nil:
			t.Errorf("Parse(%q): %v", tt.conf, err)
		case tt.detail == "" && c.Pairs["addr"] != "h:9000":
			t.Errorf("Parse(%q): addr %q", tt.conf, c.Pairs["addr"])
		case tt.detail == "":
		case !errors.As(err, &p):
			t.Errorf("Parse(%q) = %v, want a *Problem", tt.conf, err)
		case p.Kind != tt.kind || !strings.Contains(p.Detail, tt.detail):
			t.Errorf("Parse(%q): kind %d, %q; want kind %d, %q", tt.conf, p.Kind, p.Detail, tt.kind, tt.detail)
		}
	}
}
