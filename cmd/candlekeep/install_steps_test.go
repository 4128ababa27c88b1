package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestSystemdInstallStepsAsWritten runs the install steps of
// examples/systemd/README.md line by line, as root, into a scratch root
// and with a throwaway service user: every path the steps name is moved
// under the scratch root and the user renamed, nothing else is changed.
// apt-get and systemctl lines are skipped (no network, no systemd as PID
// 1 here): the scratch root gets node_exporter's directory instead, and
// systemd-analyze verify runs against the scratch root with the binary in
// place. The configuration is the quickstart's (offline), with state at a
// path read from the environment file, so init and apply fail unless the
// file is loaded before them.
func TestSystemdInstallStepsAsWritten(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and creates a user")
	}
	if os.Geteuid() != 0 {
		t.Skip("the install steps run as root (they create a user); run the tests as root, as .ci/run does in CI")
	}
	for _, tool := range []string{"useradd", "userdel", "runuser", "install", "systemd-analyze"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	steps := installSteps(t, filepath.Join("..", "..", "examples", "systemd", "README.md"))

	// The scratch root must be reachable by the service user.
	root, err := os.MkdirTemp("", "candlekeep-install-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	svc := fmt.Sprintf("ckdoc%d", os.Getpid()%100000)
	if _, err := user.Lookup(svc); err == nil {
		t.Skipf("user %s exists already", svc)
	}
	t.Cleanup(func() { _ = exec.Command("userdel", svc).Run() })

	// The checkout the steps run from: examples/systemd with the binary
	// and env, and ../nightly.
	here := filepath.Join(root, "checkout", "examples", "systemd")
	config := filepath.Join(root, "checkout", "examples", "nightly")
	must(t, copyExample("systemd", here))
	must(t, copyExample("quickstart", config))
	must(t, os.WriteFile(filepath.Join(config, "state.hcl"), []byte("state {\n  backend = \"sqlite\"\n  path    = env(\"CANDLEKEEP_STATE_PATH\")\n}\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(here, "env"), []byte("CANDLEKEEP_STATE_PATH='.candlekeep/state.db'\n"), 0o644))
	build := exec.Command("go", "build", "-o", filepath.Join(here, "candlekeep"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// What apt-get install prometheus-node-exporter would create, and the
	// unit search path systemd-analyze needs under --root.
	must(t, os.MkdirAll(filepath.Join(root, "var/lib/prometheus/node-exporter"), 0o755))
	must(t, os.MkdirAll(filepath.Join(root, "lib/systemd"), 0o755))
	if out, err := exec.Command("cp", "-a", "/lib/systemd/system", filepath.Join(root, "lib/systemd/")).CombinedOutput(); err != nil {
		t.Fatalf("copy systemd's units: %v\n%s", err, out)
	}

	moved := strings.NewReplacer(
		"/usr/local/bin/candlekeep", root+"/usr/local/bin/candlekeep",
		"/var/lib/candlekeep", root+"/var/lib/candlekeep",
		"/etc/candlekeep", root+"/etc/candlekeep",
		"/etc/systemd/system", root+"/etc/systemd/system",
		"/var/lib/prometheus/node-exporter", root+"/var/lib/prometheus/node-exporter",
		"-u candlekeep ", "-u "+svc+" ",
		"-o candlekeep ", "-o "+svc+" ",
		"-g candlekeep ", "-g "+svc+" ",
		"candlekeep:candlekeep ", svc+":"+svc+" ",
		"chgrp candlekeep ", "chgrp "+svc+" ",
		"nologin candlekeep", "nologin "+svc,
	)
	for _, dir := range []string{"usr/local/bin", "etc/systemd/system"} {
		must(t, os.MkdirAll(filepath.Join(root, dir), 0o755))
	}
	for _, step := range steps {
		cmd, ok := strings.CutPrefix(step, "sudo ")
		if !ok {
			t.Fatalf("install step %q does not start with sudo", step)
		}
		switch {
		case strings.HasPrefix(cmd, "apt-get "), strings.HasPrefix(cmd, "systemctl "):
			t.Logf("skipped: %s", step)
			continue
		case strings.HasPrefix(cmd, "systemd-analyze verify "):
			// The units as installed, their paths as written, the
			// scratch root as /.
			cmd = strings.Replace(cmd, "verify ", "verify --root="+root+" ", 1)
		default:
			cmd = moved.Replace(cmd)
		}
		sh := exec.Command("sh", "-c", cmd)
		sh.Dir = here
		out, err := sh.CombinedOutput()
		if err != nil {
			t.Fatalf("install step failed: %s\nran: %s\n%v\n%s", step, cmd, err, out)
		}
		if strings.HasPrefix(cmd, "systemd-analyze") && strings.Contains(string(out), "candlekeep") {
			t.Errorf("systemd-analyze verify complained:\n%s", out)
		}
	}

	// The state, the sink and the lock are the service user's; the
	// environment file is root's alone.
	u, err := user.Lookup(svc)
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	for _, p := range []string{"var/lib/candlekeep/.candlekeep/state.db", "var/lib/candlekeep/.candlekeep/candles.db"} {
		fi, err := os.Stat(filepath.Join(root, p))
		if err != nil {
			t.Fatalf("after the install steps: %v", err)
		}
		if owner := int(fi.Sys().(*syscall.Stat_t).Uid); owner != uid {
			t.Errorf("%s belongs to uid %d, not the service user (%d)", p, owner, uid)
		}
	}
	fi, err := os.Stat(filepath.Join(root, "etc/candlekeep/env"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 || fi.Sys().(*syscall.Stat_t).Uid != 0 {
		t.Errorf("env is %v, uid %d; want 0600, root's", fi.Mode().Perm(), fi.Sys().(*syscall.Stat_t).Uid)
	}
}

// installSteps are the commands of the README's first code block under
// "## Install".
func installSteps(t *testing.T, readme string) []string {
	t.Helper()
	f, err := os.Open(readme)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var steps []string
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "## Install":
			in = true
		case !in:
		case strings.HasPrefix(line, "    "):
			steps = append(steps, strings.TrimSpace(line))
		case len(steps) > 0:
			return steps
		}
	}
	t.Fatalf("%s has no install steps", readme)
	return nil
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
