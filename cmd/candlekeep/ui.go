package main

import (
	"io"
	"strconv"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"

	"golang.org/x/term"
)

// isTerminal reports whether w or r is an interactive terminal.
func isTerminal(v any) bool {
	f, ok := v.(fder)
	return ok && term.IsTerminal(int(f.Fd()))
}

// fder is an *os.File, or a writer wrapping one (watchedOutput).
type fder interface{ Fd() uintptr }

// terminalWidth is the width of w when it is a terminal, else 0.
func terminalWidth(w io.Writer) int {
	f, ok := w.(fder)
	if !ok {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return width
}

// style colours text with ANSI codes when enabled.
type style struct{ enabled bool }

func (s style) wrap(code, text string) string {
	if !s.enabled {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

func (s style) bold(t string) string   { return s.wrap("1", t) }
func (s style) green(t string) string  { return s.wrap("32", t) }
func (s style) yellow(t string) string { return s.wrap("33", t) }
func (s style) red(t string) string    { return s.wrap("31", t) }
func (s style) dim(t string) string    { return s.wrap("2", t) }

// colorFor decides whether output to w gets colour: only on a terminal,
// never with -no-color or NO_COLOR set.
func colorFor(w io.Writer, noColor bool, environ []string) bool {
	if noColor {
		return false
	}
	for _, kv := range environ {
		if len(kv) > len("NO_COLOR=") && kv[:len("NO_COLOR=")] == "NO_COLOR=" {
			return false
		}
	}
	return isTerminal(w)
}

// count renders an integer with thousands separators: 1,234,567.
func count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// plural picks the singular or plural noun for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// seconds renders a duration for summaries: 4.2s, 1m12s.
func seconds(d time.Duration) string { return ohlc.FormatDuration(d, 2) }
