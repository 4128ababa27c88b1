package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
)

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) != "" {
		os.Exit(runMain())
	}
	testscript.Main(m, map[string]func(){
		"candlekeep": func() { os.Exit(runMain()) },
	})
}

// scriptNow is the clock of the scripts' fake Kraken, which the scripts
// pass to candlekeep as -now=$NOW: 2026-11-28 00:30 UTC.
const scriptNow = 1795825800

// scriptQuestDBPassword is the stand-in's password: scripts check it never
// appears in any output.
const scriptQuestDBPassword = "s3cret-Pw-7781"

// TestScripts runs the txtar scripts in testdata/script. Each starts with a
// fresh copy of examples/quickstart in $WORK/quickstart (and of the other
// examples in $WORK/example-NAME) and a fake Kraken. Set
// CANDLEKEEP_UPDATE_GOLDEN=1 to rewrite the golden files inside the scripts.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Condition:           scriptCondition,
		UpdateScripts:       os.Getenv("CANDLEKEEP_UPDATE_GOLDEN") != "",
		Setup: func(env *testscript.Env) error {
			// Every script gets its own fake Kraken, its clock at
			// $NOW, its address in $KRAKEN_URL. Its rate accounting
			// forgives 100 ms of scheduling jitter on a busy machine; a
			// client 10% too fast is still caught.
			kraken := krakenfake.New(krakenfake.Options{Now: scriptNow, Tolerance: 100 * time.Millisecond})
			env.Defer(kraken.Close)
			env.Values[krakenKey{}] = kraken
			env.Setenv("KRAKEN_URL", kraken.URL())
			env.Setenv("NOW", time.Unix(scriptNow, 0).UTC().Format(time.RFC3339))
			// And its own QuestDB stand-in, which wants a password.
			qdb := questdbtest.New(questdbtest.Options{Username: "candlekeep", Password: scriptQuestDBPassword})
			env.Defer(qdb.Close)
			env.Values[questdbKey{}] = qdb
			env.Setenv("QDB_ADDR", qdb.Addr())
			env.Setenv("QDB_PASSWORD", scriptQuestDBPassword)
			for example, dir := range map[string]string{"quickstart": "quickstart", "nightly": "example-nightly", "questdb": "example-questdb", "prometheus": "example-prometheus"} {
				if err := copyExample(example, filepath.Join(env.WorkDir, dir)); err != nil {
					return err
				}
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"sinkcount":      cmdSinkCount,
			"corruptzip":     cmdCorruptZip,
			"hostile":        cmdHostile,
			"kraken":         cmdKraken,
			"rebuildcheck":   cmdRebuildCheck,
			"sinkdelete":     cmdSinkDelete,
			"sinkset":        cmdSinkSet,
			"questdb":        cmdQuestDB,
			"jsonlines":      cmdJSONLines,
			"jsonvalid":      cmdJSONValid,
			"statev1":        cmdStateV1,
			"sinkdrop":       cmdSinkDrop,
			"statemigration": cmdStateMigration,
			"tmpfs":          cmdTmpfs,
			"fill":           cmdFill,
			"evidence":       cmdEvidence,
			"status":         cmdStatus,
			"sinkcandle":     cmdSinkCandle,
			"sinkmatches":    cmdSinkMatches,
			"promtool":       cmdPromtool,
		},
	})
}

// copyQuickstart copies the quickstart example to dst.
func copyQuickstart(dst string) error { return copyExample("quickstart", dst) }

// copyExample copies one of examples/ (without any state left in it by a
// manual run) to dst.
func copyExample(name, dst string) error {
	src := filepath.Join("..", "..", "examples", name)
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
