package workspace

import (
	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/planner"
)

// LostGap is an unfillable gap with candles lost for good (Lost: no run
// reached them while the API still served them) and how much that
// matters to the coverage blocks asking for the series.
type LostGap struct {
	planner.Action
	Severity config.Severity
}

// Lost lists the plan's lost stretches, in the plan's order, and whether
// any of them is an error (lost_severity = "error"), which fails apply
// and check.
func Lost(cfg *config.Config, p *planner.Plan) (lost []LostGap, fatal bool) {
	for _, a := range p.Listing() {
		if a.Kind != planner.Unfillable || a.Lost.Empty() {
			continue
		}
		sev := lostSeverity(cfg, a)
		lost = append(lost, LostGap{Action: a, Severity: sev})
		fatal = fatal || sev == config.SeverityError
	}
	return lost, fatal
}

// lostSeverity is the strictest severity of the coverage blocks asking
// for the gap's series.
func lostSeverity(cfg *config.Config, a planner.Action) config.Severity {
	sev := config.SeverityWarn
	for _, c := range cfg.Coverage {
		for _, name := range a.Coverage {
			if c.Name == name && c.Lost() == config.SeverityError {
				sev = config.SeverityError
			}
		}
	}
	return sev
}
