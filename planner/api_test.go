package planner

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
)

// withAPI enables rule 4 on cfg with the given margin (0: the default).
func withAPI(cfg *config.Config, margin int) *config.Config {
	cfg.API = config.API{Enabled: true, Margin: margin}
	return cfg
}

func backfill(s ohlc.Series, sp ohlc.Span, candles int64) Action {
	return Action{Kind: BackfillAPI, Series: s, Span: sp, Estimate: candles, Requests: 1}
}

func TestAPIWindow(t *testing.T) {
	now := at(t, "2026-05-15 10:17")
	tests := []struct {
		name   string
		iv     ohlc.Interval
		margin int
		want   ohlc.Span
	}{
		{"hourly, default margin: 710 hours before the forming candle", 60, 0, span(t, "2026-04-15 20:00", "2026-05-15 10:00")},
		{"hourly, margin 100", 60, 100, span(t, "2026-04-19 14:00", "2026-05-15 10:00")},
		{"a negative margin is the default", 60, -5, span(t, "2026-04-15 20:00", "2026-05-15 10:00")},
		{"daily, margin 20", 1440, 20, span(t, "2024-06-14", "2026-05-15")},
		{"one minute, default margin", 1, 0, span(t, "2026-05-14 22:27", "2026-05-15 10:17")},
		{"weekly candles start on Thursdays", 10080, 700, span(t, "2025-12-25", "2026-05-14")},
		{"720 is not served", 720, 0, ohlc.Span{}},
		{"a margin of 720 leaves nothing", 60, 720, ohlc.Span{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, APIWindow(tc.iv, now, tc.margin)); diff != "" {
				t.Errorf("window (-want +got):\n%s", diff)
			}
		})
	}
}

