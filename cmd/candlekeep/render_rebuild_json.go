package main

import (
	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
)

type jsonRebuildProgress struct {
	Type      string `json:"type"`
	Time      string `json:"time"`
	Index     int    `json:"index"`
	Series    string `json:"series"`
	Trades    int64  `json:"trades"`
	TradesPS  int64  `json:"trades_per_second"`
	Requests  int    `json:"requests"`
	Rows      int64  `json:"rows"`
	Reached   string `json:"reached"`
	ElapsedMS int64  `json:"elapsed_ms"`
	ETAMS     int64  `json:"eta_ms"`
}

type jsonCrossCheck struct {
	Type     string `json:"type"`
	Time     string `json:"time"`
	Index    int    `json:"index"`
	Series   string `json:"series"`
	Compared int64  `json:"compared"`
	Differ   int64  `json:"differ"`
	First    string `json:"first,omitempty"`
}

// handleRebuild writes the events of rebuilds from trades.
func (v *jsonEventView) handleRebuild(at string, ev executor.Event) {
	switch e := ev.(type) {
	case executor.RebuildProgress:
		var perSecond int64
		if s := e.Elapsed.Seconds(); s > 0 {
			perSecond = int64(float64(e.Trades) / s)
		}
		v.write(jsonRebuildProgress{Type: "rebuild_progress", Time: at, Index: e.Index, Series: e.Action.Series.String(),
			Trades: e.Trades, TradesPS: perSecond, Requests: e.Requests, Rows: e.Rows, Reached: ohlc.JSONTimeOf(e.Reached),
			ElapsedMS: e.Elapsed.Milliseconds(), ETAMS: e.Left.Milliseconds()})
	case executor.CrossChecked:
		v.write(jsonCrossCheck{Type: "cross_check", Time: at, Index: e.Index, Series: e.Action.Series.String(),
			Compared: e.Compared, Differ: e.Differ, First: e.First})
	}
}
