package workspace

import (
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner/planfile"
)

// CheckDoc is the document of `check -format=json`; see docs/json-format.md.
type CheckDoc struct {
	FormatVersion     string         `json:"format_version"`
	CandlekeepVersion string         `json:"candlekeep_version"`
	Now               string         `json:"now"`
	Status            string         `json:"status"`
	Counts            map[string]int `json:"counts"`
	Series            []CheckSeries  `json:"series"`
	Lost              []CheckLost    `json:"lost"`
}

// CheckLost is one stretch of candles lost since the last apply.
type CheckLost struct {
	Series string `json:"series"`
	// The span's start and end, at the top level as version 1.0 wrote
	// them, in the one JSON form of a span.
	ohlc.JSONSpan
	Candles  int64  `json:"candles"`
	Severity string `json:"severity"`
	Fill     string `json:"fill"`
}

// CheckSeries is one series in a CheckDoc.
type CheckSeries struct {
	Series            string   `json:"series"`
	Pair              string   `json:"pair"`
	Interval          int      `json:"interval"`
	Coverage          []string `json:"coverage"`
	Status            string   `json:"status"`
	ExpectedUntil     string   `json:"expected_until"`
	CoveredUntil      string   `json:"covered_until,omitempty"`
	AgeSeconds        *int64   `json:"age_seconds,omitempty"`
	WarnAfterSeconds  int64    `json:"warn_after_seconds,omitempty"`
	ErrorAfterSeconds int64    `json:"error_after_seconds,omitempty"`
}

// CheckDocument is check's JSON document of what it found.
func CheckDocument(res CheckResult) CheckDoc {
	results, now := res.Freshness, res.Now
	doc := CheckDoc{FormatVersion: "1.1", Now: ohlc.JSONTimeOf(now), Status: WorstStatus(results),
		Counts: map[string]int{FreshPass: 0, FreshWarn: 0, FreshError: 0}, Series: []CheckSeries{}, Lost: []CheckLost{}}
	for _, r := range results {
		doc.Counts[r.Status]++
		s := CheckSeries{Series: r.Series.String(), Pair: r.Series.Pair, Interval: int(r.Series.Interval),
			Coverage: r.Coverage, Status: r.Status, ExpectedUntil: ohlc.JSONTimeOf(r.Expected),
			WarnAfterSeconds: int64(r.WarnAfter.Seconds()), ErrorAfterSeconds: int64(r.ErrorAfter.Seconds())}
		if r.CoveredUntil != 0 {
			age := r.Age
			s.CoveredUntil, s.AgeSeconds = ohlc.JSONTimeOf(r.CoveredUntil), &age
		}
		doc.Series = append(doc.Series, s)
	}
	for _, g := range res.Lost {
		doc.Lost = append(doc.Lost, CheckLost{Series: g.Series.String(), JSONSpan: g.Lost.JSON(),
			Candles: g.Lost.Candles(g.Series.Interval), Severity: string(g.Severity), Fill: planfile.SuggestionText(g.Series, g.Suggestion)})
	}
	return doc
}
