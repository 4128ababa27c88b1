package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"syscall"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/sys/unix"
)

// cmdTmpfs mounts a small tmpfs, so that a script can fill a disk without
// filling the machine's: tmpfs DIR SIZE (such as 4m). $FULL names DIR. It
// needs root (CI runs as root): guard it with [!tmpfs] skip.
func cmdTmpfs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: tmpfs DIR SIZE")
	}
	dir := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(dir, 0o755))
	ts.Check(syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+args[1]))
	ts.Defer(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
	ts.Setenv("FULL", dir)
}

// canMountTmpfs is the script condition [tmpfs]: whether this process may
// mount one (root, or the capability), tried once.
var canMountTmpfs = sync.OnceValue(func() bool {
	dir, err := os.MkdirTemp("", "candlekeep-tmpfs")
	if err != nil {
		return false
	}
	defer os.Remove(dir)
	if syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=64k") != nil {
		return false
	}
	return syscall.Unmount(dir, 0) == nil
})

// scriptCondition answers the conditions scripts use beyond testscript's.
func scriptCondition(cond string) (bool, error) {
	switch cond {
	case "tmpfs":
		return canMountTmpfs(), nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

// cmdFill fills the file system holding DIR with a file DIR/filler,
// leaving FREE kibibytes: fill DIR FREE
func cmdFill(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: fill DIR FREE")
	}
	free, err := strconv.ParseInt(args[1], 10, 64)
	ts.Check(err)
	dir := ts.MkAbs(args[0])
	var st unix.Statfs_t
	ts.Check(unix.Statfs(dir, &st))
	size := int64(st.Bfree)*st.Bsize - free<<10
	f, err := os.OpenFile(dir+"/filler", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	ts.Check(err)
	defer f.Close()
	chunk := make([]byte, 64<<10)
	for size > 0 {
		n := min(size, int64(len(chunk)))
		if _, err := f.Write(chunk[:n]); err != nil {
			ts.Fatalf("fill %s: %v", dir, err)
		}
		size -= n
	}
}
