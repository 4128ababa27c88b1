package planfile

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// FuzzRead feeds arbitrary bytes to the plan reader. It must never panic,
// and a plan it accepts must write back to a file that reads as the same
// plan. Since almost any change to a real plan breaks its digest, each
// input is also read once more with its digest recomputed, so the checks
// behind the digest get fuzzed too.
func FuzzRead(f *testing.F) {
	for _, p := range []*planner.Plan{
		samplePlan(),
		{Now: now, Lineage: "lin", Serial: 1, ConfigDigest: "c", InventoryDigest: "i"},
		{Now: now, Lineage: "lin", Serial: 1, ConfigDigest: "c", InventoryDigest: "i",
			Targets: []string{"series.XBTUSD/60", "tier.TIER1"}, Scope: []ohlc.Series{{Pair: "ETHUSD", Interval: 60}, {Pair: "XBTUSD", Interval: 60}}},
	} {
		var buf bytes.Buffer
		if err := Write(&buf, p, Meta{CandlekeepVersion: "1.2.3"}); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte(`{"format_version":"2.0"}`))
	f.Add([]byte(`{"format_version":"1.0","planned_at":"2026-11-28T00:30:00Z","plan_digest":"x"`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if p, meta, err := Read(bytes.NewReader(data)); err == nil {
			checkRewrite(t, p, meta)
		}
		var d Document
		if json.Unmarshal(data, &d) != nil || checkVersion(data) != nil {
			return
		}
		p, err := d.decode()
		if err != nil {
			return
		}
		// A file's time must stay the instant the document says.
		for i, a := range d.Actions {
			if a.Source == nil || a.Source.ModTime == "" {
				continue
			}
			want, _ := time.Parse(time.RFC3339Nano, a.Source.ModTime)
			if got := time.Unix(0, p.Actions[i].CSV.ModTime); !got.Equal(want) {
				t.Fatalf("action %d: mod_time %q read as %v", i+1, a.Source.ModTime, got.UTC())
			}
		}
		d.PlanDigest = p.Digest()
		resigned, err := json.Marshal(&d)
		if err != nil {
			t.Fatal(err)
		}
		got, meta, err := Read(bytes.NewReader(resigned))
		if err != nil {
			t.Fatalf("a decodable plan with its digest recomputed is refused: %v\n%s", err, resigned)
		}
		if diff := cmp.Diff(p, got); diff != "" {
			t.Fatalf("plan differs once its digest is recomputed (-decoded +read):\n%s", diff)
		}
		checkRewrite(t, got, meta)
	})
}

// checkRewrite writes an accepted plan and reads it again: the same plan
// must come back, and writing that gives the same bytes.
func checkRewrite(t *testing.T, p *planner.Plan, meta Meta) {
	t.Helper()
	var first, second bytes.Buffer
	if err := Write(&first, p, meta); err != nil {
		t.Fatal(err)
	}
	again, meta2, err := Read(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatalf("an accepted plan, written again, is refused: %v\n%s", err, first.Bytes())
	}
	if diff := cmp.Diff(p, again); diff != "" {
		t.Fatalf("plan changed on the way through the file (-read +reread):\n%s", diff)
	}
	if meta2.CandlekeepVersion != meta.CandlekeepVersion || meta2.FormatVersion != FormatVersion {
		t.Fatalf("meta %+v, then %+v", meta, meta2)
	}
	if err := Write(&second, again, meta2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Fatalf("writing the plan again gives other bytes:\n%s\nthen\n%s", first.Bytes(), second.Bytes())
	}
}
