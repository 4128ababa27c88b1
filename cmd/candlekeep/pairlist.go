package main

import (
	"path/filepath"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sources/krakenapi"
)

// pairCachePath is where the Kraken client keeps the AssetPairs answer.
func pairCachePath(cfg *config.Config) string {
	return filepath.Join(cfg.Dir, ".candlekeep", "assetpairs.json")
}

// knownPairs is Kraken's pair list for the planner, from the client's cache
// file, read only: planning never fetches and never writes it. nil when
// there is no cached list (a first run offline, another API): the planner
// then calls no pair unknown. An unreadable file is no list either, since
// the list only sharpens warnings and must not stop a plan.
func knownPairs(cfg *config.Config) *planner.PairList {
	list, err := krakenapi.ReadPairCache(pairCachePath(cfg), cfg.API.BaseURL)
	if err != nil || list == nil {
		return nil
	}
	return &planner.PairList{Names: list.Names}
}
