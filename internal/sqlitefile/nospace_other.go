//go:build !unix

package sqlitefile

// noSpaceLeft cannot tell here; SQLite's own words are kept.
func noSpaceLeft(string) bool { return false }
