package krakenfake

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
)

// fixture is a real GET /0/public/OHLC answer (pair=BCHAUD, interval=60,
// February 2021): 720 rows, the last one forming, half of them fillers.
//
//go:embed testdata/ohlc_BCHAUD_60_2021-02.json
var fixture []byte

// FixtureResponse returns the real recorded OHLC answer the fake is built
// from (a copy), for tests and benchmarks of decoders.
func FixtureResponse() []byte { return append([]byte(nil), fixture...) }

// FixtureKey is the pair key the real answer is keyed by.
const FixtureKey = "BCHAUD"

// Entries is how many entries Kraken answers at most, the forming one
// included.
const Entries = 720

// row is one fixture entry with its values kept as the JSON text Kraken sent.
type row struct {
	values [6]string // open, high, low, close, vwap, volume, quoted
	count  string
}

var fixtureRows = sync.OnceValue(func() []row {
	var env struct {
		Result map[string]json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(fixture, &env); err != nil {
		panic(fmt.Sprintf("krakenfake: embedded fixture: %v", err))
	}
	var raw [][]json.RawMessage
	if err := json.Unmarshal(env.Result[FixtureKey], &raw); err != nil || len(raw) != Entries {
		panic(fmt.Sprintf("krakenfake: embedded fixture has %d rows (%v), want %d", len(raw), err, Entries))
	}
	rows := make([]row, len(raw))
	for i, r := range raw {
		for k := 0; k < 6; k++ {
			rows[i].values[k] = string(r[k+1])
		}
		rows[i].count = string(r[7])
	}
	return rows
})

// entry is one OHLC row of an answer at its open time.
type entry struct {
	t int64
	r row
}

// ohlcBody builds the answer for a pair key at an interval (seconds): the
// fixture's 720 rows, shifted so the last one is the candle forming at
// now, keeping those after since plus the forming one, as Kraken does.
func ohlcBody(key string, step, now, since int64, f faultKind, revised map[int64]string) []byte {
	rows := fixtureRows()
	forming := now - now%step
	var picked []entry
	for i, r := range rows {
		t := forming - int64(len(rows)-1-i)*step
		if t > since || i == len(rows)-1 {
			picked = append(picked, entry{t, r})
		}
	}
	for i := range picked {
		if v, ok := revised[picked[i].t]; ok {
			picked[i].r.values[5] = v
		}
	}
	return writeOHLC(key, picked, forming-step, f)
}

// writeOHLC writes an OHLC answer of the picked entries, the last one
// forming, with a row fault applied.
func writeOHLC(key string, picked []entry, last int64, f faultKind) []byte {
	mid := len(picked) / 2
	if len(picked) == 0 {
		f = 0
	}
	switch f {
	case badRow:
		picked[mid].r.values[0] = `"n/a"`
	case outOfOrder:
		if mid > 0 {
			picked[mid-1], picked[mid] = picked[mid], picked[mid-1]
		}
	case wrongPairKey:
		key = "X" + key + "Z"
	}
	b := make([]byte, 0, 64+len(picked)*96)
	b = append(b, `{"error":[],"result":{`...)
	b = strconv.AppendQuote(b, key)
	b = append(b, ":["...)
	for i, e := range picked {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, e.t, 10)
		for _, v := range e.r.values {
			b = append(b, ',')
			b = append(b, v...)
		}
		b = append(b, ',')
		b = append(b, e.r.count...)
		b = append(b, ']')
	}
	b = append(b, `],"last":`...)
	b = strconv.AppendInt(b, last, 10)
	b = append(b, "}}"...)
	return b
}

// pairInfo is the part of an AssetPairs entry the fake answers; real
// entries carry many more fields, which clients must ignore.
type pairInfo struct {
	Altname string `json:"altname"`
	Wsname  string `json:"wsname"`
	Status  string `json:"status"`
}

func assetPairsBody(pairs map[string]string) []byte {
	result := make(map[string]pairInfo, len(pairs))
	for alt, key := range pairs {
		ws := alt
		if len(alt) == 6 {
			ws = alt[:3] + "/" + alt[3:]
		}
		result[key] = pairInfo{Altname: alt, Wsname: ws, Status: "online"}
	}
	b, err := json.Marshal(map[string]any{"error": []string{}, "result": result})
	if err != nil {
		panic(err) // a map of strings always marshals
	}
	return b
}

func errorBody(code string) []byte {
	b, _ := json.Marshal(map[string]any{"error": []string{code}})
	return b
}
