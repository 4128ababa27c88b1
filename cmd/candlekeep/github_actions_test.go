package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestGitHubActionsExampleAgrees checks that the two example workflows
// still agree with each other and with candlekeep: no CI runs them here.
func TestGitHubActionsExampleAgrees(t *testing.T) {
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join("..", "..", "examples", "github-actions", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	plan, apply := read("candlekeep-plan.yml"), read("candlekeep-apply.yml")
	for _, want := range []string{
		"'<!-- candlekeep-plan -->'",
		"plan -no-color -out=\"$GITHUB_WORKSPACE/plan.tfplan\"",
		"show -markdown \"$GITHUB_WORKSPACE/plan.tfplan\"",
		"name: candlekeep-plan-pr-${{ github.event.pull_request.number }}",
		"path: plan.tfplan",
	} {
		if !strings.Contains(plan, want) {
			t.Errorf("candlekeep-plan.yml lacks %q", want)
		}
	}
	for _, want := range []string{
		"workflow_id: 'candlekeep-plan.yml'",
		"name: candlekeep-plan-pr-${{ steps.reviewed.outputs.pr }}",
		"apply \"$RUNNER_TEMP/reviewed/plan.tfplan\"",
	} {
		if !strings.Contains(apply, want) {
			t.Errorf("candlekeep-apply.yml lacks %q", want)
		}
	}
	// The truncation notice points to the file the workflow keeps.
	if !strings.Contains(cutNotice(1, defaultPlanFile), "candlekeep show plan.tfplan") {
		t.Errorf("the cut notice names %q, not the workflow's plan.tfplan", defaultPlanFile)
	}
	for name, text := range map[string]string{"candlekeep-plan.yml": plan, "candlekeep-apply.yml": apply} {
		if strings.Contains(text, "\t") {
			t.Errorf("%s has a tab, which YAML refuses for indentation", name)
		}
	}
}

// usesLine is a step's action pinned by commit, its tag in a comment.
var usesLine = regexp.MustCompile(`^\s+(?:- )?uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$`)

// TestGitHubActionsPinnedByCommit: the runners hold secrets, and a tag
// can be moved to other code; a commit cannot.
func TestGitHubActionsPinnedByCommit(t *testing.T) {
	for _, name := range []string{"candlekeep-plan.yml", "candlekeep-apply.yml"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "examples", "github-actions", name))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, "uses:") && !usesLine.MatchString(line) {
				t.Errorf("%s:%d: %q is not pinned as uses: OWNER/REPO@SHA # vX.Y.Z", name, i+1, strings.TrimSpace(line))
			}
		}
	}
}

// TestGitHubActionsActionlint lints the example workflows with actionlint
// (go install github.com/rhysd/actionlint/cmd/actionlint; .ci/run does).
func TestGitHubActionsActionlint(t *testing.T) {
	actionlint, err := exec.LookPath("actionlint")
	if err != nil {
		t.Skip("actionlint is not installed (go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12; .ci/run installs it)")
	}
	// The runners' custom label, which actionlint must be told about.
	conf := filepath.Join(t.TempDir(), "actionlint.yaml")
	if err := os.WriteFile(conf, []byte("self-hosted-runner:\n  labels:\n    - candlekeep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "examples", "github-actions")
	cmd := exec.Command(actionlint, "-config-file", conf, filepath.Join(dir, "candlekeep-plan.yml"), filepath.Join(dir, "candlekeep-apply.yml"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("actionlint: %v\n%s", err, out)
	}
}