func TestComputeWithAPI(t *testing.T) {
	daily, weekly, hourly := []string{"daily"}, []string{"weekly"}, []string{"hourly"}
	tiers := []string{"TIER1"}
	const now = "2026-05-15 10:17" // Q1 2026 is published (30 days after it ended), Q2 is not
	xbt720 := ohlc.Series{Pair: "XBTUSD", Interval: 720}
	mXBT60 := member(xbt60, "XBTUSD_60.csv", "sha256:xbt60-2025q3",
		krakencsv.Profile{Rows: 2208, First: at(t, "2025-07-01"), Last: at(t, "2025-09-30 23:00")})
	full2025 := fullDump(t, "full_2025", "2025-10-01", mXBT60)
	mXBT60May := member(xbt60, "XBTUSD_60.csv", "sha256:xbt60-2026",
		krakencsv.Profile{Rows: 720, First: at(t, "2026-04-01"), Last: at(t, "2026-04-30 23:00")})
	full2026 := fullDump(t, "full_2026", "2026-05-01", mXBT60May)
	const badRow = "XBTUSD_60.csv line 9: 6 fields, want 7"
	q4zip := "Kraken_OHLCVT_Q4_2025.zip → XBTUSD_60.csv: add the zip as a dump"
	q1zip := "Kraken_OHLCVT_Q1_2026.zip → XBTUSD_60.csv: add the zip as a dump"
	q2later := "Kraken_OHLCVT_Q2_2026.zip → XBTUSD_60.csv, once Kraken publishes it (some weeks after 2026-07-01)"

	tests := []struct {
		name  string
		cfg   *config.Config
		state *state.Snapshot
		inv   *krakencsv.Inventory
		want  []Action
	}{
		{
			name: "nightly: the dump, then the quarters older than the window, then the API",
			cfg:  withAPI(configOf(block(t, "hourly", 60, "2025-07-01", "now")), 0),
			inv:  inventory(full2025),
			want: askedBy(hourly, tiers,
				load(xbt60, span(t, "2025-07-01", "2025-10-01"), source(full2025, mXBT60), 2208),
				gap(xbt60, span(t, "2025-10-01", "2026-01-01"), ReasonOlderThanAPIWindow, q4zip),
				gap(xbt60, span(t, "2026-01-01", "2026-04-01"), ReasonOlderThanAPIWindow, q1zip),
				gap(xbt60, span(t, "2026-04-01", "2026-04-15 20:00"), ReasonNotPublished, q2later),
				backfill(xbt60, span(t, "2026-04-15 20:00", "2026-05-15 10:00"), 710)),
		},
		{
			name: "the same with the API disabled: no_dump and not_published up to now",
			cfg:  configOf(block(t, "hourly", 60, "2025-07-01", "now")),
			inv:  inventory(full2025),
			want: askedBy(hourly, tiers,
				load(xbt60, span(t, "2025-07-01", "2025-10-01"), source(full2025, mXBT60), 2208),
				gap(xbt60, span(t, "2025-10-01", "2026-01-01"), ReasonNoDump, q4zip),
				gap(xbt60, span(t, "2026-01-01", "2026-04-01"), ReasonNoDump, q1zip),
				gap(xbt60, span(t, "2026-04-01", "2026-05-15 10:00"), ReasonNotPublished, q2later)),
		},
		{
			name: "hourly margin: the window starts 620 candles before the forming one",
			cfg:  withAPI(configOf(block(t, "hourly", 60, "2026-04-01", "now")), 100),
			want: askedBy(hourly, tiers,
				gap(xbt60, span(t, "2026-04-01", "2026-04-19 14:00"), ReasonNotPublished, q2later),
				backfill(xbt60, span(t, "2026-04-19 14:00", "2026-05-15 10:00"), 620)),
		},
		{
			name: "daily margin: 700 days before today, older is the full history",
			cfg:  withAPI(configOf(block(t, "daily", 1440, "2024-01-01", "now")), 20),
			want: askedBy(daily, tiers,
				gap(xbt1440, span(t, "2024-01-01", "2024-06-14"), ReasonOlderThanAPIWindow,
					"Kraken_OHLCVT.zip → XBTUSD_1440.csv (full history): add the zip as a dump"),
				backfill(xbt1440, span(t, "2024-06-14", "2026-05-15"), 700)),
		},
		{
			name: "720 is never backfilled",
			cfg:  withAPI(configOf(block(t, "halfday", 720, "2026-01-01", "now")), 0),
			inv:  inventory(full2025),
			want: askedBy([]string{"halfday"}, tiers,
				gap(xbt720, span(t, "2026-01-01", "2026-04-01"), ReasonNotInAPI,
					"Kraken_OHLCVT_Q1_2026.zip → XBTUSD_720.csv: add the zip as a dump"),
				gap(xbt720, span(t, "2026-04-01", "2026-05-15"), ReasonNotPublished,
					"Kraken_OHLCVT_Q2_2026.zip → XBTUSD_720.csv, once Kraken publishes it (some weeks after 2026-07-01); "+
						"the REST API does not serve 720-minute candles")),
		},
		{
			name: "weekly: backfilled inside the window, never fillable before it",
			cfg:  withAPI(configOf(block(t, "weekly", 10080, "2025-10-02", "now")), 700),
			want: askedBy(weekly, tiers,
				gap(xbtWeek, span(t, "2025-10-02", "2025-12-25"), ReasonNotInCSV,
					"no Kraken download holds 10080-minute candles and the REST API serves only the latest 720: older ones can never be filled"),
				backfill(xbtWeek, span(t, "2025-12-25", "2026-05-14"), 20)),
		},
		{
			name: "holes inside the window: one request from the first to the end of the last",
			cfg:  withAPI(configOf(block(t, "hourly", 60, "2026-05-01", "now")), 0),
			state: covered(map[ohlc.Series]ohlc.SpanSet{xbt60: {
				span(t, "2026-05-01", "2026-05-05"),
				span(t, "2026-05-08", "2026-05-10"),
				span(t, "2026-05-12", "2026-05-15 10:00"),
			}}),
			want: askedBy(hourly, tiers, backfill(xbt60, span(t, "2026-05-05", "2026-05-12"), 168)),
		},
		{
			name:  "a failed file: the API fills its part inside the window",
			cfg:   withAPI(configOf(block(t, "hourly", 60, "2026-04-01", "now")), 0),
			state: &state.Snapshot{Files: map[state.FileKey]state.FileRecord{{Fingerprint: "sha256:xbt60-2026", Dump: "full_2026", Member: "XBTUSD_60.csv"}: {Status: state.FileFailed, Error: badRow}}},
			inv:   inventory(full2026),
			want: askedBy(hourly, tiers,
				gap(xbt60, span(t, "2026-04-01", "2026-04-15 20:00"), ReasonFileFailed,
					`XBTUSD_60.csv in dump "full_2026" failed to load: `+badRow+"; replace the file"),
				backfill(xbt60, span(t, "2026-04-15 20:00", "2026-05-15 10:00"), 710)),
		},
		{
			name: "a dump reaching into the window loads first, the API takes the rest",
			cfg:  withAPI(configOf(block(t, "hourly", 60, "2026-04-01", "now")), 0),
			inv:  inventory(full2026),
			want: askedBy(hourly, tiers,
				load(xbt60, span(t, "2026-04-01", "2026-05-01"), source(full2026, mXBT60May), 720),
				backfill(xbt60, span(t, "2026-05-01", "2026-05-15 10:00"), 346)),
		},
		{
			name:  "window covered: nothing to do",
			cfg:   withAPI(configOf(block(t, "hourly", 60, "2026-05-01", "now")), 0),
			state: covered(map[ohlc.Series]ohlc.SpanSet{xbt60: {span(t, "2026-04-01", "2026-05-15 10:00")}}),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plan := Compute(Input{Config: tc.cfg, State: tc.state, Inventory: tc.inv, Now: at(t, now)})
			if diff := cmp.Diff(tc.want, plan.Listing()); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSummaryCountsRequests(t *testing.T) {
	cfg := withAPI(&config.Config{Coverage: []config.Coverage{{
		Name: "majors", Pairs: []string{"ETHUSD", "XBTUSD"}, Intervals: []ohlc.Interval{60, 720, 1440},
		Window: config.Window{From: at(t, "2026-04-01"), ToNow: true},
	}}}, 0)
	plan := Compute(Input{Config: cfg, Now: at(t, "2026-05-15 10:17")})
	// Per pair: 60 and 1440 backfill (710 + 44 candles); 720 and the
	// hourly part older than the window are reported.
	want := Summary{
		Backfills: 4, BackfillCandles: 2 * (710 + 44), Requests: 4,
		Unfillable: 4, UnfillableCandleSlots: 2 * (88 + 356),
	}
	if diff := cmp.Diff(want, plan.Summary()); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if !plan.HasChanges() {
		t.Error("a plan with backfills has changes")
	}
}

func TestComputeWithAPIIsDeterministic(t *testing.T) {
	in := Input{
		Config: withAPI(&config.Config{Tiers: []config.Tier{tier1}, Coverage: []config.Coverage{{
			Name: "all", Tiers: []string{"TIER1"}, Pairs: tier1.Pairs, Intervals: []ohlc.Interval{1, 60, 720, 1440, 10080},
			Window: config.Window{From: at(t, "2025-01-01"), ToNow: true},
		}}}, 0),
		State: covered(map[ohlc.Series]ohlc.SpanSet{
			xbt60:   {span(t, "2026-05-02", "2026-05-03"), span(t, "2025-02-01", "2025-03-01")},
			eth1440: {span(t, "2026-01-01", "2026-02-01")},
		}),
		Inventory: inventory(fullDump(t, "full_2025", "2025-10-01",
			member(xbt60, "XBTUSD_60.csv", "sha256:a", krakencsv.Profile{Rows: 10}),
			member(eth1440, "ETHUSD_1440.csv", "sha256:b", krakencsv.Profile{Rows: 10}))),
		Now: at(t, "2026-05-15 10:17"),
	}
	first := Compute(in)
	if first.Summary().Requests != 8 {
		t.Fatalf("requests = %d, want one per series but the 720 ones: 8", first.Summary().Requests)
	}
	for range 20 {
		if diff := cmp.Diff(first, Compute(in)); diff != "" {
			t.Fatalf("plans differ (-first +again):\n%s", diff)
		}
	}
}
