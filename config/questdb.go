package config

import (
	"errors"

	"github.com/feefifofunds/candlekeep/sinks/questdb/qconf"
	"github.com/hashicorp/hcl/v2"
)

// questdbConf checks a questdb sink's conf with the sink's own parser
// (qconf, also used by questdb.Open, so validate refuses what apply
// would) and returns it ending in ';', so that the sink may append
// settings of its own. ok is false when it was diagnosed as an error.
func (d *decoder) questdbConf(conf string, attr *hcl.Attribute) (string, bool) {
	rng := attr.Expr.Range()
	c, err := qconf.Parse(conf, qconf.Options{Placeholder: unsetPlaceholder})
	var p *qconf.Problem
	switch {
	case errors.As(err, &p) && p.Kind == qconf.Transport:
		d.errorf(rng, "Unsupported questdb transport", "The conf %s", p.Detail)
		return "", false
	case errors.As(err, &p) && p.Kind == qconf.MissingAddr:
		d.errorf(rng, "Missing addr in questdb conf", "The conf %s", p.Detail)
		return "", false
	case errors.As(err, &p):
		d.errorf(rng, "Invalid questdb conf", "The conf %s A conf looks like \"https::addr=questdb.internal:9000;username=…;password=…;\".", p.Detail)
		return "", false
	case err != nil:
		d.errorf(rng, "Invalid questdb conf", "The conf cannot be read.")
		return "", false
	}
	if c.InsecureTLS() {
		d.diags = append(d.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "TLS verification is off",
			Detail:  "tls_verify=unsafe_off accepts any certificate, so the QuestDB credentials can be read by whoever sits between candlekeep and QuestDB. Use it for testing only.",
			Subject: rng.Ptr()})
	}
	if !c.Terminated {
		conf += ";"
	}
	return conf, true
}
