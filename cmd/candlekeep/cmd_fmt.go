package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/rogpeppe/go-internal/diff"

	"github.com/feefifofunds/candlekeep/config"
)

// fmtCheckFailed is fmt -check's exit status when a file is not formatted,
// as Terraform's.
const fmtCheckFailed = 3

func runFmt(_ context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "fmt", "fmt [-check] [-diff] [-no-color] [FILE...]")
	check := fs.Bool("check", false, "only check: list files that are not formatted and exit 3 if any")
	showDiff := fs.Bool("diff", false, "print the changes as a unified diff")
	noColor := fs.Bool("no-color", false, "never colour the output")
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	files := fs.Args()
	if len(files) == 0 {
		found, err := config.ConfigFiles(env.dir)
		if err != nil {
			return err
		}
		files = found
	} else {
		for i, f := range files {
			if !filepath.IsAbs(f) {
				files[i] = filepath.Join(env.dir, f)
			}
		}
	}

	// Format everything in memory first: a file that does not parse stops
	// the command before anything is written.
	type change struct {
		path     string
		old, new []byte
	}
	var changes []change
	var diags hcl.Diagnostics
	parsed := map[string]*hcl.File{}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			return err // names the path already
		}
		out, d := config.FormatFile(path, src)
		if d.HasErrors() {
			diags = append(diags, d...)
			parsed[path] = &hcl.File{Bytes: src}
			continue
		}
		if !bytes.Equal(src, out) {
			changes = append(changes, change{path: path, old: src, new: out})
		}
	}
	if diags.HasErrors() {
		_ = config.WriteDiagnostics(env.stderr, parsed, diags, uint(terminalWidth(env.stderr)), colorFor(env.stderr, *noColor, env.environ))
		return fmt.Errorf("fmt: %d %s could not be parsed; nothing was changed", len(parsed), plural(len(parsed), "file", "files"))
	}
	for _, c := range changes {
		name := relPath(env.dir, c.path)
		fmt.Fprintln(env.stdout, name)
		if *showDiff {
			env.stdout.Write(diff.Diff("old/"+name, c.old, "new/"+name, c.new))
		}
		if *check {
			continue
		}
		if err := writeFileKeepMode(c.path, c.new); err != nil {
			return err
		}
	}
	if *check && len(changes) > 0 {
		return &exitCode{code: fmtCheckFailed}
	}
	return nil
}

// writeFileKeepMode replaces a file's content, keeping its permissions.
func writeFileKeepMode(path string, data []byte) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, fi.Mode().Perm()); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
