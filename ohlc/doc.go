// Package ohlc is candlekeep's shared vocabulary: intervals, series, candles
// and half-open time spans with the set arithmetic the planner is built on,
// and the rules every source holds a candle to: Kraken's decimal syntax
// (ParseDecimal) and consistent prices (Candle.CheckPrices).
//
// Times are Unix seconds (UTC) throughout, the unit Kraken uses in both its
// CSV downloads and its REST API, so no conversion happens on the hot path.
package ohlc
