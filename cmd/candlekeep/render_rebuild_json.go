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
	RowsPS    int64  `json:"rows_per_second"`
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
		v.write(jsonRebuildProgress{Type: "rebuild_progress", Time: at, Index: e.Index, Series: e.Action.Series.String(),
			Trades: e.Trades, TradesPS: perSecond(e.Trades, e.Elapsed), Requests: e.Requests, Rows: e.Rows, RowsPS: perSecond(e.Rows, e.Elapsed), Reached: ohlc.JSONTimeOf(e.Reached),
			ElapsedMS: e.Elapsed.Milliseconds(), ETAMS: e.Left.Milliseconds()})
	case executor.CrossChecked:
		v.write(jsonCrossCheck{Type: "cross_check", Time: at, Index: e.Index, Series: e.Action.Series.String(),
			Compared: e.Compared, Differ: e.Differ, First: e.First})
	}
}
