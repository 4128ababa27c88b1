package questdb

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/feefifofunds/candlekeep/sinks/questdb/qconf"
)

// redacted replaces secret values wherever a conf string or an error
// could show them.
const redacted = "[redacted]"

// defaultRequestTimeout is the client's own default for request_timeout.
const defaultRequestTimeout = 10 * time.Second

// clientConf is a conf string checked by qconf, the parser validate uses
// too, so the sink and validate refuse the same strings.
type clientConf struct {
	scheme string            // "http" or "https"
	pairs  map[string]string // as written, secrets included
	keys   []string          // in the order written, for a stable String
}

// parseConf parses and checks a conf string. Its errors name keys, never
// values, so they are safe to show.
func parseConf(conf string) (*clientConf, error) {
	c, err := qconf.Parse(conf, qconf.Options{})
	if err != nil {
		return nil, err
	}
	return &clientConf{scheme: c.Scheme, pairs: c.Pairs, keys: c.Keys}, nil
}

// addr is host:port of QuestDB's HTTP server.
func (c *clientConf) addr() string { return c.pairs["addr"] }

// baseURL is where /exec lives: the scheme and address the client posts
// /write to.
func (c *clientConf) baseURL() string { return c.scheme + "://" + c.addr() }

func (c *clientConf) insecureTLS() bool { return c.pairs["tls_verify"] == "unsafe_off" }

func (c *clientConf) requestTimeout() time.Duration {
	if v, ok := c.pairs["request_timeout"]; ok {
		n, _ := strconv.Atoi(v) // checked by parseConf
		return time.Duration(n) * time.Millisecond
	}
	return defaultRequestTimeout
}

// senderConf is the conf string handed to the client for each writer:
// the user's keys, auto-flush off, and — unless the user chose otherwise —
// no client-side retries, because those sleep without watching the
// context; the sink retries instead, honouring cancellation.
func (c *clientConf) senderConf() string {
	var b strings.Builder
	b.WriteString(c.scheme + "::")
	for _, k := range c.keys {
		if strings.HasPrefix(k, "auto_flush") {
			continue
		}
		b.WriteString(k + "=" + strings.ReplaceAll(c.pairs[k], ";", ";;") + ";")
	}
	b.WriteString("auto_flush=off;")
	if _, ok := c.pairs["retry_timeout"]; !ok {
		b.WriteString("retry_timeout=0;")
	}
	return b.String()
}

// String is the conf string with secrets replaced.
func (c *clientConf) String() string {
	var b strings.Builder
	b.WriteString(c.scheme + "::")
	for _, k := range c.keys {
		v := c.pairs[k]
		if slices.Contains(qconf.SecretKeys, k) {
			v = redacted
		}
		b.WriteString(k + "=" + strings.ReplaceAll(v, ";", ";;") + ";")
	}
	return b.String()
}

// redact removes the conf's secret values from text, for messages that
// come from elsewhere (the client library) and might quote them.
func (c *clientConf) redact(text string) string {
	for _, k := range qconf.SecretKeys {
		if v := c.pairs[k]; v != "" {
			text = strings.ReplaceAll(text, v, redacted)
		}
	}
	return text
}

// Redact returns conf with the values of password and token replaced, for
// showing a conf string. A string that does not parse comes back as its
// scheme alone, since where its secrets sit cannot be known.
func Redact(conf string) string {
	c, err := parseConf(conf)
	if err != nil {
		scheme, _, found := strings.Cut(strings.TrimSpace(conf), "::")
		if !found || !slices.Contains([]string{"http", "https", "tcp", "tcps"}, scheme) {
			return redacted
		}
		return scheme + "::" + redacted
	}
	return c.String()
}
