// Package ohlc is candlekeep's shared vocabulary: intervals, series, candles
// and half-open time spans with the set arithmetic the planner is built on,
// and the rules every source holds a candle to: Kraken's decimal syntax
// (ParseDecimal) and consistent prices (Candle.CheckPrices). Two pure
// builders make candles from other data, both aligned by
// Interval.AlignDown and streaming in constant memory: Aggregator, longer
// candles from a shorter interval's over its covered spans, and Tape,
// candles of several intervals from one pass over a pair's trades.
//
// Times are Unix seconds (UTC) throughout, the unit Kraken uses in both its
// CSV downloads and its REST API, so no conversion happens on the hot path.
package ohlc
