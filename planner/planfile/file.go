package planfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// Write writes p as an indented JSON document ending in a newline.
func Write(w io.Writer, p *planner.Plan, meta Meta) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Suggestions and members hold "›" and "→"; keep them readable.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(NewDocument(p, meta)); err != nil {
		return fmt.Errorf("write plan: %w", err)
	}
	return nil
}

// Read reads a plan file. It refuses a file that is empty, truncated, not
// JSON, not a plan, of an unknown major format version, or whose actions
// no longer match its plan_digest (edited by hand).
func Read(r io.Reader) (*planner.Plan, Meta, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, Meta{}, fmt.Errorf("read plan file: %w", err)
	}
	if err := checkVersion(data); err != nil {
		return nil, Meta{}, err
	}
	var d Document
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, Meta{}, fmt.Errorf("not a candlekeep plan: %w", err)
	}
	p, err := d.Plan()
	if err != nil {
		return nil, Meta{}, err
	}
	return p, Meta{FormatVersion: d.FormatVersion, CandlekeepVersion: d.CandlekeepVersion}, nil
}

// checkVersion tells a broken file from a file of another kind or of a
// newer format, before the fields are decoded.
func checkVersion(data []byte) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return errors.New("the plan file is empty")
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &probe); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) && syntax.Offset >= int64(len(trimmed)) && trimmed[0] == '{' {
			return fmt.Errorf("the plan file is truncated: its JSON ends after %d bytes", len(data))
		}
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return fmt.Errorf("not a candlekeep plan: the file holds a JSON %s, not an object", typeErr.Value)
		}
		return fmt.Errorf("not a candlekeep plan: the file is not JSON (%w)", err)
	}
	raw, ok := probe["format_version"]
	if !ok {
		return errors.New("not a candlekeep plan: the JSON has no format_version")
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		return fmt.Errorf("not a candlekeep plan: format_version is %s, not a string", raw)
	}
	major, err := majorVersion(v)
	if err != nil {
		return err
	}
	if major > formatMajor {
		return fmt.Errorf("plan file format %d.x is newer than this candlekeep understands (%d.x): upgrade candlekeep to read it", major, formatMajor)
	}
	if major < formatMajor {
		return fmt.Errorf("plan file format %q is older than this candlekeep understands (%d.x): make the plan again", v, formatMajor)
	}
	return nil
}

// majorVersion parses "MAJOR.MINOR".
func majorVersion(v string) (int, error) {
	majorText, minorText, ok := strings.Cut(v, ".")
	major, err := strconv.Atoi(majorText)
	if ok {
		_, err2 := strconv.Atoi(minorText)
		err = errors.Join(err, err2)
	}
	if !ok || err != nil || major < 0 {
		return 0, fmt.Errorf("not a candlekeep plan: format_version %q is not MAJOR.MINOR", v)
	}
	return major, nil
}

// Plan turns the document back into the plan it describes, checking that
// its actions still match its plan_digest.
func (d *Document) Plan() (*planner.Plan, error) {
	p, err := d.decode()
	if err != nil {
		return nil, err
	}
	if d.PlanDigest == "" {
		return nil, errors.New("not a valid plan: it has no plan_digest")
	}
	if got := p.Digest(); got != d.PlanDigest {
		return nil, errors.New("the plan file was edited: its actions no longer match its plan_digest")
	}
	return p, nil
}

// decode is Plan without the digest check.
func (d *Document) decode() (*planner.Plan, error) {
	now, err := parseTime("planned_at", d.PlannedAt)
	if err != nil {
		return nil, err
	}
	p := &planner.Plan{Now: now, Lineage: d.Lineage, Serial: d.Serial, ConfigDigest: d.ConfigDigest, InventoryDigest: d.InventoryDigest, Targets: nonEmpty(d.Targets), Excludes: nonEmpty(d.Excludes)}
	if d.Sink != nil {
		p.Sink = ohlc.SinkIdentity{Kind: d.Sink.Kind, Address: d.Sink.Address, Table: d.Sink.Table, Incarnation: d.Sink.Incarnation}
		p.SinkChecked = d.Sink.Checked
	}
	for _, v := range d.Scope {
		s, err := ohlc.ParseSeries(v)
		if err != nil {
			return nil, fmt.Errorf("not a valid plan: scope: %w", err)
		}
		p.Scope = append(p.Scope, s)
	}
	list := make([]planner.Action, len(d.Actions))
	for i, a := range d.Actions {
		if list[i], err = a.action(); err != nil {
			return nil, fmt.Errorf("not a valid plan: action %d: %w", i+1, err)
		}
	}
	// After names positions in the document; an action, by its index
	// among actions (gaps are not).
	index := make([]int, len(list))
	n := 0
	for i, a := range list {
		index[i] = -1
		if a.Kind != planner.Unfillable {
			index[i], n = n, n+1
		}
	}
	for i := range list {
		for j, at := range list[i].After {
			if at < 0 || at >= len(list) || index[at] < 0 || at == i {
				return nil, fmt.Errorf("not a valid plan: action %d: after %d is not another action", i+1, at)
			}
			list[i].After[j] = index[at]
		}
	}
	// An unfillable entry is a gap of the plan, not an action.
	p.Actions, p.Gaps = planner.SplitListing(list)
	if p.Warnings, err = warnings(d.Warnings); err != nil {
		return nil, err
	}
	if p.Deferred, err = deferred(d.Deferred); err != nil {
		return nil, err
	}
	return p, nil
}

