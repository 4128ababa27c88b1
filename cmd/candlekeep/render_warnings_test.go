package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/planner"
)

func TestPairWarningText(t *testing.T) {
	tests := []struct {
		w    planner.Warning
		want string
	}{
		{planner.Warning{Code: planner.WarnUnknownPair, Pair: "FOOBAR"},
			`pair "FOOBAR" is in no dump and not in Kraken's pair list, so nothing is planned for it.`},
		{planner.Warning{Code: planner.WarnUnknownPair, Pair: "XBTUSDT", Hints: []string{"XBTUSD", "XBTUSDC"}},
			`pair "XBTUSDT" is in no dump and not in Kraken's pair list, so nothing is planned for it. Did you mean "XBTUSD" or "XBTUSDC"?`},
		{planner.Warning{Code: planner.WarnPairInternalName, Pair: "XXMRZUSD", Hints: []string{"XMRUSD"}},
			`pair "XXMRZUSD" is Kraken's internal name for "XMRUSD"; pairs are configured by altname, as dumps, state and the sink name them, so nothing is planned for it.`},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, warningText(tc.w)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.w.Pair, diff)
		}
	}
}

// In a pull-request comment a warning is an item of the warnings list,
// escaped.
func TestMarkdownUnknownPairWarning(t *testing.T) {
	var b strings.Builder
	writeMarkdownWarnings(&b, []planner.Warning{{Code: planner.WarnUnknownPair, Pair: "FOO_BAR"}}, "plan.tfplan")
	want := "\n**Warnings:**\n\n- pair \"FOO\\_BAR\" is in no dump and not in Kraken's pair list, so nothing is planned for it.\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
