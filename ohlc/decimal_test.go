package ohlc

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseDecimalMatchesStrconv(t *testing.T) {
	inputs := []string{
		"0", "0.0", "5", "0.1", "122.0", "0.00011", "123.61", "564.24", "0.77970687",
		"0.00000000", "2.46460000", "65000.1", "3529536.4586280505",
		"123456789012345", "1234567890123456", "0.1234567890123456789", "99999.99999",
		"9007199254740991", "9007199254740993", "9007199254740993.5",
		"0.30000000000000004", "1.7976931348623157", "0.0000000000000000000001",
		"0.00000000000000000000001", "12345678901234567890.123",
		"000123.4500", "99999999999999999999999999999999999999",
		"1" + strings.Repeat("0", 300), "0." + strings.Repeat("0", 330) + "1",
		"1E+1", "2.5E+2", "8.5E+2", "9.999E+3", "1e5", "1E-5", "2.5e-3", "1e22", "1e23",
		"1.5E+22", "1.5E+23", "9007199254740993E-3", "123.456E+30", "1E-330", "1E+0000",
	}
	// Kraken-shaped values with 0 to 8 decimals across magnitudes.
	for k := 0; k < 2000; k++ {
		inputs = append(inputs, strconv.FormatFloat(float64(k)*1.37+float64(k%7)/1000, 'f', k%9, 64))
	}
	for _, in := range inputs {
		want, err := strconv.ParseFloat(in, 64)
		if err != nil {
			t.Fatalf("strconv %q: %v", in, err)
		}
		got, status := ParseDecimal([]byte(in))
		if status != DecimalOK || got != want {
			t.Errorf("ParseDecimal(%q) = %v, %v; want %v", in, got, status, want)
		}
	}
}

func TestParseDecimalRefuses(t *testing.T) {
	tests := []struct {
		in   string
		want DecimalStatus
	}{
		{"", DecimalSyntax},
		{".5", DecimalSyntax},
		{"5.", DecimalSyntax},
		{"-1", DecimalSyntax},
		{"+1", DecimalSyntax},
		{"1e", DecimalSyntax},
		{"1E+", DecimalSyntax},
		{"1E+99999", DecimalSyntax},
		{"1E+12a", DecimalSyntax},
		{"Inf", DecimalSyntax},
		{"NaN", DecimalSyntax},
		{"0x10", DecimalSyntax},
		{"1_000", DecimalSyntax},
		{"1.2.3", DecimalSyntax},
		{" 1", DecimalSyntax},
		{"1 ", DecimalSyntax},
		{"1,5", DecimalSyntax},
		{"1E+999", DecimalOutOfRange},
		{"1e400", DecimalOutOfRange},
		{strings.Repeat("9", 400), DecimalOutOfRange},
	}
	for _, tt := range tests {
		v, got := ParseDecimal([]byte(tt.in))
		if diff := cmp.Diff(struct {
			V      float64
			Status DecimalStatus
		}{0, tt.want}, struct {
			V      float64
			Status DecimalStatus
		}{v, got}); diff != "" {
			t.Errorf("ParseDecimal(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestScanDecimal(t *testing.T) {
	type result struct {
		V      float64
		End    int
		Status DecimalStatus
	}
	tests := []struct {
		in   string
		want result
	}{
		{"122.0,122.0", result{122, 5, DecimalOK}},
		{"0.1,1", result{0.1, 3, DecimalOK}},
		{"2.5E+2,7", result{250, 6, DecimalOK}},
		{"5", result{5, 1, DecimalOK}},
		{"5\r", result{5, 1, DecimalOK}},
		{"1e400,", result{0, 5, DecimalOutOfRange}},
		{",5", result{0, 0, DecimalSyntax}},
		{"5.,", result{0, 2, DecimalSyntax}},
		{"1E,", result{0, 2, DecimalSyntax}},
		{"1E+12345,", result{0, 7, DecimalSyntax}},
	}
	for _, tt := range tests {
		// Scanning from inside a row gives the same value, offset.
		for _, prefix := range []string{"", "1381093200,"} {
			v, end, status := ScanDecimal([]byte(prefix+tt.in), len(prefix))
			want := tt.want
			want.End += len(prefix)
			if diff := cmp.Diff(want, result{v, end, status}); diff != "" {
				t.Errorf("ScanDecimal(%q, %d) (-want +got):\n%s", prefix+tt.in, len(prefix), diff)
			}
		}
	}
}

func FuzzParseDecimal(f *testing.F) {
	for _, seed := range []string{"122.0", "0.00011", "5", "3529536.4586280505", "1E+1", "2.5E+2", "-1", ".5", "1.", "1E", "1,2"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, status := ParseDecimal([]byte(in))
		// A field inside a row reads the same through ScanDecimal.
		row := []byte("7," + in + ",")
		sv, send, sstatus := ScanDecimal(row, 2)
		if status == DecimalOK && (sstatus != DecimalOK || sv != got || send != len(row)-1) {
			t.Fatalf("ScanDecimal(%q, 2) = %v, %d, %v; ParseDecimal says %v", row, sv, send, sstatus, got)
		}
		if status != DecimalOK {
			return
		}
		want, err := strconv.ParseFloat(in, 64)
		if err != nil || got != want {
			t.Fatalf("ParseDecimal(%q) = %v; strconv says %v, %v", in, got, want, err)
		}
	})
}
