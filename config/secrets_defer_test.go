package config

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// TestDeferSecrets: with DeferSecrets an unset env() in a credential is no
// error but leaves the credential unresolved, naming the variables and
// where each is read; the conf's shape is still checked; without it, the
// same is an error at the env() call.
func TestDeferSecrets(t *testing.T) {
	const qdb = `sink "questdb" {
  conf = %s
}
`
	const pg = `state {
  backend = "postgres"
  dsn     = env("CANDLEKEEP_STATE_DSN")
}
`
	// result is what the test compares: credentials, unresolved
	// variables as NAME@file:line:column, and diagnostics.
	type result struct {
		Conf, DSN          string
		Sink, State        []string
		Diags, SinkRequire []diagSummary
	}
	at := func(us []UnsetEnv) []string {
		var out []string
		for _, u := range us {
			out = append(out, fmt.Sprintf("%s@%s:%d:%d", u.Name, filepath.Base(u.Range.Filename), u.Range.Start.Line, u.Range.Start.Column))
		}
		return out
	}
	tests := []struct {
		name     string
		src      string
		environ  []string
		deferred bool
		want     result
	}{
		{
			name:     "deferred: unresolved, no error",
			src:      fmt.Sprintf(qdb, `"https::addr=qdb.internal:9000;username=u;password=${env("QDB_PASSWORD")};"`),
			deferred: true,
			want: result{Sink: []string{"QDB_PASSWORD@main.hcl:2:63"},
				SinkRequire: []diagSummary{{hcl.DiagError, "Environment variable not set", "main.hcl", 2}}},
		},
		{
			name: "not deferred: an error at the env() call",
			src:  fmt.Sprintf(qdb, `"https::addr=qdb.internal:9000;username=u;password=${env("QDB_PASSWORD")};"`),
			want: result{Sink: []string{"QDB_PASSWORD@main.hcl:2:63"},
				Diags:       []diagSummary{{hcl.DiagError, "Environment variable not set", "main.hcl", 2}},
				SinkRequire: []diagSummary{{hcl.DiagError, "Environment variable not set", "main.hcl", 2}}},
		},
		{
			name:     "set: resolved",
			src:      fmt.Sprintf(qdb, `"https::addr=qdb.internal:9000;username=u;password=${env("QDB_PASSWORD")};"`),
			environ:  []string{"QDB_PASSWORD=pw"},
			deferred: true,
			want:     result{Conf: "https::addr=qdb.internal:9000;username=u;password=pw;"},
		},
		{
			name:     "every variable, sorted, the addr's too, through replace()",
			src:      fmt.Sprintf(qdb, `"https::addr=${env("QDB_ADDR")};username=${env("QDB_USER", "candlekeep")};password=${replace(env("QDB_PASSWORD"), ";", ";;")};"`),
			deferred: true,
			want:     result{Sink: []string{"QDB_ADDR@main.hcl:2:25", "QDB_PASSWORD@main.hcl:2:103"}, SinkRequire: []diagSummary{{hcl.DiagError, "Environment variable not set", "main.hcl", 2}, {hcl.DiagError, "Environment variable not set", "main.hcl", 2}}},
		},
		{
			name:     "the conf's shape is still checked",
			src:      fmt.Sprintf(qdb, `"https::addr=qdb.internal:9000;auto_flush=off;password=${env("QDB_PASSWORD")};"`),
			deferred: true,
			want: result{Sink: []string{"QDB_PASSWORD@main.hcl:2:59"},
				Diags:       []diagSummary{{hcl.DiagError, "Invalid questdb conf", "main.hcl", 2}},
				SinkRequire: []diagSummary{{hcl.DiagError, "Environment variable not set", "main.hcl", 2}}},
		},
		{
			name:     "a mistake beside the unset variable is still one",
			src:      fmt.Sprintf(qdb, `"https::addr=${env("QDB_ADDR")};password=${nope("x")};"`),
			deferred: true,
			want:     result{Diags: []diagSummary{{hcl.DiagError, "Call to unknown function", "main.hcl", 2}}},
		},
		{
			name:     "state dsn, deferred",
			src:      pg,
			deferred: true,
			want:     result{State: []string{"CANDLEKEEP_STATE_DSN@main.hcl:3:13"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"main.hcl": tc.src})
			cfg, diags := Load(dir, LoadOptions{Environ: tc.environ, DeferSecrets: tc.deferred})
			got := result{Conf: cfg.Sink.Conf, DSN: cfg.State.DSN, Sink: at(cfg.Sink.Unresolved), State: at(cfg.State.Unresolved),
				Diags: summarize(diags), SinkRequire: summarize(cfg.Sink.Require())}
			if diags.HasErrors() {
				// Load's Config is meaningful only without errors.
				got.Sink, got.SinkRequire, got.Conf = tc.want.Sink, tc.want.SinkRequire, ""
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if strings.Contains(cfg.Sink.Conf+cfg.State.DSN, unsetPlaceholder) {
				t.Error("the placeholder of an unset variable left the config package")
			}
		})
	}
}
