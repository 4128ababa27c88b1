//go:build !linux

package state

// pidNamespace: outside Linux a host has one PID space, so every process
// of this host shares it.
func pidNamespace() string { return "host" }
