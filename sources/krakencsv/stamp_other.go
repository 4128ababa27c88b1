//go:build !unix

package krakencsv

import "os"

// changeStamp has nothing to add where the platform gives no inode or
// change time: the cache key is then path, size and modification time.
func changeStamp(os.FileInfo) string { return "" }
