package main

import (
	"os"
	"path/filepath"
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
