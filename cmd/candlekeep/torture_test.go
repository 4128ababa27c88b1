package main

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/feefifofunds/candlekeep/internal/failpoint"
	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
)

// The crash torture test runs real `candlekeep apply` processes, built with
// -tags failpoints, and kills them with SIGKILL again and again, each time
// either at an exact point of the write path (a failpoint: inside a sink
// batch before its commit, after the sink's commit before state heard of
// it, inside the state transaction before its commit, while a derive reads
// its source back) or from outside after a random delay. After every kill,
// state must claim no candle the sink lacks (derived ones included); once
// an apply completes, the sink must hold every wanted candle exactly once
// with its source's values (derived ones equal to the aggregation of their
// source), state's coverage must match the sink, no run may be left
// running and the lock must be free.
//
// Where the kills land comes from a seeded generator. CI runs fixed seeds
// (tortureSeedSQLite and tortureSeedQuestDB), so it is reproducible; the
// test logs the seed and every kill, and a failure replays with
//
//	CANDLEKEEP_TORTURE_SEED=<seed> go test -run 'Torture/<sink>' ./cmd/candlekeep/
//
// Any other seed explores other kill points.

const (
	tortureSeedSQLite  = 1
	tortureSeedQuestDB = 2
	// tortureKills is how many kills each sink must survive.
	tortureKills = 20
	// tortureMaxApplies bounds the loop, so a bug that stops progress
	// fails the test instead of hanging it.
	tortureMaxApplies = 200
)

// tortureKillPoint is where one apply is to die: a failpoint name and the
// hit to die on, or an external SIGKILL after a delay.
type tortureKillPoint struct {
	Failpoint string // "" for an external kill
	Hit       int
	Delay     time.Duration
}

func (k tortureKillPoint) String() string {
	if k.Failpoint == "" {
		return "external SIGKILL after " + k.Delay.String()
	}
	return fmt.Sprintf("%s:%d", k.Failpoint, k.Hit)
}

func TestTorture(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash torture test runs real processes for a while; skipped with -short")
	}
	bin := buildFailpointBinary(t)
	data := newTortureData(t, t.TempDir())
	kraken := krakenfake.New(krakenfake.Options{Now: scriptNow, Tolerance: 100 * time.Millisecond})
	t.Cleanup(kraken.Close)
	data.addRebuilt(t, kraken)

	t.Run("sqlite", func(t *testing.T) {
		tortureRun(t, &tortureRig{
			bin: bin, data: data, krakenURL: kraken.URL(),
			seed:       tortureSeed(t, tortureSeedSQLite),
			failpoints: []string{"sqlite.batch.commit", "sqlite.batch.committed", "state.record", "executor.rebuild.page", "executor.derive.page"},
			newRound: func(t *testing.T, round int) (string, tortureSink) {
				dir := t.TempDir()
				return dir, sqliteTortureSink{path: filepath.Join(dir, ".candlekeep", "candles.db")}
			},
		})
	})
	t.Run("questdb", func(t *testing.T) {
		qdb := questdbtest.New(questdbtest.Options{})
		t.Cleanup(qdb.Close)
		rig := &tortureRig{
			bin: bin, data: data, krakenURL: kraken.URL(),
			seed:       tortureSeed(t, tortureSeedQuestDB),
			failpoints: []string{"questdb.flush", "questdb.flush.acked", "state.record", "executor.rebuild.page", "executor.derive.page"},
			env:        []string{"QDB_ADDR=" + qdb.Addr()},
		}
		rig.newRound = func(t *testing.T, round int) (string, tortureSink) {
			// Each round has a table of its own in the one stand-in.
			table := fmt.Sprintf("candles_r%d", round)
			rig.sinkBlock = fmt.Sprintf("sink \"questdb\" {\n  conf  = \"http::addr=${env(\"QDB_ADDR\")};\"\n  table = %q\n}", table)
			return t.TempDir(), questdbTortureSink{qdb: qdb, table: table}
		}
		tortureRun(t, rig)
	})
}

