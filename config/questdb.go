package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// The questdb sink's conf is go-questdb-client's configuration string,
// "http::addr=host:9000;username=…;password=…;". It holds credentials, so
// no diagnostic here ever quotes any part of it except a schema or key
// name this package knows: problems are told by the setting's position.

// questdbConfKeys are the keys the client accepts, with what they take.
var questdbConfKeys = map[string]string{
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
	"auto_flush":             "refused",
	"auto_flush_rows":        "refused",
	"auto_flush_interval":    "refused",
	"tls_roots":              "refused",
	"tls_roots_password":     "refused",
}

// acceptedConfKeys lists, sorted, the keys a conf may set.
func acceptedConfKeys() []string {
	var out []string
	for _, k := range sortedKeys(questdbConfKeys) {
		if questdbConfKeys[k] != "refused" {
			out = append(out, k)
		}
	}
	return out
}

// confSetting is one key=value of a conf string; position counts from 1.
type confSetting struct {
	key, value string
	position   int
}

// parseQuestDBConf splits conf as the client does: "schema::", then
// settings each ending in ';', with ";;" standing for a ';' inside a
// value. terminated is false when the last setting lacks its ';'. problem
// describes a syntax error without quoting the string.
func parseQuestDBConf(conf string) (schema string, settings []confSetting, terminated bool, problem string) {
	schema, rest, found := strings.Cut(conf, "::")
	if !found {
		return "", nil, false, "it has no \"::\" after the schema"
	}
	var key, value strings.Builder
	inKey := true
	runes := []rune(rest)
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		n := len(settings) + 1
		switch {
		case inKey && r == ';':
			return schema, settings, false, fmt.Sprintf("setting %d has no \"=\" (write a \";\" inside a value as \";;\")", n)
		case inKey && r == '=':
			if key.Len() == 0 {
				return schema, settings, false, fmt.Sprintf("setting %d has no key before \"=\"", n)
			}
			inKey = false
		case inKey:
			key.WriteRune(r)
		case r == ';' && i+1 < len(runes) && runes[i+1] == ';':
			value.WriteRune(';')
			i++
		case r == ';':
			if value.Len() == 0 {
				return schema, settings, false, fmt.Sprintf("setting %d%s has an empty value", n, knownKey(key.String()))
			}
			settings = append(settings, confSetting{key.String(), value.String(), n})
			key.Reset()
			value.Reset()
			inKey = true
		default:
			value.WriteRune(r)
		}
	}
	switch {
	case inKey && key.Len() > 0:
		return schema, settings, false, fmt.Sprintf("setting %d has no \"=\"", len(settings)+1)
	case inKey:
		return schema, settings, true, ""
	case value.Len() == 0:
		return schema, settings, false, fmt.Sprintf("setting %d%s has an empty value", len(settings)+1, knownKey(key.String()))
	}
	settings = append(settings, confSetting{key.String(), value.String(), len(settings) + 1})
	return schema, settings, false, ""
}

// knownKey names a key in a message only when it is one of the client's,
// since a mistyped string can put a secret where a key belongs.
func knownKey(key string) string {
	if _, ok := questdbConfKeys[key]; ok {
		return fmt.Sprintf(" (%s)", key)
	}
	return ""
}

