package main

import (
	"runtime/debug"
	"sync"
)

// version is set at build time with -ldflags "-X main.version=…"; left
// at "dev", the module's build information decides (buildVersion).
var version = "dev"

// candlekeepVersion is the version shown by 'version' and recorded in
// saved plans and JSON documents, worked out once.
var candlekeepVersion = sync.OnceValue(func() string {
	if version != "dev" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version
	}
	return buildVersion(info)
})

// buildVersion reads the version from build information: the module
// version for 'go install …@vX.Y.Z' (and for a build in a tagged
// checkout, which Go stamps since 1.24), else the VCS revision and
// whether the tree was modified, else "dev" (go run, go test).
func buildVersion(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := "dev-" + rev
	if modified {
		v += "-modified"
	}
	return v
}
