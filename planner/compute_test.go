package planner

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
)

func TestCompute(t *testing.T) {
	majors := []string{"daily"}
	tiers := []string{"TIER1"}
	mXBT2021 := member(xbt1440, "XBTUSD_1440.csv", "sha256:xbt-2021", profXBT1440In2021)
	mXBT2022 := member(xbt1440, "XBTUSD_1440.csv", "sha256:xbt-2022", profXBT1440In2022)
	mXBTQ2 := member(xbt1440, "master_q2/XBTUSD_1440.csv", "crc32:0badf00d:4550",
		krakencsv.Profile{Rows: 91, First: at(t, "2021-04-01"), Last: at(t, "2021-06-30")})
	mETHQ2 := member(eth1440, "ETHUSD_1440.csv", "sha256:eth-q2", krakencsv.Profile{Rows: 91})
	full2021 := fullDump(t, "full_2021", "2021-04-01", mXBT2021)
	full2022 := fullDump(t, "full_2022", "2022-07-01", mXBT2022)
	q2zip := quarterlyDump(t, "Kraken_OHLCVT_Q2_2021", "2021-04-01", false, mXBTQ2)
	q2folder := quarterlyDump(t, "q2_2021", "2021-04-01", true, mETHQ2)
	fullA := fullDump(t, "full_a", "2021-04-01", mXBT2021)
	fullB := fullDump(t, "full_b", "2021-04-01", mXBT2021)
	mXBT60 := member(xbt60, "XBTUSD_60.csv", "sha256:xbt60-2026", krakencsv.Profile{Rows: 2000, First: at(t, "2026-01-01"), Last: at(t, "2026-03-31 23:00")})
	full2026 := fullDump(t, "full_2026", "2026-04-01", mXBT60)
	failed := func(d *krakencsv.Dump, msg string) *state.Snapshot {
		m := d.Members[0]
		f := state.FileRecord{Fingerprint: m.Fingerprint, Dump: d.Spec.Name, Member: m.Path, Status: state.FileFailed, Error: msg}
		return &state.Snapshot{Files: map[state.FileKey]state.FileRecord{f.Key(): f}}
	}
	lookback := config.Coverage{Name: "recent", Pairs: []string{"XBTUSD"}, Intervals: []ohlc.Interval{60},
		Window: config.Window{ToNow: true, Lookback: 30 * 86400}}
	const badRow = "XBTUSD_1440.csv line 12: 6 fields, want 7"
	q2Zip21 := "Kraken_OHLCVT_Q2_2021.zip → XBTUSD_1440.csv: add the zip as a dump"

	tests := []struct {
		name  string
		cfg   *config.Config
		state *state.Snapshot
		inv   *krakencsv.Inventory
		now   string
		want  []Action
	}{
		{
			name: "nothing covered, one full dump: one load",
			cfg:  configOf(block(t, "daily", 1440, "2020-01-01", "2021-01-01")),
			inv:  inventory(full2021),
			now:  "2024-05-15",
			want: askedBy(majors, tiers, load(xbt1440, span(t, "2020-01-01", "2021-01-01"), source(full2021, mXBT2021), 364)),
		},
		{
			name:  "resume after a checkpoint: the rest only",
			cfg:   configOf(block(t, "daily", 1440, "2020-01-01", "2021-01-01")),
			state: covered(map[ohlc.Series]ohlc.SpanSet{xbt1440: {span(t, "2020-01-01", "2020-06-01")}}),
			inv:   inventory(full2021),
			now:   "2024-05-15",
			want:  askedBy(majors, tiers, load(xbt1440, span(t, "2020-06-01", "2021-01-01"), source(full2021, mXBT2021), 213)),
		},
		{
			name: "two full snapshots: the newer alone",
			cfg:  configOf(block(t, "daily", 1440, "2020-01-01", "2022-01-01")),
			inv:  inventory(full2021, full2022),
			now:  "2024-05-15",
			want: askedBy(majors, tiers, load(xbt1440, span(t, "2020-01-01", "2022-01-01"), source(full2022, mXBT2022), 728)),
		},
		{
			name: "full history, then a quarterly zip",
			cfg:  configOf(block(t, "daily", 1440, "2021-01-01", "2021-07-01")),
			inv:  inventory(q2zip, full2021),
			now:  "2024-05-15",
			want: askedBy(majors, tiers,
				load(xbt1440, span(t, "2021-01-01", "2021-04-01"), source(full2021, mXBT2021), 89),
				load(xbt1440, span(t, "2021-04-01", "2021-07-01"), source(q2zip, mXBTQ2), 91)),
		},
		{
			name: "the same content in two dumps is loaded once, from the first",
			cfg:  configOf(block(t, "daily", 1440, "2020-01-01", "2021-01-01")),
			inv:  inventory(fullA, fullB),
			now:  "2024-05-15",
			want: askedBy(majors, tiers, load(xbt1440, span(t, "2020-01-01", "2021-01-01"), source(fullA, mXBT2021), 364)),
		},
		{
			name: "window past every dump: the quarterly zips that would fill it",
			cfg:  configOf(block(t, "daily", 1440, "2021-01-01", "2021-10-01")),
			inv:  inventory(full2021),
			now:  "2024-05-15",
			want: askedBy(majors, tiers,
				load(xbt1440, span(t, "2021-01-01", "2021-04-01"), source(full2021, mXBT2021), 89),
				gap(xbt1440, span(t, "2021-04-01", "2021-07-01"), ReasonNoDump, q2Zip21),
				gap(xbt1440, span(t, "2021-07-01", "2021-10-01"), ReasonNoDump,
					"Kraken_OHLCVT_Q3_2021.zip → XBTUSD_1440.csv: add the zip as a dump")),
		},
		{
			name: "a quarterly folder lacking the file: copy it in",
			cfg:  configOf(block(t, "daily", 1440, "2021-01-01", "2021-07-01")),
			inv:  inventory(full2021, q2folder),
			now:  "2024-05-15",
			want: askedBy(majors, tiers,
				load(xbt1440, span(t, "2021-01-01", "2021-04-01"), source(full2021, mXBT2021), 89),
				gap(xbt1440, span(t, "2021-04-01", "2021-07-01"), ReasonNoDump,
					"Kraken_OHLCVT_Q2_2021.zip → XBTUSD_1440.csv: copy the file into dump folder dumps/q2_2021")),
		},
		{
			name: "no dumps at all: the full history, then the unpublished quarter",
			cfg:  configOf(block(t, "daily", 1440, "2019-01-01", "now")),
			now:  "2024-05-15 10:00",
			want: askedBy(majors, tiers,
				gap(xbt1440, span(t, "2019-01-01", "2024-04-01"), ReasonNoDump,
					"Kraken_OHLCVT.zip → XBTUSD_1440.csv (full history): add the zip as a dump"),
				gap(xbt1440, span(t, "2024-04-01", "2024-05-15"), ReasonNotPublished,
					"Kraken_OHLCVT_Q2_2024.zip → XBTUSD_1440.csv, once Kraken publishes it (some weeks after 2024-07-01)")),
		},
		{
			name: "current quarter with a lookback: not published",
			cfg:  &config.Config{Coverage: []config.Coverage{lookback}},
			inv:  inventory(full2026),
			now:  "2026-05-15 12:30",
			want: askedBy([]string{"recent"}, nil,
				gap(xbt60, span(t, "2026-04-15 12:00", "2026-05-15 12:00"), ReasonNotPublished,
					"Kraken_OHLCVT_Q2_2026.zip → XBTUSD_60.csv, once Kraken publishes it (some weeks after 2026-07-01)")),
		},
		{
			name: "a quarter that ended within the publish lag is not published either",
			cfg:  configOf(block(t, "daily", 1440, "2026-03-01", "now")),
			now:  "2026-04-10 08:00",
			want: askedBy(majors, tiers,
				gap(xbt1440, span(t, "2026-03-01", "2026-04-01"), ReasonNotPublished,
					"Kraken_OHLCVT_Q1_2026.zip → XBTUSD_1440.csv, once Kraken publishes it (some weeks after 2026-04-01)"),
				gap(xbt1440, span(t, "2026-04-01", "2026-04-10"), ReasonNotPublished,
					"Kraken_OHLCVT_Q2_2026.zip → XBTUSD_1440.csv, once Kraken publishes it (some weeks after 2026-07-01)")),
		},
		{
			name: "weekly candles are in no download",
			cfg:  configOf(block(t, "weekly", 10080, "2024-01-04", "2024-03-07")),
			inv:  inventory(full2021),
			now:  "2024-05-15",
			want: askedBy([]string{"weekly"}, tiers,
				gap(xbtWeek, span(t, "2024-01-04", "2024-03-07"), ReasonNotInCSV,
					"no Kraken download holds 10080-minute candles; only the REST API serves them, and only the latest 720")),
		},
		{
			name: "to = now stops at the forming candle",
			cfg:  &config.Config{Coverage: []config.Coverage{{Name: "today", Pairs: []string{"XBTUSD"}, Intervals: []ohlc.Interval{60, 1440}, Window: config.Window{From: at(t, "2021-02-10"), ToNow: true}}}},
			now:  "2021-02-10 12:30",
			want: askedBy([]string{"today"}, nil,
				gap(xbt60, span(t, "2021-02-10", "2021-02-10 12:00"), ReasonNotPublished,
					"Kraken_OHLCVT_Q1_2021.zip → XBTUSD_60.csv, once Kraken publishes it (some weeks after 2021-04-01)")),
		},
		{
			name: "two blocks on one series: union, both names, the tier",
			cfg: configOf(
				block(t, "majors", 1440, "2020-01-01", "2020-07-01"),
				config.Coverage{Name: "extra", Pairs: []string{"XBTUSD"}, Intervals: []ohlc.Interval{1440},
					Window: config.Window{From: at(t, "2020-06-01"), To: at(t, "2021-01-01")}}),
			inv:  inventory(full2021),
			now:  "2024-05-15",
			want: askedBy([]string{"extra", "majors"}, tiers, load(xbt1440, span(t, "2020-01-01", "2021-01-01"), source(full2021, mXBT2021), 364)),
		},
		{
			name:  "everything covered: no actions",
			cfg:   configOf(block(t, "daily", 1440, "2020-01-01", "2021-01-01")),
			state: covered(map[ohlc.Series]ohlc.SpanSet{xbt1440: {span(t, "2019-01-01", "2022-01-01")}}),
			inv:   inventory(full2021),
			now:   "2024-05-15",
		},
		{
			name:  "a failed file is not planned again",
			cfg:   configOf(block(t, "daily", 1440, "2020-01-01", "2021-01-01")),
			state: failed(full2021, badRow),
			inv:   inventory(full2021),
			now:   "2024-05-15",
			want: askedBy(majors, tiers, gap(xbt1440, span(t, "2020-01-01", "2021-01-01"), ReasonFileFailed,
				`XBTUSD_1440.csv in dump "full_2021" failed to load: `+badRow+"; replace the file")),
		},
		{
			name:  "a failed newer snapshot: the older one loads what it holds",
			cfg:   configOf(block(t, "daily", 1440, "2020-01-01", "2022-01-01")),
			state: failed(full2022, badRow),
			inv:   inventory(full2021, full2022),
			now:   "2024-05-15",
			want: askedBy(majors, tiers,
				load(xbt1440, span(t, "2020-01-01", "2021-04-01"), source(full2021, mXBT2021), 453),
				gap(xbt1440, span(t, "2021-04-01", "2022-01-01"), ReasonFileFailed,
					`XBTUSD_1440.csv in dump "full_2022" failed to load: `+badRow+"; replace the file")),
		},
		{
			name: "a series missing from the full dump: the full history up to its cutoff, then quarters",
			cfg: &config.Config{Coverage: []config.Coverage{{Name: "eth", Pairs: []string{"ETHUSD"}, Intervals: []ohlc.Interval{1440},
				Window: config.Window{From: at(t, "2022-01-01"), To: at(t, "2022-10-01")}}}},
			inv: inventory(full2022),
			now: "2024-05-15",
			want: askedBy([]string{"eth"}, nil,
				gap(eth1440, span(t, "2022-01-01", "2022-07-01"), ReasonNoDump,
					"Kraken_OHLCVT.zip → ETHUSD_1440.csv (full history): add the zip as a dump"),
				gap(eth1440, span(t, "2022-07-01", "2022-10-01"), ReasonNoDump,
					"Kraken_OHLCVT_Q3_2022.zip → ETHUSD_1440.csv: add the zip as a dump")),
		},
		{
			name: "a full dump without a cutoff vouches for nothing",
			cfg:  configOf(block(t, "daily", 1440, "2020-01-01", "2021-01-01")),
			inv:  inventory(&krakencsv.Dump{Spec: krakencsv.DumpSpec{Name: "empty"}, Kind: krakencsv.FullHistory, Members: []krakencsv.Member{mXBT2021}}),
			now:  "2024-05-15",
			want: askedBy(majors, tiers, gap(xbt1440, span(t, "2020-01-01", "2021-01-01"), ReasonNoDump,
				"Kraken_OHLCVT.zip → XBTUSD_1440.csv (full history): add the zip as a dump")),
		},
		{
			name:  "a loaded file's record does not block it",
			cfg:   configOf(block(t, "daily", 1440, "2019-01-01", "2021-01-01")),
			state: &state.Snapshot{Coverage: map[ohlc.Series]ohlc.SpanSet{xbt1440: {span(t, "2020-01-01", "2021-01-01")}}, Files: map[state.FileKey]state.FileRecord{{Fingerprint: "sha256:xbt-2021", Dump: "full_2021", Member: "XBTUSD_1440.csv"}: {Status: state.FileLoaded}}},
			inv:   inventory(full2021),
			now:   "2024-05-15",
			want:  askedBy(majors, tiers, load(xbt1440, span(t, "2019-01-01", "2020-01-01"), source(full2021, mXBT2021), 363)),
		},
		{
			name: "nil state and nil inventory",
			cfg:  configOf(block(t, "daily", 1440, "2020-01-01", "2021-01-01")),
			now:  "2024-05-15",
			want: askedBy(majors, tiers, gap(xbt1440, span(t, "2020-01-01", "2021-01-01"), ReasonNoDump,
				"Kraken_OHLCVT.zip → XBTUSD_1440.csv (full history): add the zip as a dump")),
		},
		{
			name: "nil configuration",
			inv:  inventory(full2021),
			now:  "2024-05-15",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plan := Compute(Input{Config: tc.cfg, State: tc.state, Inventory: tc.inv, Now: at(t, tc.now)})
			if diff := cmp.Diff(tc.want, plan.Listing()); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
		})
	}
}

func TestComputeRecordsWhatItWasComputedFrom(t *testing.T) {
	now := at(t, "2024-05-15 10:30")
	plan := Compute(Input{
		Config:    configOf(block(t, "daily", 1440, "2020-01-01", "2021-01-01")),
		State:     covered(nil),
		Inventory: inventory(),
		Now:       now,
	})
	want := Plan{Now: now, Lineage: "lineage-1", Serial: 7, ConfigDigest: "config-digest", InventoryDigest: "inventory-digest"}
	got := *plan
	got.Actions, got.Gaps = nil, nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("plan header (-want +got):\n%s", diff)
	}
}
