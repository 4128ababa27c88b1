package ohlc

// Trade is one trade of a pair's tape, as Kraken's public Trades endpoint
// records it. Kraken computes its candles from these.
type Trade struct {
	ID     int64 // Kraken's trade_id: increasing along a pair's tape
	Time   int64 // Unix nanoseconds; non-decreasing along the tape
	Price  float64
	Volume float64
	Side   byte // 'b' buy or 's' sell
	Type   byte // 'm' market or 'l' limit
}

// Second is the Unix second the trade happened in (times are never
// negative, so division floors).
func (t Trade) Second() int64 { return t.Time / 1e9 }
