package config

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// LoadOptions carries the variable values given outside the files.
type LoadOptions struct {
	// Vars are -var name=value settings, in command-line order.
	Vars []string
	// VarFiles are -var-file paths, relative to the working directory.
	VarFiles []string
	// Environ is the process environment (os.Environ()), read for
	// CANDLEKEEP_VAR_name and for env("NAME"). Nil means an empty
	// environment, which keeps tests hermetic.
	Environ []string
	// DeferSecrets lets an env() naming an unset variable inside the
	// state's dsn or the sink's conf pass: the attribute is left empty,
	// State.Unresolved or Sink.Unresolved names the variables, and
	// State.Require and Sink.Require return the errors, for the
	// commands that connect. validate sets it, since it connects to
	// nothing. Without it those are errors of Load.
	DeferSecrets bool
}

var rootSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "state"},
	{Type: "sink", LabelNames: []string{"type"}},
	{Type: "dump", LabelNames: []string{"name"}},
	{Type: "tier", LabelNames: []string{"name"}},
	{Type: "coverage", LabelNames: []string{"name"}},
	{Type: "api"},
	{Type: "gaps"},
	{Type: "runs"},
}}

// loader holds what one Load call shares between its steps.
type loader struct {
	dir     string
	parser  *hclparse.Parser
	environ map[string]string
	dec     *decoder
}

// Load reads every *.hcl file in dir (see ConfigFiles) as one
// configuration. It always returns a non-nil Config whose Dir and Files
// are set, so that the caller can render the diagnostics with source
// snippets; the rest of the Config is meaningful only when the diagnostics
// hold no error (they may hold warnings). Syntax errors in any file stop
// the load after every file has been parsed, so all of them are reported
// but no decoding errors that follow from them.
func Load(dir string, opts LoadOptions) (*Config, hcl.Diagnostics) {
	dir = filepath.Clean(dir)
	l := &loader{dir: dir, parser: hclparse.NewParser(), environ: environMap(opts.Environ), dec: &decoder{}}
	cfg := &Config{Dir: dir, Files: l.parser.Files()}

	names, err := ConfigFiles(dir)
	if err != nil {
		return cfg, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read configuration directory", Detail: capitalize(err.Error())}}
	}
	if len(names) == 0 {
		return cfg, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No configuration files",
			Detail: fmt.Sprintf("The directory %s holds no *.hcl files. Write a configuration there (see schema.hcl), or pick another directory with -chdir.", dir)}}
	}
	var files []*hcl.File
	var diags hcl.Diagnostics
	for _, name := range names {
		f, fdiags := l.parser.ParseHCLFile(name)
		diags = append(diags, fdiags...)
		if f != nil {
			files = append(files, f)
		}
	}
	if diags.HasErrors() {
		return cfg, diags
	}

	// Gather the blocks of every file by type, in file order.
	blocks := map[string][]*hcl.Block{}
	for _, f := range files {
		content, cdiags := f.Body.Content(rootSchema)
		diags = append(diags, cdiags...)
		for _, b := range content.Blocks {
			blocks[b.Type] = append(blocks[b.Type], b)
		}
	}

	d := l.dec
	d.secrets = &secrets{environ: l.environ, deferred: opts.DeferSecrets}
	d.ctx = evalContext(l.environ, nil)
	decls := d.declareVariables(blocks["variable"])
	vals := l.assignVariables(decls, opts)
	d.ctx = evalContext(l.environ, vals)

	cfg.State = d.state(blocks["state"], dir)
	cfg.Sink = d.sink(blocks["sink"], dir)
	cfg.Dumps = d.dumps(blocks["dump"], dir)
	cfg.Tiers = d.tiers(blocks["tier"])
	cfg.Coverage = d.coverages(blocks["coverage"], cfg.Tiers)
	cfg.API = d.api(blocks["api"])
	cfg.Retention = d.retention(blocks["gaps"], blocks["runs"])
	cfg.Variables = renderVariables(vals)
	diags = append(diags, d.diags...)
	sortDiagnostics(diags)
	if !diags.HasErrors() {
		cfg.Digest = digest(files, names, cfg.Variables)
	}
	return cfg, diags
}

// sortDiagnostics orders diagnostics by file and position, those without a
// source (command-line mistakes) first, so they read top to bottom.
func sortDiagnostics(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		}
		return a.Start.Byte < b.Start.Byte
	})
}

// ConfigFiles lists, sorted by name, the paths of the *.hcl files Load
// reads in dir. Subdirectories are not read, and neither are hidden files
// nor editor leftovers (names starting with "." or "#", ending in "~").
func ConfigFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".hcl") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") || strings.HasSuffix(name, "~") {
			continue
		}
		path := filepath.Join(dir, name)
		info, err := os.Stat(path) // follows symlinks
		if err != nil {
			return nil, fmt.Errorf("stat %s: %w", path, err)
		}
		if info.Mode().IsRegular() {
			out = append(out, path)
		}
	}
	sort.Strings(out)
	return out, nil
}

// digest hashes the files' base names and bytes (so moving the directory
// keeps it) and the resolved variables, sorted by name.
func digest(files []*hcl.File, names []string, vars map[string]string) string {
	h := sha256.New()
	for i, f := range files {
		writeField(h, filepath.Base(names[i]))
		writeField(h, string(f.Bytes))
	}
	for _, name := range sortedKeys(vars) {
		writeField(h, "var."+name)
		writeField(h, vars[name])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writeField writes a length-prefixed field, so that no two different
// inputs hash the same bytes.
func writeField(w io.Writer, s string) {
	fmt.Fprintf(w, "%d:%s;", len(s), s)
}

// identifier diagnoses a block label that is not an identifier.
func (d *decoder) identifier(b *hcl.Block, what string) bool {
	if hclsyntax.ValidIdentifier(b.Labels[0]) {
		return true
	}
	d.errorf(b.LabelRanges[0], "Invalid "+what+" name",
		"A %s name must start with a letter or underscore and hold only letters, digits, underscores and dashes; %q does not.", what, b.Labels[0])
	return false
}

// duplicate diagnoses a second block of a kind whose names must be unique.
// uniquelyNamed yields the blocks of one kind whose label is a valid name
// not taken by an earlier block of that kind; the others get a diagnostic,
// in block order, as the loop over the yielded ones adds its own.
func (d *decoder) uniquelyNamed(blocks []*hcl.Block, kind string) iter.Seq[*hcl.Block] {
	return func(yield func(*hcl.Block) bool) {
		seen := map[string]hcl.Range{}
		for _, b := range blocks {
			if !d.identifier(b, kind) {
				continue
			}
			if first, dup := seen[b.Labels[0]]; dup {
				d.duplicate(b, kind, first)
				continue
			}
			seen[b.Labels[0]] = b.DefRange
			if !yield(b) {
				return
			}
		}
	}
}

func (d *decoder) duplicate(b *hcl.Block, what string, first hcl.Range) {
	d.errorf(b.DefRange, "Duplicate "+what+" "+fmt.Sprintf("%q", b.Labels[0]),
		"A %s named %q was already declared at %s. Names must be unique.", what, b.Labels[0], first)
}

// resolvePath makes a configuration path relative to the configuration
// directory, leaving absolute paths alone.
func resolvePath(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}
