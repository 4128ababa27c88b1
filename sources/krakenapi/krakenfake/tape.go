package krakenfake

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
)

// Trade is one trade of a fake pair's tape, its price and volume kept as
// the decimal text Kraken writes ("30243.4", "0.34507674").
type Trade struct {
	ID     int64
	Time   int64 // Unix nanoseconds
	Price  string
	Volume string
	Side   byte // 'b' or 's'
	Type   byte // 'm' or 'l'
}

// MaxTrades is how many trades one Trades answer holds at most.
const MaxTrades = 1000

// SetTape gives a pair (altname or key) a trade tape, sorted by time and
// id: GET /0/public/Trades pages through it, and the pair's OHLC answers
// are computed from it instead of the recorded fixture, so the two
// endpoints agree exactly. Trades after the fake's clock are not served.
func (s *Server) SetTape(pair string, tape []Trade) {
	key, ok := s.pairs[pair]
	if !ok {
		key = pair
	}
	s.mu.Lock()
	if s.tapes == nil {
		s.tapes = map[string][]Trade{}
	}
	s.tapes[key] = tape
	s.mu.Unlock()
}

// TapeSpec describes a synthetic tape (GenerateTape).
type TapeSpec struct {
	Start, End int64  // Unix seconds
	Seed       uint64 // the same spec and seed give the same tape
	// Gap is the mean number of seconds between trades outside bursts
	// (default 30); quiet stretches of hours without a trade happen too.
	Gap int64
	// Bursts seconds each hold BurstSize trades (defaults 3 and 1500):
	// more than one answer's worth inside one second, each at its own
	// nanosecond.
	Bursts, BurstSize int
}

// GenerateTape makes a deterministic tape like a busy Kraken pair's:
// prices a random walk in tenths around 30000 written with Kraken's five
// decimals, volumes with eight, ids from 1, about once a day hours with
// no trade, and bursts of more than MaxTrades trades inside one second.
func GenerateTape(spec TapeSpec) []Trade {
	if spec.Gap <= 0 {
		spec.Gap = 30
	}
	if spec.Bursts == 0 {
		spec.Bursts = 3
	}
	if spec.BurstSize <= 0 {
		spec.BurstSize = 1500
	}
	rng := rand.New(rand.NewPCG(spec.Seed, 0x6b72616b656e))
	bursts := map[int64]bool{}
	for range spec.Bursts {
		if spec.End > spec.Start {
			bursts[spec.Start+rng.Int64N(spec.End-spec.Start)] = true
		}
	}
	var tape []Trade
	tenths := int64(300000)
	id := int64(0)
	add := func(ns int64) {
		tenths = max(10, tenths+rng.Int64N(41)-20)
		id++
		side, typ := byte('b'), byte('l')
		if rng.IntN(2) == 0 {
			side = 's'
		}
		if rng.IntN(3) == 0 {
			typ = 'm'
		}
		vol := 1 + rng.Int64N(200_000_000)
		tape = append(tape, Trade{
			ID: id, Time: ns, Side: side, Type: typ,
			Price:  strconv.FormatInt(tenths/10, 10) + "." + strconv.FormatInt(tenths%10, 10) + "0000",
			Volume: strconv.FormatInt(vol/1e8, 10) + "." + pad8(vol%1e8),
		})
	}
	for sec := spec.Start; sec < spec.End; {
		if bursts[sec] {
			// Distinct, increasing nanoseconds inside the one second.
			for k := range spec.BurstSize {
				add(sec*1e9 + int64(k)*(1e9/int64(spec.BurstSize)))
			}
		} else {
			add(sec*1e9 + rng.Int64N(1e9))
		}
		next := sec + 1 + rng.Int64N(2*spec.Gap)
		// About once a day of tape, a quiet stretch of hours.
		if rng.Int64N(86400) < next-sec {
			next += 3600 + rng.Int64N(3*3600)
		}
		// A burst second is never skipped over.
		for b := range bursts {
			if b > sec && b < next {
				next = b
			}
		}
		sec = next
	}
	return tape
}

func pad8(n int64) string {
	s := strconv.FormatInt(n, 10)
	return strings.Repeat("0", 8-len(s)) + s
}

// visible is the part of a tape the fake's clock has reached.
func visible(tape []Trade, now int64) []Trade {
	n := sort.Search(len(tape), func(i int) bool { return tape[i].Time/1e9 > now })
	return tape[:n]
}

// sinceNanos reads a Trades since: nanoseconds, or seconds when it has at
// most 10 digits (Kraken takes both).
func sinceNanos(v string) (int64, bool) {
	if v == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	if len(v) <= 10 {
		n *= 1e9
	}
	return n, true
}

// tradesBody answers GET /0/public/Trades: the trades after since
// (exclusive), at most MaxTrades, and last, the time of the last one in
// nanoseconds as a string (since itself when none is left).
func tradesBody(key string, tape []Trade, since int64, f faultKind) []byte {
	i := sort.Search(len(tape), func(i int) bool { return tape[i].Time > since })
	if f == overlap {
		// Repeat the last trades of the page before, as users of the
		// real endpoint have seen it do.
		i = max(0, i-3)
	}
	page := append([]Trade(nil), tape[i:min(len(tape), i+MaxTrades)]...)
	last := since
	if len(page) > 0 {
		last = page[len(page)-1].Time
	}
	mid := len(page) / 2
	switch {
	case f == badRow && len(page) > 0:
		page[mid].Price = "n/a"
	case f == outOfOrder && mid > 0:
		page[mid-1], page[mid] = page[mid], page[mid-1]
	case f == wrongPairKey:
		key = "X" + key + "Z"
	}
	b := make([]byte, 0, 64+len(page)*72)
	b = append(b, `{"error":[],"result":{`...)
	b = strconv.AppendQuote(b, key)
	b = append(b, ":["...)
	for k, t := range page {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, `["`...)
		b = append(b, t.Price...)
		b = append(b, `","`...)
		b = append(b, t.Volume...)
		b = append(b, `",`...)
		b = appendSeconds(b, t.Time)
		b = append(b, ',', '"', t.Side, '"', ',', '"', t.Type, '"', ',', '"', '"', ',')
		b = strconv.AppendInt(b, t.ID, 10)
		b = append(b, ']')
	}
	b = append(b, `],"last":"`...)
	b = strconv.AppendInt(b, last, 10)
	b = append(b, `"}}`...)
	return b
}

// appendSeconds writes nanoseconds as Kraken writes a trade's time: a
// JSON number of seconds with the fraction's trailing zeros cut
// ("1688669597.8277369", "1688669597.0").
func appendSeconds(b []byte, ns int64) []byte {
	b = strconv.AppendInt(b, ns/1e9, 10)
	frac := strconv.FormatInt(1e9+ns%1e9, 10)[1:]
	frac = strings.TrimRight(frac, "0")
	if frac == "" {
		frac = "0"
	}
	return append(append(b, '.'), frac...)
}
