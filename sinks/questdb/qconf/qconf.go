// Package qconf is the questdb sink's configuration: go-questdb-client's
// conf string ("http::addr=host:9000;username=…;password=…;"), parsed and
// checked once, for validate (package config) and for Open (package
// questdb) alike. It imports nothing of the client or of net/http, so
// config can use it without them.
//
// A conf holds credentials: no message here quotes any part of it except
// a schema or key name this package knows; problems are told by the
// setting's position.
package qconf

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// keys are the keys the client accepts, with what they take.
var keys = map[string]string{
	"addr":                   "host:port",
	"username":               "text",
	"password":               "text",
	"token":                  "text",
	"token_x":                "refused",
	"token_y":                "refused",
	"request_timeout":        "milliseconds",
	"retry_timeout":          "milliseconds",
	"request_min_throughput": "bytes per second",
	"init_buf_size":          "bytes",
	"max_buf_size":           "bytes",
	"tls_verify":             "on|unsafe_off",
	"auto_flush":             "off",
	"auto_flush_rows":        "off",
	"auto_flush_interval":    "off",
	"tls_roots":              "refused",
	"tls_roots_password":     "refused",
}

// SecretKeys hold values that must never be shown.
var SecretKeys = []string{"password", "token"}

// Accepted lists, sorted, the keys a conf may set.
func Accepted() []string {
	var out []string
	for k, kind := range keys {
		if kind != "refused" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Problem is why a conf is refused. Kind lets a caller title it; Detail
// completes "The conf …" and never quotes a value.
type Problem struct {
	Kind   Kind
	Detail string
}

// Kind groups problems for their titles.
type Kind int

const (
	Invalid     Kind = iota // anything but the two below
	Transport               // a transport other than ILP over HTTP
	MissingAddr             // no addr= at all
)

func (p *Problem) Error() string { return "the conf " + strings.TrimSuffix(p.Detail, ".") }

// Conf is a checked conf string.
type Conf struct {
	Scheme     string            // "http" or "https"
	Pairs      map[string]string // as written, secrets included
	Keys       []string          // in the order written
	Terminated bool              // the last setting ends in ';'
}

// Options changes what Parse checks.
type Options struct {
	// Placeholder marks a value not known yet (an unset env() while
	// validating): of a setting whose value holds it, only the key is
	// checked.
	Placeholder string
}

// Parse checks conf; its error is a *Problem.
func Parse(conf string, opts Options) (*Conf, error) {
	invalid := func(format string, args ...any) (*Conf, error) {
		return nil, &Problem{Invalid, fmt.Sprintf(format, args...)}
	}
	schema, settings, terminated, problem := Split(conf)
	switch schema {
	case "http", "https":
	case "tcp", "tcps", "udp":
		return nil, &Problem{Transport, fmt.Sprintf("starts with %q, but candlekeep writes to QuestDB with ILP over HTTP: only an HTTP request is acknowledged, so only then can candlekeep know a batch was written before recording it in state. Use \"http::\" or \"https::\" with QuestDB's HTTP port (9000 by default).", schema+"::")}
	default:
		return invalid("must start with \"http::\" or \"https::\" (ILP over HTTP, whose writes are acknowledged).")
	}
	if problem != "" {
		return invalid("is malformed: %s.", problem)
	}
	c := &Conf{Scheme: schema, Pairs: map[string]string{}, Terminated: terminated}
	for _, s := range settings {
		kind, known := keys[s.Key]
		switch {
		case !known:
			return invalid("holds a key the QuestDB client does not know at setting %d. Keys: %s.", s.Position, strings.Join(Accepted(), ", "))
		case slices.Contains(c.Keys, s.Key):
			return invalid("sets %s twice.", s.Key)
		case kind == "refused" && strings.HasPrefix(s.Key, "token_"):
			// The public key of ILP over TCP's authentication.
			return invalid("sets %s, a key of ILP over TCP's authentication that HTTP does not use; remove it (over HTTP a token is token=…).", s.Key)
		case kind == "refused":
			return invalid("sets %s, which the Go QuestDB client does not support. For a private certificate authority, add it to the system's trust store or point SSL_CERT_FILE at it.", s.Key)
		case opts.Placeholder != "" && strings.Contains(s.Value, opts.Placeholder):
		case kind == "off" && s.Value != "off":
			// An auto-flush would send part of a batch on its own and
			// report its failure from the wrong call.
			return invalid("sets %s. candlekeep flushes each batch itself, so that one HTTP request carries one whole batch and a failed one can be sent again; remove it.", s.Key)
		case kind == "milliseconds" || strings.HasPrefix(kind, "bytes"):
			if n, err := strconv.Atoi(s.Value); err != nil || n < 0 {
				return invalid("sets %s to something other than a whole number of %s.", s.Key, kind)
			} else if n == 0 && s.Key == "request_min_throughput" {
				// The client divides by it to time a request.
				return invalid("sets request_min_throughput to 0; it must be above 0 (bytes per second).")
			}
		case s.Key == "tls_verify":
			if schema != "https" {
				return invalid("sets tls_verify with \"http::\"; TLS is for \"https::\" only.")
			}
			if s.Value != "on" && s.Value != "unsafe_off" {
				return invalid("sets tls_verify to something other than \"on\" or \"unsafe_off\".")
			}
		case s.Key == "addr" && strings.Contains(s.Value, "/"):
			return invalid("has an addr with a \"/\"; addr is host:port only, such as addr=questdb.internal:9000, with the scheme before \"::\".")
		case s.Key == "addr" && strings.Contains(s.Value, "@"):
			// user:password@host would travel, and be printed, as part
			// of the address.
			return invalid("has an addr with an \"@\"; addr is host:port only: give credentials as username=…;password=…; or token=….")
		}
		c.Pairs[s.Key] = s.Value
		c.Keys = append(c.Keys, s.Key)
	}
	_, user := c.Pairs["username"]
	_, pass := c.Pairs["password"]
	_, token := c.Pairs["token"]
	switch {
	case c.Pairs["addr"] == "":
		return nil, &Problem{MissingAddr, "must say where QuestDB listens, such as \"http::addr=localhost:9000;\"."}
	case token && (user || pass):
		return invalid("sets both a token and a username or password; use one or the other.")
	case user != pass:
		return invalid("sets only one of username and password; basic authentication needs both.")
	}
	return c, nil
}

// InsecureTLS is whether the conf accepts any certificate.
func (c *Conf) InsecureTLS() bool { return c.Pairs["tls_verify"] == "unsafe_off" }
