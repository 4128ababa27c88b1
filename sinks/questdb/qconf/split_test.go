package qconf

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplit(t *testing.T) {
	type result struct {
		Schema     string
		Settings   []string
		Terminated bool
		Problem    string
	}
	tests := []struct {
		conf string
		want result
	}{
		{"http::addr=h:9000;", result{"http", []string{"addr=h:9000"}, true, ""}},
		{"http::addr=h:9000", result{"http", []string{"addr=h:9000"}, false, ""}},
		{"https::addr=h;password=a;;b=c;;;", result{"https", []string{"addr=h", "password=a;b=c;"}, true, ""}},
		{"https::addr=h;password=x;;", result{"https", []string{"addr=h", "password=x;"}, false, ""}},
		{"http::", result{"http", nil, true, ""}},
		{"http::addr", result{"http", nil, false, `setting 1 has no "="`}},
		{"http::=x;", result{"http", nil, false, `setting 1 has no key before "="`}},
		{"http::addr=h;token=;", result{"http", []string{"addr=h"}, false, "setting 2 (token) has an empty value"}},
		{"http::addr=h;secretkey=", result{"http", []string{"addr=h"}, false, "setting 2 has an empty value"}},
		{"addr=h;", result{"", nil, false, `it has no "::" after the schema`}},
	}
	for _, tt := range tests {
		schema, settings, terminated, problem := Split(tt.conf)
		got := result{Schema: schema, Terminated: terminated, Problem: problem}
		for _, s := range settings {
			got.Settings = append(got.Settings, s.Key+"="+s.Value)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Split(%q) (-want +got):\n%s", tt.conf, diff)
		}
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"http::addr=localhost:9000;", "tcp::addr=db:9009;username=u;token=t;", "http::addr=a;;b;", "http::addr=a",
		"http::", "addr=a;", "http::=a;", "http::addr=;", "http::addr;", "https::addr=a;protocol_version=2;;;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, conf string) {
		schema, settings, _, problem := Split(conf)
		if problem != "" {
			return
		}
		// Written back with each ';' in a value doubled, the settings must
		// read the same.
		var b strings.Builder
		b.WriteString(schema + "::")
		for k, s := range settings {
			if s.Key == "" || s.Value == "" || strings.ContainsAny(s.Key, "=;") || s.Position != k+1 {
				t.Fatalf("Split(%q): setting %d is %+v", conf, k+1, s)
			}
			b.WriteString(s.Key + "=" + strings.ReplaceAll(s.Value, ";", ";;") + ";")
		}
		schema2, settings2, terminated2, problem2 := Split(b.String())
		if problem2 != "" || !terminated2 || schema2 != schema {
			t.Fatalf("Split(%q) written back as %q: schema %q, terminated %v, problem %q", conf, b.String(), schema2, terminated2, problem2)
		}
		if diff := cmp.Diff(settings, settings2); diff != "" {
			t.Fatalf("Split(%q) written back as %q reads differently (-first +again):\n%s", conf, b.String(), diff)
		}
	})
}
