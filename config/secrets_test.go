package config

import (
	"bytes"
	"strings"
	"testing"
)

// A mistake in an expression that uses a variable holding a secret must not
// print the variable's value: HCL's diagnostics would say "with var.pw as
// ...". And credentials in a QuestDB addr are refused.
func TestDiagnosticsNeverShowSecrets(t *testing.T) {
	const secret = "fromenv-s3cret-9911"
	tests := map[string]string{
		"bad function call": `variable "pw" {}
sink "questdb" {
  conf = "http::addr=localhost:9000;username=u;password=${replace(var.pw, ";", 1, 2)};"
}
`,
		"bad arithmetic": `variable "pw" {}
state {
  backend = "postgres"
  dsn     = "postgres://u:${var.pw + 1}@db/candlekeep"
}
`,
		"credentials in addr": `variable "pw" {}
sink "questdb" {
  conf = "http::addr=u:${var.pw}@localhost:9000;"
}
`,
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"main.hcl": src})
			cfg, diags := Load(dir, LoadOptions{Environ: []string{"CANDLEKEEP_VAR_pw=" + secret}})
			if !diags.HasErrors() {
				t.Fatal("the mistake was accepted")
			}
			var b bytes.Buffer
			if err := WriteDiagnostics(&b, cfg.Files, diags, 0, false); err != nil {
				t.Fatal(err)
			}
			if out := b.String() + diags.Error(); strings.Contains(out, secret) {
				t.Errorf("the diagnostics show the secret:\n%s", out)
			}
		})
	}
}
