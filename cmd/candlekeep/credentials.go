package main

import (
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
