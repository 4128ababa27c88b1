package questdbtest

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// parsed renders what the parser made of body, one string per line.
func parsed(body string, prec precision) ([]string, error) {
	var p ilpParser
	var out []string
	err := p.parse([]byte(body), prec, func(ln *ilpLine) error {
		var sb strings.Builder
		fmt.Fprintf(&sb, "%d %q", ln.no, ln.table)
		for _, e := range ln.entries {
			fmt.Fprintf(&sb, " %q:%s=", e.name, e.kind)
			switch e.kind {
			case kindTag, kindString:
				fmt.Fprintf(&sb, "%q", e.text)
			case kindFloat:
				sb.WriteString(strconv.FormatFloat(e.num, 'g', -1, 64))
			case kindInteger, kindTimestamp:
				sb.WriteString(strconv.FormatInt(e.int, 10))
			case kindBoolean:
				sb.WriteString(strconv.FormatBool(e.bool))
			}
		}
		if ln.hasTS {
			fmt.Fprintf(&sb, " @%d", ln.ts)
		}
		out = append(out, sb.String())
		return nil
	})
	return out, err
}

func TestParseValidLines(t *testing.T) {
	cases := []struct {
		name string
		body string
		want []string
	}{
		{"candle as the client writes it",
			"candles,pair=XBTUSD,interval=60 open=42150.1,high=42200,low=42000.5,close=42100,volume=12.5,trades=12i 1704067200000000000\n",
			[]string{`1 "candles" "pair":TAG="XBTUSD" "interval":TAG="60" "open":FLOAT=42150.1 "high":FLOAT=42200 "low":FLOAT=42000.5 "close":FLOAT=42100 "volume":FLOAT=12.5 "trades":INTEGER=12 @1704067200000000`}},
		{"no trailing newline, no timestamp",
			"m f=1",
			[]string{`1 "m" "f":FLOAT=1`}},
		{"blank lines are skipped and not counted",
			"\nm f=1\n\n\nm f=2\n",
			[]string{`1 "m" "f":FLOAT=1`, `2 "m" "f":FLOAT=2`}},
		{"escapes in table, tag and field names and tag values",
			`my\ table,ta\,g=v\ a\,l\=ue fi\=eld=1i`,
			[]string{`1 "my table" "ta,g":TAG="v a,l=ue" "fi=eld":INTEGER=1`}},
		{"escaped newline in a tag value",
			"m,t=a\\\nb f=1\n",
			[]string{`1 "m" "t":TAG="a\nb" "f":FLOAT=1`}},
		{"table name may hold an equals sign",
			"a=b f=1",
			[]string{`1 "a=b" "f":FLOAT=1`}},
		{"floats: NaN, infinities, exponents as Go's G format writes them",
			"m a=NaN,b=Infinity,c=-Infinity,d=1E+21,e=1.5E-07,f=-0.25,g=.5,h=3.",
			[]string{`1 "m" "a":FLOAT=NaN "b":FLOAT=+Inf "c":FLOAT=-Inf "d":FLOAT=1e+21 "e":FLOAT=1.5e-07 "f":FLOAT=-0.25 "g":FLOAT=0.5 "h":FLOAT=3`}},
		{"long decimals take the exact path",
			"m a=0.1234567890123456789,b=12345678901234567890",
			[]string{`1 "m" "a":FLOAT=0.12345678901234568 "b":FLOAT=1.2345678901234567e+19`}},
		{"integers at the limits",
			"m a=-9223372036854775808i,b=9223372036854775807i,c=0i",
			[]string{`1 "m" "a":INTEGER=-9223372036854775808 "b":INTEGER=9223372036854775807 "c":INTEGER=0`}},
		{"booleans",
			"m a=t,b=T,c=true,d=True,e=TRUE,f=f,g=F,h=false,i=False,j=FALSE",
			[]string{`1 "m" "a":BOOLEAN=true "b":BOOLEAN=true "c":BOOLEAN=true "d":BOOLEAN=true "e":BOOLEAN=true "f":BOOLEAN=false "g":BOOLEAN=false "h":BOOLEAN=false "i":BOOLEAN=false "j":BOOLEAN=false`}},
		{"strings with escapes, spaces, commas, equals and newlines",
			"m s=\"a \\\"q\\\" \\\\ b, c=d\",t=\"x\\\ny\" 5\n",
			[]string{`1 "m" "s":STRING="a \"q\" \\ b, c=d" "t":STRING="x\ny" @0`}},
		{"timestamp field in micros",
			"m ts=1704067200000000t",
			[]string{`1 "m" "ts":TIMESTAMP=1704067200000000`}},
		{"tags only",
			"m,a=1,b=2\n",
			[]string{`1 "m" "a":TAG="1" "b":TAG="2"`}},
		{"largest timestamp",
			"m f=1 9223372036854775807",
			[]string{`1 "m" "f":FLOAT=1 @9223372036854775`}},
		{"negative trailing timestamp is parsed (the table decides)",
			"m f=1 -1000",
			[]string{`1 "m" "f":FLOAT=1 @-1`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := parsed(c.body, precisionNanos)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("parsed lines (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseInvalidLines(t *testing.T) {
	cases := []struct {
		name, body string
		line       int
		msg        string
	}{
		{"float without digits", "m f=-", 1, "field value is invalid. Field: f; value: -"},
		{"inf is not Infinity", "m f=inf", 1, "value: inf"},
		{"hex float", "m f=0x1p3", 1, "value: 0x1p3"},
		{"underscore in number", "m f=1_000", 1, "value: 1_000"},
		{"plus sign", "m f=+1", 1, "value: +1"},
		{"bad exponent", "m f=1e", 1, "value: 1e"},
		{"integer with fraction", "m f=1.5i", 1, "value: 1.5i"},
		{"integer overflow", "m f=9223372036854775808i", 1, "value: 9223372036854775808i"},
		{"bare word", "m f=abc", 1, "value: abc"},
		{"unterminated string", "m f=\"abc", 1, "value: \"abc"},
		{"text after a string", "m f=\"a\"b", 1, "value: \"a\"b"},
		{"missing field value", "m f=", 1, "Field value is missing: f"},
		{"missing equals", "m f", 1, "Field value is missing: f"},
		{"missing tag value", "m,t= f=1", 1, "Symbol value is missing: t"},
		{"no fields", "m\n", 1, "No fields were provided"},
		{"trailing space without timestamp", "m f=1 \n", 1, "Could not parse timestamp: "},
		{"bad timestamp", "m f=1 12a", 1, "Could not parse timestamp: 12a"},
		{"timestamp overflow", "m f=1 9223372036854775808", 1, "Could not parse timestamp: 9223372036854775808"},
		{"twenty-digit timestamp", "m f=1 17040672000000000000", 1, "Could not parse timestamp: 17040672000000000000"},
		{"second timestamp", "m f=1 1 2", 1, "Could not parse timestamp: 1 2"},
		{"empty table name", ",t=1 f=1", 1, "Table name is empty"},
		{"dangling escape", "m\\", 1, "Dangling escape"},
		{"error counted on the third measurement", "m f=1\n\nm f=2\nm f=x\nm f=3\n", 3, "error in line 3: Could not parse entire line, field value is invalid. Field: f; value: x"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parsed(c.body, precisionNanos)
			var le *lineError
			if !errors.As(err, &le) {
				t.Fatalf("parse %q: got %v, want a line error", c.body, err)
			}
			if le.line != c.line || !strings.Contains(le.Error(), c.msg) {
				t.Errorf("parse %q: got line %d %q, want line %d containing %q", c.body, le.line, le.Error(), c.line, c.msg)
			}
		})
	}
}

func TestParseFloatMatchesStrconv(t *testing.T) {
	for _, s := range []string{"0", "-0", "1", "0.1", "0.3", "42150.1", "0.00012345", "123456789012345", "1234567890123456",
		"9007199254740993", "1.7976931348623157E+308", "5E-324", "2.2250738585072014e-308", "100000000000000000000000", "0.000000000000000000000001"} {
		got, ok := parseFloat([]byte(s))
		want, err := strconv.ParseFloat(s, 64)
		if !ok || err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("parseFloat(%q) = %v, %v; strconv gives %v, %v", s, got, ok, want, err)
		}
	}
}

func TestPrecision(t *testing.T) {
	cases := []struct {
		param string
		want  int64
	}{{"", 1_000}, {"n", 1_000}, {"u", 1_000_000}, {"ms", 1_000_000_000}, {"s", 1_000_000_000_000}}
	for _, c := range cases {
		prec, ok := parsePrecision(c.param)
		if !ok {
			t.Fatalf("precision %q refused", c.param)
		}
		if got := prec.toMicros(1_000_000); got != c.want {
			t.Errorf("precision %q: 1e6 → %d µs, want %d", c.param, got, c.want)
		}
	}
	if _, ok := parsePrecision("x"); ok {
		t.Error(`precision "x" accepted`)
	}
}
