package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"candlekeep": func() {
			os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
		},
	})
}

// TestScripts runs the txtar scripts in testdata/script. Each starts with a
// fresh copy of examples/quickstart in $WORK/quickstart. Set
// CANDLEKEEP_UPDATE_GOLDEN=1 to rewrite the golden files inside the scripts.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       os.Getenv("CANDLEKEEP_UPDATE_GOLDEN") != "",
		Setup: func(env *testscript.Env) error {
			return copyQuickstart(filepath.Join(env.WorkDir, "quickstart"))
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"sinkcount":  cmdSinkCount,
			"corruptzip": cmdCorruptZip,
		},
	})
}

// copyQuickstart copies the quickstart example (without any state left in
// it by a manual run) to dst.
func copyQuickstart(dst string) error {
	src := filepath.Join("..", "..", "examples", "quickstart")
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".candlekeep" {
			return filepath.SkipDir
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}
