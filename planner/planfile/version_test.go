package planfile

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A plan saved by a 1.0 candlekeep has no warnings and no known marks; it
// reads as a plan with none, and its digest still holds.
func TestReadsFormat1_0WithoutWarnings(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, samplePlan(), Meta{CandlekeepVersion: "dev"}); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	doc["format_version"] = "1.0"
	delete(doc, "warnings")
	delete(doc["summary"].(map[string]any), "unfillable_known")
	for _, tt := range doc["tiers"].([]any) {
		delete(tt.(map[string]any), "unfillable_known")
	}
	for _, a := range doc["actions"].([]any) {
		delete(a.(map[string]any), "known")
	}
	old, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	got, meta, err := Read(bytes.NewReader(old))
	if err != nil {
		t.Fatal(err)
	}
	want := samplePlan()
	want.Warnings = nil
	for i := range want.Gaps {
		want.Gaps[i].Known = false
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("1.0 plan (-want +got):\n%s", diff)
	}
	if meta.FormatVersion != "1.0" {
		t.Errorf("format %q", meta.FormatVersion)
	}
}
