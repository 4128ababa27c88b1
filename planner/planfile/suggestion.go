package planfile

import (
	"fmt"
	"strings"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// SuggestionText phrases what would fill a gap of series s, as the plan
// document's "suggestion" and every view say it:
// "Kraken_OHLCVT_Q3_2020.zip → XBTUSD_60.csv: add the zip as a dump".
func SuggestionText(s ohlc.Series, sg planner.Suggestion) string {
	switch sg.Fix {
	case planner.FixAPIOnly:
		return fmt.Sprintf("no Kraken download holds %d-minute candles; only the REST API serves them, and only the latest 720", int(s.Interval))
	case planner.FixNever:
		return fmt.Sprintf("no Kraken download holds %d-minute candles and the REST API serves only the latest 720: older ones can never be filled", int(s.Interval))
	case planner.FixReplaceFile:
		return fmt.Sprintf("%s in dump %q failed to load: %s; replace the file", sg.Member, sg.Dump, sg.Error)
	case planner.FixAddZip, planner.FixCopyFile, planner.FixAwaitZip:
		return downloadText(sg) + fillHow(s, sg)
	case planner.FixNextRun:
		what := "request"
		if strings.HasPrefix(sg.Budget, "max_duration") {
			what = "time"
		}
		return fmt.Sprintf("the rebuild's %s budget (%s) is spent; the next run continues", what, sg.Budget)
	}
	return sg.Text
}

// downloadText names the download and the file in it:
// "Kraken_OHLCVT.zip → XBTUSD_60.csv (full history)".
func downloadText(sg planner.Suggestion) string {
	text := sg.Zip + " → " + sg.Member
	if sg.Zip == planner.FullHistoryZip {
		text += " (full history)"
	}
	return text
}

// fillHow is what to do with the download, after downloadText.
func fillHow(s ohlc.Series, sg planner.Suggestion) string {
	switch sg.Fix {
	case planner.FixCopyFile:
		return ": copy the file into dump folder " + sg.Dump
	case planner.FixAwaitZip:
		note := ""
		if sg.NotInAPI {
			note = fmt.Sprintf("; the REST API does not serve %d-minute candles", int(s.Interval))
		}
		return fmt.Sprintf(", once Kraken publishes it (some weeks after %s)%s", ohlc.FormatTime(sg.PublishedAfter), note)
	}
	return ": add the zip as a dump"
}
