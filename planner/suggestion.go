package planner

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// Fix is what a person can do about a gap the plan cannot fill.
type Fix string

const (
	// FixAddZip: download Zip (Kraken's full history, or a quarter) and
	// add it as a dump; it holds Member.
	FixAddZip Fix = "add_zip"
	// FixCopyFile: copy Member out of Zip into the configured quarterly
	// dump folder Dump.
	FixCopyFile Fix = "copy_file"
	// FixAwaitZip: Zip, holding Member, once Kraken publishes it (some
	// weeks after PublishedAfter). NotInAPI: the REST API never serves
	// the interval either, so no backfill will come meanwhile.
	FixAwaitZip Fix = "await_zip"
	// FixReplaceFile: Member of dump Dump failed to load (Error).
	FixReplaceFile Fix = "replace_file"
	// FixAPIOnly: no Kraken download holds the interval; only the REST
	// API serves it, and only its latest 720 candles (the API is off).
	FixAPIOnly Fix = "api_only"
	// FixNever: as FixAPIOnly, with the API on: what is older than its
	// window can never be filled.
	FixNever Fix = "never"
	// FixNextRun: the rebuild budget Budget ("max_requests = 3600") was
	// spent; the next run continues.
	FixNextRun Fix = "next_run"
	// FixText: a suggestion an earlier version stored as a sentence,
	// in Text.
	FixText Fix = "text"
)

// Suggestion is what would fill a gap, as data: the views phrase it, and
// JSON documents and state carry it as it is.
type Suggestion struct {
	Fix            Fix
	Zip            string // a Kraken download: Kraken_OHLCVT.zip, Kraken_OHLCVT_Q3_2024.zip
	Member         string // the file in it or in a dump: XBTUSD_60.csv
	Dump           string // the dump folder to copy into, or the failed file's dump
	PublishedAfter int64  // FixAwaitZip: the quarter's end
	NotInAPI       bool   // FixAwaitZip: the API does not serve the interval
	Error          string // FixReplaceFile: why the file failed
	Budget         string // FixNextRun: the setting spent
	Text           string // FixText
}

// jsonSuggestion is Suggestion in every JSON document and in state.
type jsonSuggestion struct {
	Fix            Fix    `json:"fix"`
	Zip            string `json:"zip,omitempty"`
	Member         string `json:"member,omitempty"`
	Dump           string `json:"dump,omitempty"`
	PublishedAfter string `json:"published_after,omitempty"`
	NotInAPI       bool   `json:"not_in_api,omitempty"`
	Error          string `json:"error,omitempty"`
	Budget         string `json:"budget,omitempty"`
	Text           string `json:"text,omitempty"`
}

// MarshalJSON writes the suggestion as an object; a time as every JSON
// document writes times.
func (s Suggestion) MarshalJSON() ([]byte, error) {
	j := jsonSuggestion{Fix: s.Fix, Zip: s.Zip, Member: s.Member, Dump: s.Dump, NotInAPI: s.NotInAPI, Error: s.Error, Budget: s.Budget, Text: s.Text}
	if s.PublishedAfter != 0 {
		j.PublishedAfter = ohlc.JSONTimeOf(s.PublishedAfter)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the object, or a string as plan files before 1.6
// wrote suggestions (FixText).
func (s *Suggestion) UnmarshalJSON(b []byte) error {
	var text string
	if json.Unmarshal(b, &text) == nil {
		*s = Suggestion{}
		if text != "" {
			*s = Suggestion{Fix: FixText, Text: text}
		}
		return nil
	}
	var j jsonSuggestion
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("suggestion: %w", err)
	}
	*s = Suggestion{Fix: j.Fix, Zip: j.Zip, Member: j.Member, Dump: j.Dump, NotInAPI: j.NotInAPI, Error: j.Error, Budget: j.Budget, Text: j.Text}
	if j.PublishedAfter != "" {
		t, err := time.Parse(time.RFC3339, j.PublishedAfter)
		if err != nil {
			return fmt.Errorf("suggestion: published_after: %w", err)
		}
		s.PublishedAfter = t.Unix()
	}
	return nil
}

// Encode is the suggestion as state stores it: its JSON, or "" for none.
func (s Suggestion) Encode() string {
	if s == (Suggestion{}) {
		return ""
	}
	b, _ := s.MarshalJSON() // a struct of strings and a bool: cannot fail
	return string(b)
}

// DecodeSuggestion reads what Encode stored; a sentence stored by an
// earlier version comes back as FixText.
func DecodeSuggestion(stored string) Suggestion {
	if !strings.HasPrefix(stored, "{") {
		if stored == "" {
			return Suggestion{}
		}
		return Suggestion{Fix: FixText, Text: stored}
	}
	var s Suggestion
	if err := s.UnmarshalJSON([]byte(stored)); err != nil {
		return Suggestion{Fix: FixText, Text: stored}
	}
	return s
}
