package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/state"
	"github.com/feefifofunds/candlekeep/workspace"
)

// closeWith closes c and joins its error into *err.
func closeWith(err *error, c interface{ Close() error }) {
	*err = errors.Join(*err, c.Close())
}

// openStateExisting is workspace.OpenStateExisting with the command that
// upgrades an old store named.
func openStateExisting(ctx context.Context, cfg *config.Config, allowOld bool) (*state.Store, error) {
	st, err := workspace.OpenStateExisting(ctx, cfg, allowOld)
	if errors.Is(err, state.ErrUpgradeNeeded) {
		return nil, fmt.Errorf("%w; run 'candlekeep init' (or 'candlekeep apply') to upgrade it", err)
	}
	return st, err
}
