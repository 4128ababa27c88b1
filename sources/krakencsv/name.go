package krakencsv

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// ParseMemberName reads the series from a member's file name,
// PAIR_INTERVAL.csv: the pair upper-case letters and digits (Kraken's
// altname), the interval one the CSV downloads carry. Only the base name
// counts, so any folder in front of it (either slash) is ignored.
func ParseMemberName(name string) (ohlc.Series, bool) {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	stem, ok := strings.CutSuffix(name, ".csv")
	if !ok {
		return ohlc.Series{}, false
	}
	pair, minutes, ok := strings.Cut(stem, "_")
	if !ok || pair == "" || minutes == "" {
		return ohlc.Series{}, false
	}
	for _, c := range pair {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return ohlc.Series{}, false
		}
	}
	for _, c := range minutes {
		if c < '0' || c > '9' {
			return ohlc.Series{}, false
		}
	}
	n, err := strconv.Atoi(minutes)
	if err != nil || minutes[0] == '0' || !ohlc.Interval(n).InCSV() {
		return ohlc.Series{}, false
	}
	return ohlc.Series{Pair: pair, Interval: ohlc.Interval(n)}, true
}

var quarterlyName = regexp.MustCompile(`(?i)^Kraken_OHLCVT_Q([1-4])_(\d{4})(\.zip)?$`)

// QuarterFromName reads the quarter from a quarterly zip's file name,
// Kraken_OHLCVT_Q3_2024.zip, or from the folder it unzips to,
// Kraken_OHLCVT_Q3_2024 (any case): the half-open span from the first day
// of the quarter to the first day of the next, in UTC.
func QuarterFromName(fileName string) (ohlc.Span, bool) {
	m := quarterlyName.FindStringSubmatch(fileName)
	if m == nil {
		return ohlc.Span{}, false
	}
	q, _ := strconv.Atoi(m[1])
	year, _ := strconv.Atoi(m[2])
	start := time.Date(year, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, time.UTC)
	return ohlc.Span{Start: start.Unix(), End: start.AddDate(0, 3, 0).Unix()}, true
}
