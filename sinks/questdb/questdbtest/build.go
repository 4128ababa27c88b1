package questdbtest

import (
	"net/http"
	"regexp"
	"strconv"
)

// DefaultBuild is what SELECT build() answers unless Options.Build says
// otherwise: a QuestDB open-source release with ILP over HTTP.
const DefaultBuild = "Build Information: QuestDB 9.0.0, JDK 17.0.9, Commit Hash 0000000000000000000000000000000000000000"

// buildQuery is SELECT build(), which QuestDB answers with one string.
var buildQuery = regexp.MustCompile(`(?i)^\s*SELECT\s+build\(\)\s*;?\s*$`)

// buildVersion reads "QuestDB 7.3.9" (open source) out of a build string.
var buildVersion = regexp.MustCompile(`QuestDB (\d+)\.(\d+)\.(\d+)`)

func (s *Server) build() string {
	if s.opts.Build != "" {
		return s.opts.Build
	}
	return DefaultBuild
}

// ilpHTTP reports whether the stand-in serves ILP over HTTP (/write,
// /api/v2/write, /ping), as QuestDB binds them: only with
// line.http.enabled (off: Options.ILPHTTPDisabled, as QuestDB Enterprise
// ships) and only since 7.3.10 (open source).
func (s *Server) ilpHTTP() bool {
	if s.opts.ILPHTTPDisabled {
		return false
	}
	m := buildVersion.FindStringSubmatch(s.build())
	if m == nil {
		return true
	}
	v := [3]int{}
	for i := range v {
		v[i], _ = strconv.Atoi(m[i+1])
	}
	return v[0] > 7 || v[0] == 7 && (v[1] > 3 || v[1] == 3 && v[2] >= 10)
}

// servePing answers /ping as QuestDB's ILP over HTTP does: 204 and the
// InfluxDB version it speaks.
func (s *Server) servePing(w http.ResponseWriter) {
	w.Header().Set("X-Influxdb-Version", "v2.7.4")
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) buildResult(q string) execResult {
	return execResult{Query: q, Timestamp: -1, Columns: []execColumn{{"build", "STRING"}},
		Dataset: [][]any{{s.build()}}, Count: 1}
}
