package qconf

import (
	"fmt"
	"strings"
)

// Setting is one key=value of a conf string; Position counts from 1.
type Setting struct {
	Key, Value string
	Position   int
}

// Split reads conf as the client does: "schema::", then settings each
// ending in ';', with ";;" standing for a ';' inside a value. terminated is
// false when the last setting lacks its ';'. problem describes a syntax
// error without quoting the string.
func Split(conf string) (schema string, settings []Setting, terminated bool, problem string) {
	schema, rest, found := strings.Cut(conf, "::")
	if !found {
		return "", nil, false, "it has no \"::\" after the schema"
	}
	var key, value strings.Builder
	inKey := true
	runes := []rune(rest)
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		n := len(settings) + 1
		switch {
		case inKey && r == ';':
			return schema, settings, false, fmt.Sprintf("setting %d has no \"=\" (write a \";\" inside a value as \";;\")", n)
		case inKey && r == '=':
			if key.Len() == 0 {
				return schema, settings, false, fmt.Sprintf("setting %d has no key before \"=\"", n)
			}
			inKey = false
		case inKey:
			key.WriteRune(r)
		case r == ';' && i+1 < len(runes) && runes[i+1] == ';':
			value.WriteRune(';')
			i++
		case r == ';':
			if value.Len() == 0 {
				return schema, settings, false, fmt.Sprintf("setting %d%s has an empty value", n, knownKey(key.String()))
			}
			settings = append(settings, Setting{key.String(), value.String(), n})
			key.Reset()
			value.Reset()
			inKey = true
		default:
			value.WriteRune(r)
		}
	}
	switch {
	case inKey && key.Len() > 0:
		return schema, settings, false, fmt.Sprintf("setting %d has no \"=\"", len(settings)+1)
	case inKey:
		return schema, settings, true, ""
	case value.Len() == 0:
		return schema, settings, false, fmt.Sprintf("setting %d%s has an empty value", len(settings)+1, knownKey(key.String()))
	}
	settings = append(settings, Setting{key.String(), value.String(), len(settings) + 1})
	return schema, settings, false, ""
}

// knownKey names a key in a message only when it is one of the client's,
// since a mistyped string can put a secret where a key belongs.
func knownKey(key string) string {
	if _, ok := keys[key]; ok {
		return fmt.Sprintf(" (%s)", key)
	}
	return ""
}
