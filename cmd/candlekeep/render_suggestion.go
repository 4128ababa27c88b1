package main

import (
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/planner/planfile"
)

// fillText phrases what would fill an unfillable gap of the listing, as
// the plan document says it (planfile.SuggestionText).
func fillText(a planner.Action) string { return planfile.SuggestionText(a.Series, a.Suggestion) }
