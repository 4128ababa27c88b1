package main

import (
	"flag"
	"fmt"
)

// jsonUsage is what -json means on every command that has it: the
// command's JSON document on stdout instead of its text (apply, which
// streams, prints JSON lines of events), with anything for people on
// stderr. See docs/json-format.md.
const jsonUsage = "print JSON instead of text (docs/json-format.md)"

// formatFlags are -format and its shorthand -json, for commands with
// more outputs than text and JSON.
type formatFlags struct {
	format string
	json   bool
}

func (f *formatFlags) register(fs *flag.FlagSet, usage string) {
	fs.StringVar(&f.format, "format", "text", usage)
	fs.BoolVar(&f.json, "json", false, "same as -format=json; "+jsonUsage)
}

// resolve folds -json into the format; -json with another -format is a
// contradiction.
func (f *formatFlags) resolve() error {
	if !f.json {
		return nil
	}
	if f.format != "text" && f.format != "json" {
		return fmt.Errorf("-json and -format=%s contradict each other: give one", f.format)
	}
	f.format = "json"
	return nil
}
