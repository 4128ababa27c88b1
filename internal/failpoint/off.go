//go:build !failpoints

package failpoint

// Enabled reports whether this build has failpoints compiled in.
const Enabled = false

// Hit does nothing: this build has no failpoints.
func Hit(string) {}
