package questdb_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/sinks/questdb"
)

// TestValidateAgreesWithOpen: config (validate) and Open both check the
// conf with qconf, and Open also lets the client read it. Both must agree
// either way: a conf validate accepts but Open refuses fails only at
// apply, and one Open accepts but validate refuses cannot be used at all.
func TestValidateAgreesWithOpen(t *testing.T) {
	confs := []string{
		"http::addr=h:9000;",
		"https::addr=h:9000;username=u;password=p;tls_verify=on;",
		"http::addr=h:9000;token=t;token_x=x;token_y=y;",
		"http::addr=h:9000;token_x=x;",
		"http::addr=h:9000;request_min_throughput=0;",
		"http::addr=h:9000;request_min_throughput=-1;",
		"http::addr=h:9000;request_min_throughput=100000;request_timeout=0;retry_timeout=0;",
		"http::addr=h:9000;init_buf_size=0;max_buf_size=0;",
		"http::addr=h:9000;init_buf_size=x;",
		"http::addr=h:9000;auto_flush=off;",
		"http::addr=h:9000;auto_flush=on;",
		"http::addr=h:9000;auto_flush_rows=off;",
		"http::addr=h:9000;tls_verify=on;",
		"https::addr=h:9000;tls_verify=maybe;",
		"https::addr=h:9000;tls_roots=/x;",
		"http::addr=h:9000;username=u;",
		"http::addr=h:9000;token=t;password=p;username=u;",
		"http::addr=h:9000;addr=g:9000;",
		"http::addr=h:9000;bogus=1;",
		"http::addr=h:9000",
		"http::addr=h:9000;;",
		"http::addr=h;;9000;",
		"http::;",
		"http::",
		"http::addr=;",
		"http::=x;",
		" http::addr=h:9000;",
		"tcp::addr=h:9009;",
		"addr=h:9000;",
	}
	for _, conf := range confs {
		_, openErr := questdb.Open(context.Background(), conf, "candles")
		dir := t.TempDir()
		hcl := "sink \"questdb\" {\n  conf = env(\"QDB_CONF\")\n}\n"
		if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(hcl), 0o600); err != nil {
			t.Fatal(err)
		}
		_, diags := config.Load(dir, config.LoadOptions{Environ: []string{"QDB_CONF=" + conf}})
		switch {
		case openErr != nil && !diags.HasErrors():
			t.Errorf("conf %q: Open refuses it (%v), validate accepts it", conf, openErr)
		case openErr == nil && diags.HasErrors():
			t.Errorf("conf %q: validate refuses it (%v), Open accepts it", conf, diags.Error())
		}
	}
}
