package main

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/feefifofunds/candlekeep/config"
)

// connects says what a command connects to, and so which credentials
// (env() in the state's dsn, in the sink's conf) must resolve. The others
// may be unset: validate needs none, like Terraform's, and the pull-request
// plan job has no sink credentials, since plain plan never opens the sink.
type connects int

const (
	// connectsState is the default: plan, report, check, state, gc and
	// force-unlock read or write state only.
	connectsState connects = iota
	// connectsNothing is validate's.
	connectsNothing
	// connectsStateAndSink is for apply, init, refresh and plan -refresh.
	connectsStateAndSink
)

// require diagnoses the credentials c needs that read unset variables.
func (c connects) require(cfg *config.Config) hcl.Diagnostics {
	switch c {
	case connectsNothing:
		return nil
	case connectsStateAndSink:
		return append(cfg.State.Require(), cfg.Sink.Require()...)
	}
	return cfg.State.Require()
}

// sinkCredentials is the last guard before the sink is opened, for a
// command that did not say it connects to it: an error naming the unset
// variables and where they are read, never a value.
func sinkCredentials(cfg *config.Config) error {
	if len(cfg.Sink.Unresolved) == 0 {
		return nil
	}
	where := make([]string, len(cfg.Sink.Unresolved))
	for i, u := range cfg.Sink.Unresolved {
		where[i] = fmt.Sprintf("%s (%s)", u.Name, u.Range)
	}
	return fmt.Errorf("open sink: its conf reads environment variables that are not set: %s", strings.Join(where, ", "))
}
