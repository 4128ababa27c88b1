package planfile

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"

	"github.com/google/go-cmp/cmp"
)

// docField is one row of the field table in docs/json-format.md:
// | `actions[].span.start` | string | … |
var docField = regexp.MustCompile("(?m)^\\| `([a-z_.\\[\\]]+)` \\| (string|integer|number|boolean|object|array) \\|")

// TestDocumentedFields checks the JSON candlekeep writes against the
// documentation: every field written is documented with its JSON type,
// and every documented field is written by a plan that has every kind of
// action.
func TestDocumentedFields(t *testing.T) {
	doc, err := os.ReadFile("../../docs/json-format.md")
	if err != nil {
		t.Fatal(err)
	}
	// Only the plan's own "## Fields" section: other sections document
	// other documents (apply events, reports) in tables of the same shape.
	fields := string(doc)
	if i := strings.Index(fields, "\n## Fields"); i >= 0 {
		fields = fields[i+1:]
		if j := strings.Index(fields, "\n## "); j >= 0 {
			fields = fields[:j]
		}
	}
	documented := map[string]string{}
	for _, m := range docField.FindAllStringSubmatch(fields, -1) {
		documented[m[1]] = m[2]
	}
	if len(documented) < 40 {
		t.Fatalf("found only %d fields in the documentation's table", len(documented))
	}

	p := samplePlan()
	p.Targets, p.Excludes = []string{"tier.TIER1"}, []string{"series.XBTUSD/60"}
	p.Sink = ohlc.SinkIdentity{Kind: "sqlite", Address: ".candlekeep/candles.db", Table: "candles", Incarnation: "0a1b"}
	// One lost part and one provisional, so the optional fields are
	// written.
	if len(p.Gaps) == 0 {
		t.Fatal("the sample plan has no unfillable gap")
	}
	p.Gaps[0].Known, p.Gaps[0].Lost = false, p.Gaps[0].Span
	for i, a := range p.Actions {
		if a.Kind == planner.BackfillAPI {
			p.Actions[i].Provisional = a.Span
			break
		}
	}
	var buf bytes.Buffer
	if err := Write(&buf, p, Meta{CandlekeepVersion: "dev"}); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	written := map[string]string{}
	walkJSON("", v, written)
	// The table lists a list's element fields ("tiers[].tier"), not its
	// elements themselves: objects, strings in the lists of names, or
	// positions in after.
	for path, typ := range written {
		if strings.HasSuffix(path, "[]") {
			if typ != "string" && typ != "object" && typ != "integer" {
				t.Errorf("%s: elements are %s", path, typ)
			}
			delete(written, path)
		}
	}
	if diff := cmp.Diff(documented, written); diff != "" {
		t.Errorf("docs/json-format.md and the JSON written differ (-documented +written):\n%s", diff)
	}
}

// walkJSON records the JSON type of every field under prefix.
func walkJSON(prefix string, v any, out map[string]string) {
	switch v := v.(type) {
	case map[string]any:
		if prefix != "" {
			out[prefix] = "object"
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			path := k
			if prefix != "" {
				path = prefix + "." + k
			}
			walkJSON(path, v[k], out)
		}
	case []any:
		out[prefix] = "array"
		for _, e := range v {
			walkJSON(prefix+"[]", e, out)
		}
	case string:
		out[prefix] = "string"
	case bool:
		out[prefix] = "boolean"
	case float64:
		out[prefix] = "integer"
		if v != float64(int64(v)) {
			out[prefix] = "number" // the sample plan's fractions
		}
	case nil:
		out[prefix] = "null"
	}
}

// TestNoSecretFields guards the promise that a plan file holds no
// connection settings: no field of the document is named like one.
func TestNoSecretFields(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, samplePlan(), Meta{}); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	fields := map[string]string{}
	walkJSON("", v, fields)
	secret := regexp.MustCompile(`(?i)dsn|conf\b|password|secret|token|addr|key`)
	for path := range fields {
		if secret.MatchString(path) {
			t.Errorf("field %s looks like a connection setting", path)
		}
	}
}
