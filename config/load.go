package config

import "github.com/hashicorp/hcl/v2"

// LoadOptions carries the variable values given outside the files.
type LoadOptions struct {
	// Vars are -var name=value settings, in command-line order.
	Vars []string
	// VarFiles are -var-file paths, relative to the working directory.
	VarFiles []string
	// Environ is the process environment (os.Environ()), read for
	// CANDLEKEEP_VAR_name and for env("NAME").
	Environ []string
}

// Load reads every *.hcl file in dir as one configuration.
func Load(dir string, opts LoadOptions) (*Config, hcl.Diagnostics) {
	panic("TODO")
}
