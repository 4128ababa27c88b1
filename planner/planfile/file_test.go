package planfile

import (
	"time"

	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

const (
	jan2020 = 1577836800 // 2020-01-01
	apr2020 = 1585699200 // 2020-04-01
	jul2020 = 1593561600 // 2020-07-01
	now     = 1795825800 // 2026-11-28 00:30
)

// samplePlan has every kind of action and every optional field.
func samplePlan() *planner.Plan {
	xbt60 := ohlc.Series{Pair: "XBTUSD", Interval: 60}
	return &planner.Plan{
		Now: now, Lineage: "lin-1", Serial: 7, ConfigDigest: "cfg", InventoryDigest: "inv",
		Actions: []planner.Action{
			{Kind: planner.LoadCSV, Series: ohlc.Series{Pair: "ADAUSD", Interval: 1440}, Span: ohlc.Span{Start: jan2020, End: apr2020},
				Coverage: []string{"daily"}, Tiers: []string{"TIER1", "TIER2"}, Estimate: 91,
				CSV: &planner.CSVSource{Dump: "daily", DumpPath: "data/daily.zip", IsZip: true, Member: "Kraken_OHLCVT/ADAUSD_1440.csv", Fingerprint: "fp-ada", Size: 4096}},
			{Kind: planner.LoadCSV, Series: xbt60, Span: ohlc.Span{Start: jan2020, End: apr2020},
				Coverage: []string{"hourly"}, Estimate: 2184,
				CSV: &planner.CSVSource{Dump: "hourly", DumpPath: "data/hourly", Member: "XBTUSD_60.csv", Fingerprint: "fp-xbt", Size: 123456, ModTime: 1700000000123456789, Until: 1601510400, First: 1381093200, Last: 1601506800}},
			{Kind: planner.BackfillAPI, Series: xbt60, Span: ohlc.Span{Start: apr2020, End: jul2020},
				Coverage: []string{"hourly"}, Estimate: 2184, Requests: 4, After: []int{1}},
			{Kind: planner.Derive, Series: ohlc.Series{Pair: "XBTUSD", Interval: 1440}, Span: ohlc.Span{Start: jan2020, End: apr2020},
				Coverage: []string{"daily"}, Estimate: 91, From: 60, After: []int{1}},
			{Kind: planner.RebuildTrades, Series: ohlc.Series{Pair: "ETHUSD", Interval: 60}, Span: ohlc.Span{Start: jan2020, End: jan2020 + 4*86400},
				Coverage: []string{"hourly"}, Tiers: []string{"TIER1"}, Estimate: 52, Requests: 12, Trades: 11500, Basis: "default", Duration: 24 * time.Second, Rate: 0.5,
				Builds: []planner.Build{{Interval: 60, Span: ohlc.Span{Start: jan2020, End: jan2020 + 2*86400}}, {Interval: 1440, Span: ohlc.Span{Start: jan2020, End: jan2020 + 4*86400}}}},
		},
		Deferred: []planner.Gap{
			{Series: ohlc.Series{Pair: "ETHUSD", Interval: 1440}, Span: ohlc.Span{Start: jan2020 + 4*86400, End: jan2020 + 9*86400},
				Coverage: []string{"hourly"}, Tiers: []string{"TIER1"}, Reason: planner.ReasonDeferredBudget, Suggestion: planner.Suggestion{Fix: planner.FixNextRun, Budget: "max_requests = 7"}},
		},
		// A gap is written among the actions, as kind unfillable, and
		// read back as a gap.
		Gaps: []planner.Gap{
			{Series: xbt60, Span: ohlc.Span{Start: jul2020, End: jul2020 + 86400},
				Coverage: []string{"hourly"}, Reason: planner.ReasonNotPublished, Suggestion: planner.Suggestion{Fix: planner.FixAddZip, Zip: "Kraken_OHLCVT_Q3_2020.zip", Member: "XBTUSD_60.csv"},
				Known: true},
		},
		Warnings: []planner.Warning{
			{Code: planner.WarnBeforeKrakenHistory, Coverage: "hourly", Span: ohlc.Span{Start: -2208988800, End: ohlc.KrakenFirstTrade}},
			{Code: planner.WarnNoLongerConfigured, Series: ohlc.Series{Pair: "XMRUSD", Interval: 1440}, Candles: 821, CandlesEstimated: true},
			// A pair rather than a series, with hints, as other warnings have.
			{Code: "unknown_pair", Pair: "FOOUSD", Hints: []string{"FOOUSDT"}},
			{Code: planner.WarnUnknownPair, Pair: "XBTUDS", Hints: []string{"XBTUSD"}},
			// Every field a warning can have, for the documentation test.
			{Code: "test_code", Series: xbt60, Pair: "XBTUSD", Span: ohlc.Span{Start: jan2020, End: apr2020}},
		},
	}
}

func TestRoundTrip(t *testing.T) {
	for name, p := range map[string]*planner.Plan{
		"every kind": samplePlan(),
		"no actions": {Now: now, Lineage: "lin", Serial: 1, ConfigDigest: "c", InventoryDigest: "i"},
		"partial": {Now: now, Lineage: "lin", Serial: 1, ConfigDigest: "c", InventoryDigest: "i",
			Targets: []string{"series.XBTUSD/60", "tier.TIER1"}, Scope: []ohlc.Series{{Pair: "ETHUSD", Interval: 60}, {Pair: "XBTUSD", Interval: 60}}},
		"excludes only": {Now: now, Lineage: "lin", Serial: 1, ConfigDigest: "c", InventoryDigest: "i",
			Excludes: []string{"tier.TIER2"}, Scope: []ohlc.Series{{Pair: "XBTUSD", Interval: 60}}},
		"targets and excludes": {Now: now, Lineage: "lin", Serial: 1, ConfigDigest: "c", InventoryDigest: "i",
			Targets: []string{"tier.TIER1"}, Excludes: []string{"series.XBTUSD/60"}, Scope: []ohlc.Series{{Pair: "ETHUSD", Interval: 60}}},
		"everything excluded": {Now: now, Lineage: "lin", Serial: 1, ConfigDigest: "c", InventoryDigest: "i",
			Targets: []string{"tier.TIER2"}, Excludes: []string{"tier.TIER2"}},
		"a sink, checked": {Now: now, Lineage: "lin", Serial: 1, ConfigDigest: "c", InventoryDigest: "i",
			Sink: ohlc.SinkIdentity{Kind: "sqlite", Address: ".candlekeep/candles.db", Table: "candles", Incarnation: "0a1b"}, SinkChecked: true},
		"a sink, not checked": {Now: now, Lineage: "lin", Serial: 1, ConfigDigest: "c", InventoryDigest: "i",
			Sink: ohlc.SinkIdentity{Kind: "questdb", Address: "db:9000", Table: "candles", Incarnation: "table-id-3:candles~3"}},
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, p, Meta{CandlekeepVersion: "1.2.3"}); err != nil {
				t.Fatal(err)
			}
			got, meta, err := Read(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(p, got); diff != "" {
				t.Errorf("plan changed on the way through the file (-wrote +read):\n%s", diff)
			}
			if diff := cmp.Diff(Meta{FormatVersion: FormatVersion, CandlekeepVersion: "1.2.3"}, meta); diff != "" {
				t.Errorf("meta (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDocument(t *testing.T) {
	d := NewDocument(samplePlan(), Meta{CandlekeepVersion: "dev"})
	if d.PlannedAt != "2026-11-28T00:30:00Z" || !d.HasChanges || d.PlanDigest != samplePlan().Digest() {
		t.Errorf("planned_at %q, has_changes %v, plan_digest %q", d.PlannedAt, d.HasChanges, d.PlanDigest)
	}
	wantSummary := Summary{Loads: 2, LoadCandles: 2275, Backfills: 1, BackfillCandles: 2184, Requests: 4, Derives: 1, DeriveCandles: 91,
		Unfillable: 1, UnfillableCandleSlots: 24, UnfillableKnown: 1,
		Rebuilds: 1, RebuildCandles: 52, RebuildTrades: 11500, RebuildRequests: 12, RebuildSeconds: 24, Deferred: 1, DeferredCandles: 5}
	if diff := cmp.Diff(wantSummary, d.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	wantTiers := []TierTotal{
		// A rebuild counts its candles only, as a derive.
		{Tier: "TIER1", Interval: 60, Candles: 52},
		{Tier: "TIER1", Interval: 1440, Loads: 1, Candles: 91},
		{Tier: "TIER2", Interval: 1440, Loads: 1, Candles: 91},
		{Tier: "", Interval: 60, Loads: 1, Backfills: 1, Unfillable: 1, UnfillableKnown: 1, Candles: 4368},
		{Tier: "", Interval: 1440, Derives: 1, Candles: 91},
	}
	if diff := cmp.Diff(wantTiers, d.Tiers); diff != "" {
		t.Errorf("tier totals (-want +got):\n%s", diff)
	}
	a := d.Actions[1]
	if a.Series != "XBTUSD/60" || a.Span != (Span{Start: "2020-01-01T00:00:00Z", End: "2020-04-01T00:00:00Z"}) ||
		a.Source.ModTime != "2023-11-14T22:13:20.123456789Z" || a.Tiers == nil {
		t.Errorf("action 2 = %+v, source %+v", a, a.Source)
	}
}

func TestReadRefuses(t *testing.T) {
	var good bytes.Buffer
	if err := Write(&good, samplePlan(), Meta{CandlekeepVersion: "dev"}); err != nil {
		t.Fatal(err)
	}
	valid := good.String()
	tests := []struct {
		name, file, want string
	}{
		{"empty", "", "the plan file is empty"},
		{"blank", " \n", "the plan file is empty"},
		{"truncated", valid[:len(valid)/2], "the plan file is truncated: its JSON ends after"},
		{"not JSON", "dump \"x\" {\n  path = \"y\"\n}\n", "not a candlekeep plan: the file is not JSON"},
		{"JSON array", "[1, 2]", "not a candlekeep plan: the file holds a JSON array, not an object"},
		{"other JSON", `{"name": "package.json"}`, "not a candlekeep plan: the JSON has no format_version"},
		{"numeric version", `{"format_version": 1}`, "format_version is 1, not a string"},
		{"bad version", `{"format_version": "one"}`, `format_version "one" is not MAJOR.MINOR`},
		{"future major", strings.Replace(valid, `"`+FormatVersion+`"`, `"2.3"`, 1), "plan file format 2.x is newer than this candlekeep understands (1.x)"},
		{"old major", strings.Replace(valid, `"`+FormatVersion+`"`, `"0.9"`, 1), `plan file format "0.9" is older`},
		{"edited span", strings.Replace(valid, `"2020-07-01T00:00:00Z"`, `"2020-06-01T00:00:00Z"`, 1), "the plan file was edited"},
		{"edited kind", strings.Replace(valid, `"kind": "backfill_api"`, `"kind": "unfillable"`, 1), "the plan file was edited"},
		{"unknown kind", strings.Replace(valid, `"kind": "backfill_api"`, `"kind": "delete"`, 1), `action 3: unknown kind "delete"`},
		{"series mismatch", strings.Replace(valid, `"pair": "ADAUSD"`, `"pair": "XBTUSD"`, 1), "does not match pair"},
		{"bad time", strings.Replace(valid, `"planned_at": "2026-11-28T00:30:00Z"`, `"planned_at": "yesterday"`, 1), `planned_at "yesterday" is not an RFC 3339 time`},
		{"edited targets", strings.Replace(partialFile(t), `"tier.TIER1"`, `"tier.TIER2"`, 1), "the plan file was edited"},
		{"no digest", strings.Replace(valid, `"plan_digest"`, `"other_digest"`, 1), "it has no plan_digest"},
		{"wrong type", strings.Replace(valid, `"serial": 7`, `"serial": "7"`, 1), "not a candlekeep plan: json: cannot unmarshal string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.file == valid {
				t.Fatal("the test's replacement changed nothing")
			}
			_, _, err := Read(strings.NewReader(tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Read = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestReadAcceptsNewerMinorVersion(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, samplePlan(), Meta{CandlekeepVersion: "dev"}); err != nil {
		t.Fatal(err)
	}
	// A 1.x reader ignores the fields a later 1.y adds.
	newer := strings.Replace(buf.String(), `"format_version": "`+FormatVersion+`",`, `"format_version": "1.9", "ignored": ["tier.TIER1"],`, 1)
	p, meta, err := Read(strings.NewReader(newer))
	if err != nil {
		t.Fatal(err)
	}
	if meta.FormatVersion != "1.9" || len(p.Actions) != 5 || len(p.Gaps) != 1 {
		t.Errorf("format %q, %d actions, %d gaps", meta.FormatVersion, len(p.Actions), len(p.Gaps))
	}
}

// TestReadsFormat1_0: a plan saved before excludes existed (format 1.0,
// no "excludes" field) reads back as the plan it was, digest included.
func TestReadsFormat1_0(t *testing.T) {
	p := samplePlan()
	p.Targets, p.Scope = []string{"tier.TIER1"}, []ohlc.Series{{Pair: "ADAUSD", Interval: 1440}}
	var buf bytes.Buffer
	if err := Write(&buf, p, Meta{}); err != nil {
		t.Fatal(err)
	}
	old := strings.Replace(buf.String(), `"format_version": "`+FormatVersion+`",`, `"format_version": "1.0",`, 1)
	old = strings.Replace(old, "\n  \"excludes\": [],", "", 1)
	if strings.Contains(old, "excludes") || !strings.Contains(old, `"1.0"`) {
		t.Fatalf("the test's replacements failed:\n%s", old)
	}
	got, meta, err := Read(strings.NewReader(old))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("plan (-wrote +read):\n%s", diff)
	}
	if meta.FormatVersion != "1.0" {
		t.Errorf("format %q, want 1.0", meta.FormatVersion)
	}
}

// partialFile is a saved partial plan.
func partialFile(t *testing.T) string {
	p := samplePlan()
	p.Targets, p.Scope = []string{"tier.TIER1"}, []ohlc.Series{{Pair: "ADAUSD", Interval: 1440}}
	var buf bytes.Buffer
	if err := Write(&buf, p, Meta{}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
