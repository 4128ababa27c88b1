package main

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/workspace"
)

// workspace.OpenSink refuses a sink whose credentials are unavailable, naming the
// variables and where they are read, whatever command asked.
func TestOpenSinkRefusesUnresolvedConf(t *testing.T) {
	cfg := &config.Config{Sink: config.Sink{Type: "questdb", Table: "candles", Unresolved: []config.UnsetEnv{
		{Name: "QDB_PASSWORD", Range: hcl.Range{Filename: "sink.hcl", Start: hcl.Pos{Line: 2, Column: 50}, End: hcl.Pos{Line: 2, Column: 69}}},
	}}}
	_, err := workspace.OpenSink(context.Background(), cfg)
	if err == nil {
		t.Fatal("workspace.OpenSink opened a sink without its credentials")
	}
	if want := "QDB_PASSWORD (sink.hcl:2,50-69)"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name %q", err, want)
	}
}

func TestConnectsRequire(t *testing.T) {
	unset := []config.UnsetEnv{{Name: "X"}}
	cfg := &config.Config{State: config.State{Unresolved: unset}, Sink: config.Sink{Unresolved: unset}}
	for c, want := range map[connects]int{connectsNothing: 0, connectsState: 1, connectsStateAndSink: 2} {
		if got := len(c.require(cfg)); got != want {
			t.Errorf("connects %d: %d diagnostics, want %d", c, got, want)
		}
	}
}
