// Package krakencsv reads Kraken's downloadable OHLCVT history: folders of
// CSV files and zips read in place. It finds members by file name, gives
// each a fingerprint, profiles them (rows, first and last candle), infers a
// dump's cutoff, and streams rows through a strict parser.
//
// The parser accepts exactly Kraken's format, one row per line:
//
//	timestamp,open,high,low,close,volume,trades
//
// with no header; an integer timestamp aligned to the interval and strictly
// increasing; prices and volume non-negative decimals ("122.0", "0.00011",
// "5"), with an optional exponent because Kraken writes round volumes that
// way ("1E+1", "2.5E+2" occur in the real files) — no sign, bare point, NaN
// or Inf; low ≤ min(open, close) and max(open, close) ≤ high;
// trades a whole number. Values are exactly what strconv.ParseFloat gives.
// The number syntax and the price rules are ohlc.ParseDecimal and
// ohlc.Candle.CheckPrices, shared with the REST API source.
// Kraken writes "\n" line ends and no byte order mark, but a file that went
// through an editor may have "\r\n" or a UTF-8 BOM: both are accepted,
// because neither changes a value, and so are up to MaxTrailingBlankLines
// blank lines at the end. Blank lines between rows, a file without a row
// and lines over MaxLineBytes are refused. Errors are *ParseError, naming the file and the
// 1-based line.
//
// A dump is a folder (walked at any depth, symlinked folders not followed)
// or a zip (read in place, never extracted). Members are PAIR_INTERVAL.csv
// by base name; other files are listed in Dump.Ignored. Scan counts lines
// and parses only the first and the last row, strictly; a member whose
// first or last row is bad is left unprofiled (Member.Unprofiled) and out
// of the inferred cutoff, and any member whose rows are broken fails only
// its own load.
package krakencsv
