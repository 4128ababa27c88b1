package questdb

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	qdb "github.com/questdb/go-questdb-client/v3"
)

// secret holds a ';', which a conf string must escape as ";;".
const secret = "s3cr;et-P4ss"

var escapedSecret = strings.ReplaceAll(secret, ";", ";;")

func TestParseConf(t *testing.T) {
	tests := []struct {
		conf       string
		base       string
		senderConf string
		shown      string
		timeout    time.Duration
	}{
		{
			conf:       "http::addr=localhost:9000;",
			base:       "http://localhost:9000",
			senderConf: "http::addr=localhost:9000;auto_flush=off;retry_timeout=0;",
			shown:      "http::addr=localhost:9000;",
			timeout:    10 * time.Second,
		},
		{
			conf:       "https::addr=db.example:9000;username=admin;password=s3cr;;et-P4ss;tls_verify=unsafe_off;request_timeout=2500",
			base:       "https://db.example:9000",
			senderConf: "https::addr=db.example:9000;username=admin;password=s3cr;;et-P4ss;tls_verify=unsafe_off;request_timeout=2500;auto_flush=off;retry_timeout=0;",
			shown:      "https::addr=db.example:9000;username=admin;password=[redacted];tls_verify=unsafe_off;request_timeout=2500;",
			timeout:    2500 * time.Millisecond,
		},
		{
			conf:       "http::addr=127.0.0.1:9000;token=s3cr;;et-P4ss;auto_flush=off;retry_timeout=1000;",
			base:       "http://127.0.0.1:9000",
			senderConf: "http::addr=127.0.0.1:9000;token=s3cr;;et-P4ss;retry_timeout=1000;auto_flush=off;",
			shown:      "http::addr=127.0.0.1:9000;token=[redacted];auto_flush=off;retry_timeout=1000;",
			timeout:    10 * time.Second,
		},
	}
	for _, tc := range tests {
		t.Run(tc.base, func(t *testing.T) {
			c, err := parseConf(tc.conf)
			if err != nil {
				t.Fatalf("parse %s: %v", Redact(tc.conf), err)
			}
			got := []any{c.baseURL(), c.senderConf(), c.String(), Redact(tc.conf), c.requestTimeout()}
			want := []any{tc.base, tc.senderConf, tc.shown, tc.shown, tc.timeout}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("parsed conf (-want +got):\n%s", diff)
			}
			// The client must read the sender conf the way the sink does.
			if _, err := qdb.LineSenderFromConf(t.Context(), c.senderConf()); err != nil {
				t.Errorf("client refuses the sender conf: %v", err)
			}
		})
	}
}

func TestParseConfRefuses(t *testing.T) {
	tests := []struct {
		conf string
		want string // in the error
	}{
		{"addr=localhost:9000;", `must start with "http::"`},
		{secret, `must start with "http::"`},
		{escapedSecret + "::addr=x;", `must start with "http::" or "https::"`},
		{"tcp::addr=localhost:9009;", `starts with "tcp::", but candlekeep writes to QuestDB with ILP over HTTP`},
		{"udp::addr=localhost:9009;", `starts with "udp::"`},
		{"http::addr=localhost:9000;password=" + secret + ";username=u;", `setting 3 has no "="`}, // unescaped ';' splits the secret
		{"http::addr=localhost:9000;password:" + secret + ";", `setting 2 has no "="`},
		{"http::addr=localhost:9000;pasword=" + escapedSecret + ";", "does not know at setting 2"},
		{"http::addr=h:9000;username=u;password=;", "setting 3 (password) has an empty value"},
		{"http::addr=h:9000;username=u;", "only one of username and password"},
		{"http::addr=h:9000;username=u;password=" + escapedSecret + "x;token=" + escapedSecret + "y;", "both a token and a username or password"},
		{"http::addr=h:9000;auto_flush=on;", "sets auto_flush. candlekeep flushes each batch itself"},
		{"http::addr=h:9000;auto_flush_rows=1000;", "sets auto_flush_rows. candlekeep flushes"},
		{"http::addr=h:9000;request_timeout=soon;", "request_timeout to something other than a whole number"},
		{"http::addr=h:9000;tls_verify=unsafe_off;", `TLS is for "https::" only`},
		{"http::addr=a;addr=b;", "sets addr twice"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			_, err := parseConf(tc.conf)
			if err == nil {
				t.Fatalf("parse %s: no error", Redact(tc.conf))
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q lacks %q", msg, tc.want)
			}
			assertNoSecret(t, msg)
			_, err = Open(t.Context(), tc.conf, "candles")
			if err == nil {
				t.Fatalf("open with %s: no error", Redact(tc.conf))
			}
			assertNoSecret(t, err.Error())
			assertNoSecret(t, Redact(tc.conf))
		})
	}
}

// assertNoSecret fails when text shows any part of the test secret.
func assertNoSecret(t *testing.T, text string) {
	t.Helper()
	for _, part := range []string{secret, "s3cr", "et-P4ss", url.QueryEscape(secret)} {
		if strings.Contains(text, part) {
			t.Errorf("%q shows the secret (%q)", text, part)
		}
	}
}

func TestOpenRefusesTableNames(t *testing.T) {
	for _, name := range []string{"", "a/b", "it's", ".hidden", strings.Repeat("x", 128), "tab\tle"} {
		if _, err := Open(t.Context(), "http::addr=localhost:9000;", name); err == nil {
			t.Errorf("open with table %q: no error", name)
		}
	}
	s, err := Open(t.Context(), "http::addr=localhost:9000;username=u;password="+escapedSecret+";", "candles 1h")
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	want := []string{"questdb http://localhost:9000 table 'candles 1h'", "http::addr=localhost:9000;username=u;password=[redacted];"}
	if diff := cmp.Diff(want, []string{s.String(), s.Conf()}); diff != "" {
		t.Errorf("sink description (-want +got):\n%s", diff)
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		// The client's own shapes (v3.2.0): see http_sender.go makeRequest.
		{fmt.Errorf("%d: %s", 500, "500 Internal Server Error"), true},
		{fmt.Errorf("%d: %s", 503, "503 Service Unavailable"), true},
		{fmt.Errorf("%d: %s -- %s", 502, "502 Bad Gateway", "<html>"), true},
		{fmt.Errorf("%d: %s -- %s", 401, "401 Unauthorized", ""), false},
		{fmt.Errorf("%d: %s -- %s", 429, "429 Too Many Requests", ""), true},
		{&url.Error{Op: "Post", URL: "http://127.0.0.1:1/write", Err: errors.New("connection refused")}, true},
		{qdb.NewRetryTimeoutError(time.Second, errors.New("500: 500 Internal Server Error")), true},
		{errors.New("invalid message"), false},
	}
	for _, tc := range tests {
		if got := retryable(tc.err); got != tc.want {
			t.Errorf("retryable(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestBackoffDelay(t *testing.T) {
	b := Backoff{Attempts: 5, Base: 200 * time.Millisecond, Max: 1 * time.Second}
	for attempt, want := range map[int]time.Duration{1: 200 * time.Millisecond, 2: 400 * time.Millisecond, 3: 800 * time.Millisecond, 4: time.Second, 9: time.Second} {
		for range 20 {
			if d := b.delay(attempt); d < want/2 || d > want {
				t.Errorf("delay after attempt %d = %v, want within [%v, %v]", attempt, d, want/2, want)
			}
		}
	}
}
