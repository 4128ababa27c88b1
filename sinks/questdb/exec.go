package questdb

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// execClient runs SQL through QuestDB's HTTP /exec endpoint with the
// address, credentials and TLS setting of the writers' conf string.
type execClient struct {
	conf      *clientConf
	transport *http.Transport
	client    *http.Client
}

func newExecClient(c *clientConf) *execClient {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if c.insecureTLS() {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} // the user asked: tls_verify=unsafe_off
	}
	return &execClient{conf: c, transport: tr, client: &http.Client{Transport: tr}}
}

// execResult is /exec's answer: a result set, or {"ddl":"OK"} for DDL.
type execResult struct {
	Columns []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"columns"`
	Dataset [][]any `json:"dataset"`
	Count   int64   `json:"count"`
	DDL     string  `json:"ddl"`
	// Error is set when the query failed after its first rows were sent:
	// QuestDB has answered HTTP 200 by then and puts the error after the
	// dataset, which is therefore incomplete.
	Error string `json:"error"`
}

// column returns the index of the named result column, or -1.
func (r *execResult) column(name string) int {
	for i, c := range r.Columns {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

// ExecError is QuestDB refusing a statement sent to /exec.
type ExecError struct {
	Status   int    // HTTP status
	Message  string // QuestDB's "error"
	Position int    // character of the query the message is about, or -1
	Query    string
}

func (e *ExecError) Error() string {
	if e.Position >= 0 {
		return fmt.Sprintf("questdb refused %q (HTTP %d): %s at character %d", e.Query, e.Status, e.Message, e.Position)
	}
	return fmt.Sprintf("questdb refused %q (HTTP %d): %s", e.Query, e.Status, e.Message)
}

// tableMissing says whether err is QuestDB reporting a missing table.
func tableMissing(err error) bool {
	var e *ExecError
	return errors.As(err, &e) && e.Status == http.StatusBadRequest &&
		strings.Contains(e.Message, "table does not exist")
}

// exec runs one statement. It makes one attempt: its callers (setup and
// read-back) are not on the load path and report failures as they are.
func (x *execClient) exec(ctx context.Context, query string) (*execResult, error) {
	ctx, cancel := context.WithTimeout(ctx, x.conf.requestTimeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, x.conf.baseURL()+"/exec?query="+url.QueryEscape(query), nil)
	if err != nil {
		return nil, fmt.Errorf("questdb /exec: %w", err)
	}
	x.authorize(req)
	resp, err := x.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("questdb /exec at %s: %w", x.conf.baseURL(), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("questdb /exec at %s: read answer: %w", x.conf.baseURL(), err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return nil, authError(resp.StatusCode, x.conf)
	case resp.StatusCode >= 300:
		var qe struct {
			Error    string `json:"error"`
			Position *int   `json:"position"`
		}
		if json.Unmarshal(body, &qe) == nil && qe.Error != "" {
			e := &ExecError{Status: resp.StatusCode, Message: qe.Error, Position: -1, Query: query}
			if qe.Position != nil {
				e.Position = *qe.Position
			}
			return nil, e
		}
		return nil, &ExecError{Status: resp.StatusCode, Message: snippet(body), Position: -1, Query: query}
	}
	var res execResult
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // counts and LONGs beyond 2^53 stay exact
	if err := dec.Decode(&res); err != nil {
		return nil, fmt.Errorf("questdb /exec answer to %q is not QuestDB's JSON: %w", query, err)
	}
	if res.Error != "" {
		return nil, &ExecError{Status: resp.StatusCode, Message: fmt.Sprintf("%s (after %d rows: the answer is incomplete)", res.Error, len(res.Dataset)), Position: -1, Query: query}
	}
	return &res, nil
}

// authorize adds the conf string's credentials to req.
func (x *execClient) authorize(req *http.Request) {
	if u, ok := x.conf.pairs["username"]; ok {
		req.SetBasicAuth(u, x.conf.pairs["password"])
	} else if t, ok := x.conf.pairs["token"]; ok {
		req.Header.Set("Authorization", "Bearer "+t)
	}
}

// authError explains a 401 or 403 without repeating any credential.
func authError(status int, c *clientConf) error {
	how := "no credentials were given: set username and password, or token, in the conf string"
	switch {
	case c.pairs["username"] != "":
		how = fmt.Sprintf("check the password of user %q", c.pairs["username"])
	case c.pairs["token"] != "":
		how = "check the token"
	}
	return fmt.Errorf("questdb at %s refused the credentials (HTTP %d %s): %s", c.baseURL(), status, http.StatusText(status), how)
}

// snippet is the start of an unexpected answer body, for an error.
func snippet(body []byte) string {
	s := strings.TrimSpace(string(body))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	if s == "" {
		return "empty answer"
	}
	return s
}

// sqlString quotes a value as a QuestDB string (or table name) literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// asString, asInt and asFloat read one dataset cell.
func asString(v any) (string, bool) {
	s, ok := v.(string)
	return s, ok
}

func asInt(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return i, err == nil
}

func asFloat(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(n), 64)
	return f, err == nil
}

func asBool(v any) bool {
	b, _ := v.(bool)
	return b
}
