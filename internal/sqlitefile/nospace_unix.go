//go:build unix

package sqlitefile

import (
	"os"

	"golang.org/x/sys/unix"
)

// noSpaceLeft reports whether the file system holding dir has no block
// left for this process: root may use the blocks reserved for it.
func noSpaceLeft(dir string) bool {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return false
	}
	if os.Geteuid() == 0 {
		return st.Bfree == 0
	}
	return st.Bavail == 0
}
