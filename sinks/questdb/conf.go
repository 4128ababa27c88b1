package questdb

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// redacted replaces secret values wherever a conf string or an error
// could show them.
const redacted = "[redacted]"

// defaultRequestTimeout is the client's own default for request_timeout.
const defaultRequestTimeout = 10 * time.Second

// clientConf is a parsed client configuration string. It follows the
// grammar of go-questdb-client v3.2.0 (schema::key=value;… with ";;"
// escaping a semicolon inside a value), so the sink and the client read
// the same string the same way.
type clientConf struct {
	scheme string            // "http" or "https"
	pairs  map[string]string // as written, secrets included
	keys   []string          // in the order written, for a stable String
}

// secretKeys hold values that must never be shown.
var secretKeys = []string{"password", "token"}

// httpKeys are the keys the client accepts for HTTP senders.
var httpKeys = []string{
	"addr", "username", "password", "token",
	"auto_flush", "auto_flush_rows", "auto_flush_interval",
	"request_min_throughput", "request_timeout", "retry_timeout",
	"init_buf_size", "max_buf_size", "tls_verify",
}

// parseConf parses and checks a conf string. Its errors name keys, never
// values, so they are safe to show.
func parseConf(conf string) (*clientConf, error) {
	scheme, rest, ok := strings.Cut(strings.TrimSpace(conf), "::")
	if !ok {
		return nil, errors.New(`no "::" after the scheme: write it as http::addr=host:9000;`)
	}
	switch scheme {
	case "http", "https":
	case "tcp", "tcps":
		return nil, fmt.Errorf("scheme %q is not supported: ILP over TCP never acknowledges a batch, so a lost batch would go unnoticed; use http::addr=host:9000; (or https::) instead", scheme)
	default:
		// Echo only what looks like a scheme: the text before "::" may be
		// anything, a secret included.
		if len(scheme) <= 8 && strings.Trim(scheme, "abcdefghijklmnopqrstuvwxyz") == "" {
			return nil, fmt.Errorf("unknown scheme %q: use http::addr=host:9000; or https::addr=host:9000;", scheme)
		}
		return nil, errors.New("unknown scheme: use http::addr=host:9000; or https::addr=host:9000;")
	}
	c := &clientConf{scheme: scheme, pairs: map[string]string{}}
	if err := c.parsePairs(rest); err != nil {
		return nil, err
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *clientConf) parsePairs(rest string) error {
	var key, value strings.Builder
	inKey := true
	end := func() error {
		k := key.String()
		if k == "" {
			return fmt.Errorf("setting %d has an empty key", len(c.keys)+1)
		}
		if value.Len() == 0 {
			return fmt.Errorf("%s has no value", describeKey(k, len(c.keys)+1))
		}
		if _, dup := c.pairs[k]; dup {
			return fmt.Errorf("%s is set twice", describeKey(k, len(c.keys)+1))
		}
		c.pairs[k] = value.String()
		c.keys = append(c.keys, k)
		key.Reset()
		value.Reset()
		inKey = true
		return nil
	}
	for i := 0; i < len(rest); i++ {
		ch := rest[i]
		switch {
		case inKey && ch == '=':
			inKey = false
		case inKey && ch == ';':
			if key.Len() == 0 && i == len(rest)-1 {
				continue // a lone trailing ';'
			}
			return fmt.Errorf("%s has no value", describeKey(key.String(), len(c.keys)+1))
		case inKey:
			key.WriteByte(ch)
		case ch == ';' && i+1 < len(rest) && rest[i+1] == ';':
			value.WriteByte(';') // ";;" is a literal semicolon
			i++
		case ch == ';':
			if err := end(); err != nil {
				return err
			}
		default:
			value.WriteByte(ch)
		}
	}
	if !inKey || key.Len() > 0 {
		if inKey {
			return fmt.Errorf("%s has no value", describeKey(key.String(), len(c.keys)+1))
		}
		return end()
	}
	return nil
}

func (c *clientConf) check() error {
	for i, k := range c.keys {
		if !slices.Contains(httpKeys, k) {
			return fmt.Errorf("%s is not a known key (known: %s)", describeKey(k, i+1), strings.Join(httpKeys, ", "))
		}
	}
	// Each batch is flushed explicitly and retried by the sink; an
	// auto-flush would send part of a batch on its own and report its
	// failure from the wrong call.
	for _, k := range []string{"auto_flush", "auto_flush_rows", "auto_flush_interval"} {
		if v, ok := c.pairs[k]; ok && v != "off" {
			return fmt.Errorf("%s must be off or left out: candlekeep flushes every batch itself", k)
		}
	}
	for _, k := range []string{"request_min_throughput", "request_timeout", "retry_timeout", "init_buf_size", "max_buf_size"} {
		if v, ok := c.pairs[k]; ok {
			if n, err := strconv.Atoi(v); err != nil || n < 0 {
				return fmt.Errorf("%s must be a whole number ≥ 0, got %q", k, v)
			}
		}
	}
	if v, ok := c.pairs["request_min_throughput"]; ok && v == "0" {
		return errors.New("request_min_throughput must be above 0")
	}
	if v, ok := c.pairs["tls_verify"]; ok {
		if v != "on" && v != "unsafe_off" {
			return fmt.Errorf(`tls_verify must be "on" or "unsafe_off", got %q`, v)
		}
		if c.scheme != "https" {
			return errors.New("tls_verify applies to https:: only")
		}
	}
	_, hasUser := c.pairs["username"]
	_, hasPass := c.pairs["password"]
	if hasUser != hasPass {
		return errors.New("username and password go together: set both or neither")
	}
	if _, hasToken := c.pairs["token"]; hasToken && hasUser {
		return errors.New("set either username and password or token, not both")
	}
	return nil
}

// describeKey names a key in an error. Only known keys are quoted: an
// unknown one may be a piece of a mistyped secret ("password:hunter2", or
// a password with an unescaped ';').
func describeKey(k string, pos int) string {
	if slices.Contains(httpKeys, k) {
		return fmt.Sprintf("key %q", k)
	}
	return fmt.Sprintf("setting %d", pos)
}

// addr is host:port of QuestDB's HTTP server; the client defaults it.
func (c *clientConf) addr() string {
	if a, ok := c.pairs["addr"]; ok {
		return a
	}
	return "127.0.0.1:9000"
}

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
		if slices.Contains(secretKeys, k) {
			v = redacted
		}
		b.WriteString(k + "=" + strings.ReplaceAll(v, ";", ";;") + ";")
	}
	return b.String()
}

// redact removes the conf's secret values from text, for messages that
// come from elsewhere (the client library) and might quote them.
func (c *clientConf) redact(text string) string {
	for _, k := range secretKeys {
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
