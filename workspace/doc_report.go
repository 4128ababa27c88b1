package workspace

import (
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/report"
)

// ReportDoc is `report -format=json`, documented in docs/json-format.md.
type ReportDoc struct {
	FormatVersion     string         `json:"format_version"`
	CandlekeepVersion string         `json:"candlekeep_version"`
	Now               ohlc.JSONTime  `json:"now"`
	Since             *ohlc.JSONTime `json:"since,omitempty"`
	Rows              []ReportRow    `json:"rows"`
}

// ReportRow is one row of a ReportDoc.
type ReportRow struct {
	Tier            string         `json:"tier"`
	Interval        int            `json:"interval"`
	Series          string         `json:"series,omitempty"`
	SeriesCount     int            `json:"series_count"`
	DesiredSeconds  int64          `json:"desired_seconds"`
	CoveredSeconds  int64          `json:"covered_seconds"`
	Share           float64        `json:"share"`
	OpenGaps        int            `json:"open_gaps"`
	UnfillableGaps  int            `json:"unfillable_gaps"`
	FailedGaps      int            `json:"failed_gaps"`
	CoverageEnd     *ohlc.JSONTime `json:"coverage_end"`
	CoverageAgeSecs *int64         `json:"coverage_age_seconds"`
	// A tier row's freshest series' coverage_end, and its stalest series.
	FreshestEnd   *ohlc.JSONTime `json:"freshest_coverage_end,omitempty"`
	StalestSeries string         `json:"stalest_series,omitempty"`
	LastRun       *ReportRun     `json:"last_run,omitempty"`
}

// ReportRun is a row's last run.
type ReportRun struct {
	ID        int64         `json:"id"`
	Status    string        `json:"status"`
	Outcome   string        `json:"outcome"`
	StartedAt ohlc.JSONTime `json:"started_at"`
	// CrossCheck is a rebuild's finding of stored candles differing from
	// rebuilt ones; absent when none.
	CrossCheck string `json:"cross_check,omitempty"`
}

// ReportDocument is report's JSON document of rows.
func ReportDocument(rep *report.Report, rows []report.Row) ReportDoc {
	out := ReportDoc{FormatVersion: "1", Now: ohlc.JSONTime(time.Unix(rep.Now, 0)), Rows: []ReportRow{}}
	if rep.Since > 0 {
		t := ohlc.JSONTime(time.Unix(rep.Since, 0))
		out.Since = &t
	}
	for _, r := range rows {
		j := ReportRow{
			Tier: r.Tier, Interval: int(r.Interval), SeriesCount: r.SeriesCount,
			DesiredSeconds: r.Desired, CoveredSeconds: r.Covered, Share: r.Share(),
			OpenGaps: r.OpenGaps, UnfillableGaps: r.UnfillableGaps, FailedGaps: r.FailedGaps,
		}
		if r.Series != (ohlc.Series{}) {
			j.Series = r.Series.String()
		}
		if r.CoverageEnd > 0 {
			t, age := ohlc.JSONTime(time.Unix(r.CoverageEnd, 0)), rep.Now-r.CoverageEnd
			j.CoverageEnd, j.CoverageAgeSecs = &t, &age
		}
		if r.Series == (ohlc.Series{}) {
			if r.NewestEnd > 0 {
				t := ohlc.JSONTime(time.Unix(r.NewestEnd, 0))
				j.FreshestEnd = &t
			}
			j.StalestSeries = StalestSeries(r)
		}
		if r.LastRun != nil {
			j.LastRun = &ReportRun{ID: r.LastRun.ID, Status: string(r.LastRun.Status), Outcome: string(r.LastRun.Outcome), StartedAt: ohlc.JSONTime(time.Unix(r.LastRun.StartedAt, 0)), CrossCheck: r.LastRun.CrossCheck}
		}
		out.Rows = append(out.Rows, j)
	}
	return out
}

// StalestSeries names a tier row's stalest series, when it has several
// series that do not all end together; "" otherwise.
func StalestSeries(r report.Row) string {
	if r.SeriesCount < 2 || r.Stalest == (ohlc.Series{}) || r.CoverageEnd == r.NewestEnd {
		return ""
	}
	return r.Stalest.String()
}
