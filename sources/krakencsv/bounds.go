package krakencsv

import (
	"fmt"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// maxSeconds is the first timestamp no Kraken file can hold in seconds: the
// year 5138. Milliseconds since any date after 1973 lie above it, so a file
// written in milliseconds is refused on its first row, whatever its dump.
const maxSeconds int64 = 1e11

// fitRows is how many rows a file must have before its rows are held to
// lying off the next longer interval's boundaries: an hourly file's row is
// on a 4-hour boundary one time in four, so 24 real rows all on one happen
// about once in 2^48 files, while a daily file renamed hourly always does.
const fitRows = 24

// coarser is the next longer interval of Kraken's CSV downloads, whose
// boundaries a file of another interval's rows would all lie on; 0 for
// the longest.
func coarser(iv ohlc.Interval) int64 {
	switch iv {
	case 1:
		return 5 * 60
	case 5:
		return 15 * 60
	case 15:
		return 30 * 60
	case 30:
		return 60 * 60
	case 60:
		return 240 * 60
	case 240:
		return 720 * 60
	case 720:
		return 1440 * 60
	}
	return 0
}

// checkRange refuses a timestamp outside Kraken's history: before its
// first trades, at or after the dump's declared cutoff (until, 0 for
// none), or so far in the future that it must be in milliseconds.
func checkRange(t, until int64) error {
	switch {
	case t >= maxSeconds:
		hint := ""
		if t/1000 >= ohlc.KrakenFirstTrade && t/1000 < maxSeconds {
			hint = ": milliseconds?"
		}
		return fmt.Errorf("timestamp %d is in the year %d%s", t, time.Unix(t, 0).UTC().Year(), hint)
	case t < ohlc.KrakenFirstTrade:
		return fmt.Errorf("timestamp %d (%s) is before Kraken's first trades (%s)", t, formatTime(t), formatTime(ohlc.KrakenFirstTrade))
	case until != 0 && t >= until:
		return fmt.Errorf("timestamp %d (%s) is not before the dump's until (%s)", t, formatTime(t), formatTime(until))
	}
	return nil
}

// fitError is the error of a file whose first fitRows rows all lie on the
// boundaries of a longer interval than its name says.
func fitError(iv ohlc.Interval, step int64) error {
	return fmt.Errorf("its first %d rows all start on %d-minute boundaries: candles of a longer interval than the %d minutes its name says", fitRows, step/60, int64(iv))
}

func formatTime(t int64) string {
	return time.Unix(t, 0).UTC().Format("2006-01-02 15:04")
}
