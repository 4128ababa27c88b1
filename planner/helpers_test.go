package planner

import (
	"regexp"
	"strings"
	"testing"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
)

// The real fixtures' figures: rows and first/last candle of each file.
var (
	xbt1440 = ohlc.Series{Pair: "XBTUSD", Interval: 1440}
	eth1440 = ohlc.Series{Pair: "ETHUSD", Interval: 1440}
	xbt60   = ohlc.Series{Pair: "XBTUSD", Interval: 60}
	xbtWeek = ohlc.Series{Pair: "XBTUSD", Interval: 10080}

	profXBT1440In2021 = krakencsv.Profile{Rows: 2722, First: 1381017600, Last: 1617148800}
	profXBT1440In2022 = krakencsv.Profile{Rows: 3178, First: 1381017600, Last: 1656547200}
	profETH1440In2021 = krakencsv.Profile{Rows: 2058, First: 1438905600, Last: 1617148800}
	profXBT60In2020   = krakencsv.Profile{Rows: 50378, First: 1381093200, Last: 1601506800}
)

const cfgDir = "/home/u/candles"

func at(t testing.TB, v string) int64 {
	t.Helper()
	ts, err := ohlc.ParseTime(v)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func span(t testing.TB, from, to string) ohlc.Span {
	t.Helper()
	return ohlc.Span{Start: at(t, from), End: at(t, to)}
}

var tier1 = config.Tier{Name: "TIER1", Pairs: []string{"ETHUSD", "XBTUSD"}}

// block is a coverage block of TIER1's XBTUSD only, at the given interval,
// over a fixed window.
func block(t testing.TB, name string, iv ohlc.Interval, from, to string) config.Coverage {
	t.Helper()
	w := config.Window{From: at(t, from)}
	if to == "now" {
		w.ToNow = true
	} else {
		w.To = at(t, to)
	}
	return config.Coverage{Name: name, Tiers: []string{"TIER1"}, Pairs: []string{"XBTUSD"}, Intervals: []ohlc.Interval{iv}, Window: w}
}

func configOf(blocks ...config.Coverage) *config.Config {
	return &config.Config{Dir: cfgDir, Tiers: []config.Tier{tier1}, Coverage: blocks, Digest: "config-digest"}
}

func fullDump(t testing.TB, name, cutoff string, members ...krakencsv.Member) *krakencsv.Dump {
	t.Helper()
	for k := range members {
		members[k].Dump = name
	}
	return &krakencsv.Dump{
		Spec:    krakencsv.DumpSpec{Name: name, Path: cfgDir + "/dumps/" + name},
		Kind:    krakencsv.FullHistory,
		Cutoff:  at(t, cutoff),
		Members: members,
	}
}

// quarterlyZip is Kraken_OHLCVT_Qn_YYYY.zip holding members, or a folder
// of that quarter when folder is set.
func quarterlyDump(t testing.TB, name, quarterStart string, folder bool, members ...krakencsv.Member) *krakencsv.Dump {
	t.Helper()
	for k := range members {
		members[k].Dump = name
	}
	q := QuarterOf(at(t, quarterStart))
	path := cfgDir + "/dumps/" + name
	if !folder {
		path += ".zip"
	}
	return &krakencsv.Dump{
		Spec:    krakencsv.DumpSpec{Name: name, Path: path},
		Kind:    krakencsv.Quarterly,
		IsZip:   !folder,
		Quarter: q,
		Members: members,
	}
}

func member(s ohlc.Series, path, fingerprint string, pr krakencsv.Profile) krakencsv.Member {
	return krakencsv.Member{Path: path, Series: s, Size: pr.Rows * 50, Fingerprint: fingerprint, Profile: pr}
}

func inventory(dumps ...*krakencsv.Dump) *krakencsv.Inventory {
	return &krakencsv.Inventory{Dumps: dumps, Digest: "inventory-digest"}
}

func covered(spans map[ohlc.Series]ohlc.SpanSet) *state.Snapshot {
	return &state.Snapshot{Lineage: "lineage-1", Serial: 7, Coverage: spans}
}

// source is the CSVSource a load of m from d reads.
func source(d *krakencsv.Dump, m krakencsv.Member) *CSVSource {
	src := &CSVSource{Dump: d.Spec.Name, DumpPath: d.Spec.Path, IsZip: d.IsZip, Member: m.Path, Fingerprint: m.Fingerprint, Size: m.Size,
		First: m.Profile.First, Last: m.Profile.Last}
	if d.Kind == krakencsv.FullHistory {
		src.Until = d.Spec.Until
	}
	return src
}

func load(s ohlc.Series, sp ohlc.Span, src *CSVSource, estimate int64) Action {
	return Action{Kind: LoadCSV, Series: s, Span: sp, CSV: src, Estimate: estimate}
}

func gap(s ohlc.Series, sp ohlc.Span, r Reason, suggestion string) Action {
	return Action{Kind: Unfillable, Series: s, Span: sp, Reason: r, Suggestion: suggested(suggestion)}
}

// suggested is the suggestion the views phrase as text, so that tables
// of expected gaps read as a person reads the plan.
func suggested(text string) Suggestion {
	if text == "" {
		return Suggestion{}
	}
	if m := regexp.MustCompile(`^no Kraken download holds \d+-minute candles(; only| and the REST API serves only the latest 720: older)`).FindStringSubmatch(text); m != nil {
		if m[1] == "; only" {
			return Suggestion{Fix: FixAPIOnly}
		}
		return Suggestion{Fix: FixNever}
	}
	if m := regexp.MustCompile(`^(.*) in dump "(.*)" failed to load: (.*); replace the file$`).FindStringSubmatch(text); m != nil {
		return Suggestion{Fix: FixReplaceFile, Member: m[1], Dump: m[2], Error: m[3]}
	}
	zip, rest, _ := strings.Cut(text, " → ")
	if m := regexp.MustCompile(`^(\S+), once Kraken publishes it \(some weeks after (\S+)\)(; the REST API does not serve)?`).FindStringSubmatch(rest); m != nil {
		after, err := ohlc.ParseTime(m[2])
		if err != nil {
			panic(err)
		}
		return Suggestion{Fix: FixAwaitZip, Zip: zip, Member: m[1], PublishedAfter: after, NotInAPI: m[3] != ""}
	}
	member, how, _ := strings.Cut(rest, ": ")
	member = strings.TrimSuffix(member, " (full history)")
	if dir, ok := strings.CutPrefix(how, "copy the file into dump folder "); ok {
		return Suggestion{Fix: FixCopyFile, Zip: zip, Member: member, Dump: dir}
	}
	if how != "add the zip as a dump" {
		panic("unknown suggestion: " + text)
	}
	return Suggestion{Fix: FixAddZip, Zip: zip, Member: member}
}

// askedBy sets who asked for every action.
func askedBy(coverage, tiers []string, actions ...Action) []Action {
	for k := range actions {
		actions[k].Coverage = coverage
		actions[k].Tiers = tiers
	}
	return actions
}
