package main

import (
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/planner/planfile"
)

// fillText phrases what would fill an unfillable gap of the listing.
func fillText(a planner.Action) string { return suggestionText(a.Series, a.Suggestion) }

// suggestionText is planfile.SuggestionText: the views say what the plan
// document says.
func suggestionText(s ohlc.Series, sg planner.Suggestion) string {
	return planfile.SuggestionText(s, sg)
}
