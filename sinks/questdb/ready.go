package questdb

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
)

// minVersion is the first QuestDB (open source) with ILP over HTTP,
// which the writers use; deduplication came earlier, in 7.3.
var minVersion = [3]int{7, 3, 10}

// ossVersion reads the open-source version out of SELECT build()'s
// answer ("Build Information: QuestDB 7.3.9, JDK …"). QuestDB Enterprise
// numbers its releases otherwise, so its version is not compared.
var ossVersion = regexp.MustCompile(`QuestDB (\d+)\.(\d+)\.(\d+)`)

// checkReady finds out, before anything is created or written, that the
// server can take candlekeep's writes: a version with ILP over HTTP, and
// the endpoint switched on (QuestDB Enterprise ships with
// line.http.enabled off). Without this, setup succeeds and every write
// fails with a 404 that is not retried.
func (s *Sink) checkReady(ctx context.Context) error {
	if v, ok := s.version(ctx); ok && older(v, minVersion) {
		return fmt.Errorf("the server runs QuestDB %d.%d.%d, which has no ILP over HTTP: candlekeep writes with it and needs QuestDB %d.%d.%d or later; upgrade the server",
			v[0], v[1], v[2], minVersion[0], minVersion[1], minVersion[2])
	}
	status, err := s.exec.ping(ctx)
	if err != nil {
		return fmt.Errorf("check that the server accepts ILP over HTTP: %w", err)
	}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return authError(status, s.exec.conf)
	case status == http.StatusNotFound:
		return fmt.Errorf("the server does not accept ILP over HTTP (/ping answered 404), which candlekeep writes with: set line.http.enabled=true in its server.conf (QuestDB Enterprise has it off by default) and restart it")
	case status >= 300:
		return fmt.Errorf("check that the server accepts ILP over HTTP: /ping answered HTTP %d", status)
	}
	return nil
}

// version is the server's open-source version, when SELECT build() says
// it.
func (s *Sink) version(ctx context.Context) ([3]int, bool) {
	res, err := s.exec.exec(ctx, "SELECT build()")
	if err != nil || len(res.Dataset) != 1 || len(res.Dataset[0]) != 1 {
		return [3]int{}, false
	}
	text, _ := asString(res.Dataset[0][0])
	m := ossVersion.FindStringSubmatch(text)
	if m == nil {
		return [3]int{}, false
	}
	var v [3]int
	for i := range v {
		v[i], _ = strconv.Atoi(m[i+1])
	}
	return v, true
}

func older(v, than [3]int) bool {
	for i := range v {
		if v[i] != than[i] {
			return v[i] < than[i]
		}
	}
	return false
}

// ping asks ILP over HTTP's /ping, which QuestDB binds only when the
// endpoint is on, and returns the HTTP status.
func (x *execClient) ping(ctx context.Context) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, x.conf.requestTimeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, x.conf.baseURL()+"/ping", nil)
	if err != nil {
		return 0, err
	}
	x.authorize(req)
	resp, err := x.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("questdb /ping at %s: %w", x.conf.baseURL(), err)
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