func (a Action) action() (planner.Action, error) {
	kind := planner.Kind(a.Kind)
	switch kind {
	case planner.LoadCSV, planner.BackfillAPI, planner.Derive, planner.RebuildTrades, planner.Unfillable:
	default:
		return planner.Action{}, fmt.Errorf("unknown kind %q", a.Kind)
	}
	series, err := ohlc.ParseSeries(a.Series)
	if err != nil {
		return planner.Action{}, err
	}
	if series.Pair != a.Pair || int(series.Interval) != a.Interval {
		return planner.Action{}, fmt.Errorf("series %q does not match pair %q and interval %d", a.Series, a.Pair, a.Interval)
	}
	span, err := parseSpan("span", a.Span)
	if err != nil {
		return planner.Action{}, err
	}
	out := planner.Action{
		Kind: kind, Series: series, Span: span,
		Coverage: nonEmpty(a.Coverage), Tiers: nonEmpty(a.Tiers),
		Estimate: a.EstimatedCandles, Requests: a.Requests, After: a.After, From: ohlc.Interval(a.From),
		Reason: planner.Reason(a.Reason),
		Known:  kind == planner.Unfillable && a.Known != nil && *a.Known,
	}
	switch {
	case a.Fill != nil:
		out.Suggestion = *a.Fill
	case a.Suggestion != "":
		// Before 1.6 the sentence was all there was.
		out.Suggestion = planner.Suggestion{Fix: planner.FixText, Text: a.Suggestion}
	}
	if l := a.Lost; l != nil && kind == planner.Unfillable {
		if out.Lost, err = parseSpan("lost", *l); err != nil {
			return planner.Action{}, err
		}
	}
	if p := a.Provisional; p != nil && kind == planner.BackfillAPI {
		if out.Provisional, err = parseSpan("provisional", *p); err != nil {
			return planner.Action{}, err
		}
	}
	if kind == planner.Derive && (!out.From.Valid() || out.From >= series.Interval || series.Interval%out.From != 0) {
		return planner.Action{}, fmt.Errorf("derive %s from %d minutes: not a shorter interval it divides", series, a.From)
	}
	if kind == planner.RebuildTrades {
		if err := a.Rebuild.rebuild(&out); err != nil {
			return planner.Action{}, err
		}
	}
	if kind == planner.LoadCSV && a.Source == nil {
		return planner.Action{}, errors.New("load_csv without a source")
	}
	if s := a.Source; s != nil {
		out.CSV = &planner.CSVSource{Dump: s.Dump, DumpPath: s.DumpPath, IsZip: s.IsZip, Member: s.Member, Fingerprint: s.Fingerprint, Size: s.Size}
		if s.ModTime != "" {
			t, err := time.Parse(time.RFC3339Nano, s.ModTime)
			// Outside about 1678 to 2262, nanoseconds since 1970 overflow.
			if err == nil && !time.Unix(0, t.UnixNano()).Equal(t) {
				return planner.Action{}, fmt.Errorf("source.mod_time %q is out of range", s.ModTime)
			}
			if err != nil {
				return planner.Action{}, fmt.Errorf("source.mod_time %q is not RFC 3339", s.ModTime)
			}
			out.CSV.ModTime = t.UnixNano()
		}
		for _, f := range []struct {
			name, text string
			to         *int64
		}{{"source.until", s.Until, &out.CSV.Until}, {"source.first_row", s.FirstRow, &out.CSV.First}, {"source.last_row", s.LastRow, &out.CSV.Last}} {
			if f.text == "" {
				continue
			}
			t, err := parseTime(f.name, f.text)
			if err != nil {
				return planner.Action{}, err
			}
			*f.to = t
		}
	}
	return out, nil
}

// parseSpan reads the span at field (its start and end, field.start and
// field.end in errors).
func parseSpan(field string, s Span) (ohlc.Span, error) {
	start, err := parseTime(field+".start", s.Start)
	if err != nil {
		return ohlc.Span{}, err
	}
	end, err := parseTime(field+".end", s.End)
	if err != nil {
		return ohlc.Span{}, err
	}
	return ohlc.Span{Start: start, End: end}, nil
}

func parseTime(field, v string) (int64, error) {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return 0, fmt.Errorf("not a valid plan: %s %q is not an RFC 3339 time", field, v)
	}
	// An offset can carry the time past what formatTime writes back.
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		return 0, fmt.Errorf("not a valid plan: %s %q is outside the years 0000 to 9999 in UTC", field, v)
	}
	return t.Unix(), nil
}

// nonEmpty returns nil for an empty list, as the planner leaves it.
func nonEmpty(v []string) []string {
	if len(v) == 0 {
		return nil
	}
	return v
}
