//go:build linux

package state

import "os"

// pidNamespace identifies this process's PID namespace, as the kernel
// names it (pid:[inode]); "" when /proc cannot say, and then no holder's
// PID is judged from here.
func pidNamespace() string {
	ns, err := os.Readlink("/proc/self/ns/pid")
	if err != nil {
		return ""
	}
	return ns
}