// questdbConf checks a questdb sink's conf and returns it ending in ';', so
// that the sink may append settings of its own. ok is false when it was
// diagnosed as an error.
func (d *decoder) questdbConf(conf string, attr *hcl.Attribute) (string, bool) {
	rng := attr.Expr.Range()
	invalid := func(format string, args ...any) (string, bool) {
		d.errorf(rng, "Invalid questdb conf", "The conf "+format+" A conf looks like \"https::addr=questdb.internal:9000;username=…;password=…;\".", args...)
		return "", false
	}
	schema, settings, terminated, problem := parseQuestDBConf(conf)
	switch schema {
	case "http", "https":
	case "tcp", "tcps", "udp":
		d.errorf(rng, "Unsupported questdb transport",
			"The conf starts with %q, but candlekeep writes to QuestDB with ILP over HTTP: only an HTTP request is acknowledged, so only then can candlekeep know a batch was written before recording it in state. Use \"http::\" or \"https::\" with QuestDB's HTTP port (9000 by default).", schema+"::")
		return "", false
	default:
		return invalid("must start with \"http::\" or \"https::\" (ILP over HTTP, whose writes are acknowledged).")
	}
	if problem != "" {
		return invalid("is malformed: %s.", problem)
	}

	seen := map[string]bool{}
	for _, s := range settings {
		kind, known := questdbConfKeys[s.key]
		switch {
		case !known:
			return invalid("holds a key the QuestDB client does not know at setting %d. Keys: %s.", s.position, strings.Join(acceptedConfKeys(), ", "))
		case seen[s.key]:
			return invalid("sets %s twice.", s.key)
		case kind == "refused" && strings.HasPrefix(s.key, "auto_flush"):
			return invalid("sets %s. candlekeep flushes each batch itself, so that one HTTP request carries one whole batch and a failed one can be sent again; remove it.", s.key)
		case kind == "refused" && strings.HasPrefix(s.key, "token_"):
			// The sink refuses them too (sinks/questdb/conf.go): they
			// are the public key of ILP over TCP's authentication.
			return invalid("sets %s, a key of ILP over TCP's authentication that HTTP does not use; remove it (over HTTP a token is token=…).", s.key)
		case kind == "refused":
			return invalid("sets %s, which the Go QuestDB client does not support. For a private certificate authority, add it to the system's trust store or point SSL_CERT_FILE at it.", s.key)
		case strings.Contains(s.value, unsetPlaceholder):
			// From an unset env() (DeferSecrets): only the key can be
			// checked.
		case kind == "milliseconds" || strings.HasPrefix(kind, "bytes"):
			if n, err := strconv.Atoi(s.value); err != nil || n < 0 {
				return invalid("sets %s to something other than a whole number of %s.", s.key, kind)
			} else if n == 0 && s.key == "request_min_throughput" {
				// The client divides by it to time a request; the sink
				// refuses it, so validate must.
				return invalid("sets request_min_throughput to 0; it must be above 0 (bytes per second).")
			}
		case s.key == "tls_verify":
			if schema != "https" {
				return invalid("sets tls_verify with \"http::\"; TLS is for \"https::\" only.")
			}
			if s.value != "on" && s.value != "unsafe_off" {
				return invalid("sets tls_verify to something other than \"on\" or \"unsafe_off\".")
			}
			if s.value == "unsafe_off" {
				d.diags = append(d.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "TLS verification is off",
					Detail:  "tls_verify=unsafe_off accepts any certificate, so the QuestDB credentials can be read by whoever sits between candlekeep and QuestDB. Use it for testing only.",
					Subject: rng.Ptr()})
			}
		case s.key == "addr" && strings.Contains(s.value, "/"):
			return invalid("has an addr with a \"/\"; addr is host:port only, such as addr=questdb.internal:9000, with the scheme before \"::\".")
		case s.key == "addr" && strings.Contains(s.value, "@"):
			// user:password@host would travel, and be printed, as part
			// of the address.
			return invalid("has an addr with an \"@\"; addr is host:port only: give credentials as username=…;password=…; or token=….")
		}
		seen[s.key] = true
	}
	switch {
	case !seen["addr"]:
		d.errorf(rng, "Missing addr in questdb conf",
			"The conf must say where QuestDB listens, such as \"http::addr=localhost:9000;\".")
		return "", false
	case seen["token"] && (seen["username"] || seen["password"]):
		return invalid("sets both a token and a username or password; use one or the other.")
	case seen["username"] != seen["password"]:
		return invalid("sets only one of username and password; basic authentication needs both.")
	}
	if !terminated {
		conf += ";"
	}
	return conf, true
}
