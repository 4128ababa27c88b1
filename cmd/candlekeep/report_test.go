package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestReportQuickstart applies the quickstart and checks the report's
// figures against values computed here from the fixture's known cutoffs:
// the hourly dump ends 2020-10-01, the hourly window is 2018–2020.
func TestReportQuickstart(t *testing.T) {
	dir := t.TempDir()
	if err := copyQuickstart(dir); err != nil {
		t.Fatal(err)
	}
	cli := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		args = append([]string{"-chdir=" + dir}, args...)
		if code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr); code != 0 {
			t.Fatalf("candlekeep %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
		}
		return stdout.String()
	}
	cli("apply", "-auto-approve", "-no-color", "-now=2026-11-28")

	day := func(s string) int64 {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d.Unix()
	}
	covered := day("2020-10-01") - day("2018-01-01")
	desired := day("2021-01-01") - day("2018-01-01")
	share := fmt.Sprintf("%.1f%%", float64(covered)/float64(desired)*100)

	text := cli("report", "-now=2026-11-28")
	row := regexp.MustCompile(`(?m)^TIER1\s+1h\s+2\s+(\S+)\s`).FindStringSubmatch(text)
	if row == nil || row[1] != share {
		t.Errorf("TIER1 1h row: got %q, want share %s\n%s", row, share, text)
	}

	var rep struct {
		Rows []struct {
			Tier           string `json:"tier"`
			Interval       int    `json:"interval"`
			Series         string `json:"series"`
			DesiredSeconds int64  `json:"desired_seconds"`
			CoveredSeconds int64  `json:"covered_seconds"`
			UnfillableGaps int    `json:"unfillable_gaps"`
		} `json:"rows"`
	}
	out := cli("report", "-now=2026-11-28", "-by=series", "-format=json", "-target=tier.TIER1")
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report json: %v\n%s", err, out)
	}
	found := false
	for _, r := range rep.Rows {
		if r.Tier != "TIER1" {
			t.Errorf("-target=tier.TIER1 reported tier %q", r.Tier)
		}
		if r.Series == "XBTUSD/60" {
			found = true
			if r.DesiredSeconds != desired || r.CoveredSeconds != covered || r.UnfillableGaps != 1 {
				t.Errorf("XBTUSD/60: got %+v, want desired %d covered %d, 1 unfillable gap", r, desired, covered)
			}
		}
	}
	if !found || len(rep.Rows) != 4 {
		t.Errorf("want 4 TIER1 series rows with XBTUSD/60, got %+v", rep.Rows)
	}

	cli("report", "-now=2026-11-28", "-format=html", "-o", "r.html")
	page, err := os.ReadFile(filepath.Join(dir, "r.html"))
	if err != nil {
		t.Fatal(err)
	}
	checkReportHTML(t, string(page), 7)
}

// checkReportHTML checks the page is well-formed, holds one timeline row
// per series and references nothing outside itself.
func checkReportHTML(t *testing.T, page string, series int) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(page))
	timelines := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("report html is not well-formed: %v", err)
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "div" && len(el.Attr) == 1 && el.Attr[0].Value == "r" {
			timelines++
		}
	}
	if timelines != series {
		t.Errorf("report html has %d timelines, want %d", timelines, series)
	}
	for _, ref := range []string{"http://", "https://", "src=", "<script", "<link", "url("} {
		if strings.Contains(page, ref) {
			t.Errorf("report html references %q", ref)
		}
	}
}
