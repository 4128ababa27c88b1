package main

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdJSONValid checks the last command's stdout is one JSON document:
// jsonvalid [array=N] also checks it is an array of N elements.
func cmdJSONValid(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 1 {
		ts.Fatalf("usage: jsonvalid [array=N]")
	}
	var doc any
	if err := json.Unmarshal([]byte(ts.ReadFile("stdout")), &doc); err != nil {
		ts.Fatalf("stdout is not one JSON document: %v", err)
	}
	if len(args) == 0 {
		return
	}
	n, ok := strings.CutPrefix(args[0], "array=")
	want, err := strconv.Atoi(n)
	if !ok || err != nil {
		ts.Fatalf("jsonvalid: %q is not array=N", args[0])
	}
	list, ok := doc.([]any)
	if !ok {
		ts.Fatalf("stdout is not a JSON array")
	}
	if len(list) != want {
		ts.Fatalf("stdout is an array of %d elements, want %d", len(list), want)
	}
}
