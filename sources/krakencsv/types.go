package krakencsv

import "github.com/feefifofunds/candlekeep/ohlc/dump"

// The inventory's value types live in ohlc/dump so that the planner can
// read them without depending on this package; these aliases keep the
// names krakencsv's callers use.
type (
	Kind       = dump.Kind
	DumpSpec   = dump.DumpSpec
	Profile    = dump.Profile
	Member     = dump.Member
	Dump       = dump.Dump
	Inventory  = dump.Inventory
	CacheEntry = dump.CacheEntry
)

// Dump kinds.
const (
	FullHistory = dump.FullHistory
	Quarterly   = dump.Quarterly
)
