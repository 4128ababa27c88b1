package main

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdJSONLines checks the last command's stdout is JSON lines, each an
// object with a "type": jsonlines [first=TYPE] [last=TYPE] [TYPE=COUNT...].
func cmdJSONLines(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("usage: jsonlines [first=TYPE] [last=TYPE] [TYPE=COUNT...]")
	}
	out := strings.TrimSuffix(ts.ReadFile("stdout"), "\n")
	if out == "" {
		ts.Fatalf("stdout is empty")
	}
	var types []string
	counts := map[string]int{}
	for i, line := range strings.Split(out, "\n") {
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			ts.Fatalf("stdout line %d is not a JSON object: %v\n%s", i+1, err, line)
		}
		typ, ok := obj["type"].(string)
		if !ok {
			ts.Fatalf("stdout line %d has no string \"type\": %s", i+1, line)
		}
		types = append(types, typ)
		counts[typ]++
	}
	for _, arg := range args {
		key, want, ok := strings.Cut(arg, "=")
		if !ok {
			ts.Fatalf("jsonlines: %q is not KEY=VALUE", arg)
		}
		switch key {
		case "first":
			if types[0] != want {
				ts.Fatalf("first line is %s, want %s", types[0], want)
			}
		case "last":
			if got := types[len(types)-1]; got != want {
				ts.Fatalf("last line is %s, want %s", got, want)
			}
		default:
			n, err := strconv.Atoi(want)
			ts.Check(err)
			if counts[key] != n {
				ts.Fatalf("%d %s lines, want %d", counts[key], key, n)
			}
		}
	}
}
