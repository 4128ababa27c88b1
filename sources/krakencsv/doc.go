// Package krakencsv reads Kraken's downloadable OHLCVT history: folders of
// CSV files and zips read in place. It finds members by file name, gives
// each a fingerprint, profiles them (rows, first and last candle), infers a
// dump's cutoff, and streams rows through a strict parser.
package krakencsv
