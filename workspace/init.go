package workspace

import (
	"context"
	"fmt"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
)

// Initialized is what Init did.
type Initialized struct {
	Lineage string
	Serial  int64
	// Sink is the configured sink's identity, now registered in state.
	Sink ohlc.SinkIdentity
	// Claimed is how many series' coverage of an older state, which
	// named no sink, now belongs to Sink.
	Claimed int
}

// Init creates or migrates the state store, sets the sink up (its table
// and keys) and registers it in state: what `init` does, and what a
// first apply does on its way.
func Init(ctx context.Context, cfg *config.Config) (_ Initialized, err error) {
	st, err := OpenState(ctx, cfg)
	if err != nil {
		return Initialized{}, err
	}
	defer closeWith(&err, st)
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return Initialized{}, fmt.Errorf("read state: %w", err)
	}
	before, err := BindSink(ctx, cfg, st)
	if err != nil {
		return Initialized{}, err
	}
	if !before.Checked {
		return Initialized{}, before.Unchecked
	}
	sink, err := OpenSink(ctx, cfg)
	if err != nil {
		return Initialized{}, err
	}
	defer closeWith(&err, sink)
	after, err := SetUpSink(ctx, cfg, sink)
	if err != nil {
		return Initialized{}, err
	}
	claimed, err := RegisterSink(ctx, st, before, after)
	if err != nil {
		return Initialized{}, err
	}
	return Initialized{Lineage: snap.Lineage, Serial: snap.Serial, Sink: after, Claimed: claimed}, nil
}