// tortureRig is one sink's torture run.
type tortureRig struct {
	bin        string
	data       *tortureData
	krakenURL  string
	seed       uint64
	failpoints []string
	env        []string // extra environment of every apply
	sinkBlock  string   // HCL sink block; "" is the default SQLite sink
	// newRound returns a fresh workspace and its sink.
	newRound func(t *testing.T, round int) (string, tortureSink)
}

// tortureRun kills applies until tortureKills kills have happened, then
// lets the last one complete. An apply that completes before that ends a
// round: its workspace is checked and a fresh one begins, so every kill
// lands on real work.
func tortureRun(t *testing.T, rig *tortureRig) {
	t.Logf("seed %d (replay with CANDLEKEEP_TORTURE_SEED=%d go test -run 'Torture/%s' ./cmd/candlekeep/)", rig.seed, rig.seed, strings.Split(t.Name(), "/")[1])
	rng := rand.New(rand.NewPCG(rig.seed, rig.seed))
	started := time.Now()
	kills, takeovers, applies := 0, 0, 0
	byPoint := map[string]int{}
	var log []string
	defer func() {
		t.Logf("%d kills in %d applies, %d lock takeovers, in %s; kills by point: %v", kills, applies, takeovers, time.Since(started).Round(time.Millisecond), byPoint)
		t.Logf("kill points in order: %s", strings.Join(log, "; "))
	}()
	for round := 1; ; round++ {
		dir, sink := rig.newRound(t, round)
		rig.writeConfig(t, dir)
		previousFailpoint := false
		for {
			if applies++; applies > tortureMaxApplies {
				t.Fatalf("no completed apply after %d applies: the torture makes no progress", tortureMaxApplies)
			}
			var kp *tortureKillPoint
			if missing := rig.missingPoints(byPoint); kills < tortureKills || len(missing) > 0 {
				p := rig.pickKillPoint(rng)
				if kills >= tortureKills {
					// Every point must have killed at least once.
					p = rig.killPointAt(missing[0], rng)
				}
				kp = &p
			}
			res := rig.apply(t, dir, kp, rng)
			tookOver := strings.Contains(res.stderr, "took over the state lock")
			if tookOver {
				takeovers++
			}
			// A failpoint fires only after the lock is taken, so the
			// next apply must find the dead holder's lock and take it
			// over (unless killed from outside before it got there).
			externalKill := res.killed && kp != nil && kp.Failpoint == ""
			if previousFailpoint && !externalKill && !tookOver {
				t.Fatalf("apply %d after a failpoint kill did not take over the dead holder's lock:\nstdout:\n%s\nstderr:\n%s", applies, res.stdout, res.stderr)
			}
			previousFailpoint = res.killed && !externalKill
			if res.killed {
				kills++
				name := "external"
				if kp != nil && kp.Failpoint != "" {
					name = kp.Failpoint
				}
				byPoint[name]++
				log = append(log, fmt.Sprintf("r%d %s (-parallelism=%d, %s)", round, kp, res.parallelism, res.took.Round(time.Millisecond)))
				if err := checkStateNotAhead(t, dir, sink, rig.data); err != nil {
					t.Fatalf("after kill %d (%s): %v\nstdout:\n%s\nstderr:\n%s", kills, kp, err, res.stdout, res.stderr)
				}
				continue
			}
			if res.code != 0 {
				t.Fatalf("apply %d (kill point %v) failed with exit %d:\nstdout:\n%s\nstderr:\n%s", applies, kp, res.code, res.stdout, res.stderr)
			}
			if kp != nil {
				// It completed before its kill point: the final word
				// belongs to an apply with no failpoint armed.
				res = rig.apply(t, dir, nil, rng)
				applies++
				if res.code != 0 || res.killed {
					t.Fatalf("apply after a completed one failed: exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
				}
			}
			break
		}
		checkTortureEnd(t, dir, sink, rig.data)
		if t.Failed() {
			return
		}
		// Every failpoint and the external kill must have killed at least
		// once: a binary whose failpoints never fire would otherwise pass
		// on external kills alone (tortureMaxApplies bounds the wait).
		if kills >= tortureKills && len(rig.missingPoints(byPoint)) == 0 {
			return
		}
	}
}

// pickKillPoint chooses a failpoint (and which of its hits) or an
// external kill. Failpoint hits are drawn from the first few, so that
// most armed applies die while work remains.
func (rig *tortureRig) pickKillPoint(rng *rand.Rand) tortureKillPoint {
	i := rng.IntN(len(rig.failpoints) + 1)
	if i == len(rig.failpoints) {
		return rig.killPointAt("external", rng)
	}
	return rig.killPointAt(rig.failpoints[i], rng)
}

// missingPoints are the kill points (failpoints, then "external") that
// have not killed an apply yet.
func (rig *tortureRig) missingPoints(byPoint map[string]int) []string {
	var missing []string
	for _, name := range append(slices.Clone(rig.failpoints), "external") {
		if byPoint[name] == 0 {
			missing = append(missing, name)
		}
	}
	return missing
}

// killPointAt arms the named failpoint at one of its first hits, or
// ("external") a SIGKILL after a random delay.
func (rig *tortureRig) killPointAt(name string, rng *rand.Rand) tortureKillPoint {
	if name == "external" {
		return tortureKillPoint{Delay: time.Duration(100+rng.IntN(1400)) * time.Millisecond}
	}
	maxHit := 12
	switch name {
	case "state.record":
		maxHit = 5
	case "executor.rebuild.page":
		maxHit = 40 // a rebuild of the torture's tape reads about 50 pages
	}
	return tortureKillPoint{Failpoint: name, Hit: 1 + rng.IntN(maxHit)}
}

func (rig *tortureRig) writeConfig(t *testing.T, dir string) {
	t.Helper()
	config := fmt.Sprintf(tortureConfig, rig.data.MinutesDir, rig.data.DailyZip, rig.sinkBlock)
	writeTortureFile(t, filepath.Join(dir, "main.hcl"), []byte(config))
}

// tortureResult is how one apply ended.
type tortureResult struct {
	killed         bool // by SIGKILL, from a failpoint or the test
	code           int
	parallelism    int
	took           time.Duration
	stdout, stderr string
}

// apply runs one apply to its end; kp, when set, is where it dies.
func (rig *tortureRig) apply(t *testing.T, dir string, kp *tortureKillPoint, rng *rand.Rand) tortureResult {
	t.Helper()
	parallelism := []int{1, 2, 4}[rng.IntN(3)]
	cmd := exec.Command(rig.bin, "-chdir="+dir, "apply", "-auto-approve", "-no-color",
		"-parallelism="+strconv.Itoa(parallelism), "-now="+time.Unix(scriptNow, 0).UTC().Format(time.RFC3339))
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, failpoint.EnvVar+"=") })
	env = append(env, rig.env...)
	env = append(env, "KRAKEN_URL="+rig.krakenURL)
	if kp != nil && kp.Failpoint != "" {
		env = append(env, failpoint.EnvVar+"="+kp.String())
	}
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	started := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if kp != nil && kp.Failpoint == "" {
		// The delay is where the kill lands, not a wait for anything.
		timer := time.AfterFunc(kp.Delay, func() { _ = cmd.Process.Signal(syscall.SIGKILL) })
		defer timer.Stop()
	}
	err := cmd.Wait()
	res := tortureResult{parallelism: parallelism, took: time.Since(started), stdout: stdout.String(), stderr: stderr.String(), code: cmd.ProcessState.ExitCode()}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			res.killed = true
		}
	} else if err != nil {
		t.Fatal(err)
	}
	return res
}

// tortureSeed is the seed of a sink's run: CANDLEKEEP_TORTURE_SEED when
// set, else the fixed one CI runs.
func tortureSeed(t *testing.T, fixed uint64) uint64 {
	t.Helper()
	v := os.Getenv("CANDLEKEEP_TORTURE_SEED")
	if v == "" {
		return fixed
	}
	seed, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		t.Fatalf("CANDLEKEEP_TORTURE_SEED=%q: %v", v, err)
	}
	return seed
}

// buildFailpointBinary builds candlekeep with its failpoints compiled in.
func buildFailpointBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "candlekeep")
	cmd := exec.Command("go", "build", "-tags", "failpoints", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags failpoints: %v\n%s", err, out)
	}
	return bin
}
