//go:build unix

package krakencsv

import (
	"os"
	"strconv"
	"syscall"
)

// changeStamp is the file's inode and status-change time. A file rewritten
// in place with its size and modification time put back (touch -r, a
// copy preserving times) still gets a new change time, which no user call
// can set, so a cached fingerprint is never taken for a file it no longer
// describes.
func changeStamp(info os.FileInfo) string {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return strconv.FormatUint(uint64(st.Ino), 10) + ":" +
		strconv.FormatInt(int64(st.Ctim.Sec)*1e9+int64(st.Ctim.Nsec), 10)
}
