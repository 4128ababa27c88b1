package config

import (
	"math"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Defaults of the api block's rebuild block.
const (
	// DefaultRebuildMaxRequests is one hour of requests at Kraken's
	// public rate of one a second: a nightly run stays a night's work,
	// and the next run continues where it stopped.
	DefaultRebuildMaxRequests = 3600
	// DefaultTradesPerDay is the estimate's rate for a pair nothing
	// known tells about: roughly a major pair's day on Kraken.
	DefaultTradesPerDay = 20000
)

// Rebuild configures candles rebuilt from Kraken's public Trades
// endpoint, for what the dumps cannot fill and the OHLC window does not
// reach.
type Rebuild struct {
	// Enabled turns rebuilds on; off by default, since one can cost
	// hours of requests; the API must be enabled too.
	Enabled bool
	// MaxRequests is the budget of trade requests per run; what it leaves
	// out is deferred to the next run. Default 3600.
	MaxRequests int
	// MaxDuration, if set, is a second budget per run: the requests one
	// pair's rebuild makes in that time at its rate (see Budget). 0 is
	// none.
	MaxDuration time.Duration
	// PairRateLimit is the request rate of one pair's rebuild, in
	// requests per second; the api block's rate_limit is the ceiling
	// over all pairs together. 0 (the default) is rate_limit: see
	// PairRate.
	PairRateLimit float64
	// TradesPerDay is the estimate's rate for a pair nothing known tells
	// about. Default 20000.
	TradesPerDay int
}

// DefaultRebuild is the rebuild configuration without a rebuild block.
func DefaultRebuild() Rebuild {
	return Rebuild{MaxRequests: DefaultRebuildMaxRequests, TradesPerDay: DefaultTradesPerDay}
}

// PairRate is one pair's request rate under the api block's rate_limit,
// ceiling: PairRateLimit, or the ceiling when none is set.
func (r Rebuild) PairRate(ceiling float64) float64 {
	if r.PairRateLimit > 0 {
		return min(r.PairRateLimit, ceiling)
	}
	return ceiling
}

// Budget is the requests one run may make, and which setting bounds
// them: max_requests, or max_duration at a pair's rate when that allows
// fewer. Rebuilds of different pairs running side by side finish sooner
// than the budget's duration; it counts them one after another.
func (r Rebuild) Budget(ceiling float64) (requests int, by string) {
	requests, by = r.MaxRequests, "max_requests"
	if r.MaxDuration > 0 {
		if n := int(math.Floor(r.MaxDuration.Seconds() * r.PairRate(ceiling))); n < requests {
			requests, by = n, "max_duration"
		}
	}
	return requests, by
}

var rebuildSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "enabled"}, {Name: "max_requests"}, {Name: "max_duration"}, {Name: "pair_rate_limit"}, {Name: "trades_per_day"},
}}

// rebuild decodes the api block's rebuild block; ceiling is the api
// block's rate_limit, the default and upper bound of a pair's rate.
func (d *decoder) rebuild(blocks hcl.Blocks, ceiling float64) Rebuild {
	r := DefaultRebuild()
	b := d.onlyOne(blocks, "rebuild")
	if b == nil {
		return r
	}
	// A block written out means rebuilds are wanted.
	r.Enabled = true
	content, diags := b.Body.Content(rebuildSchema)
	d.diags = append(d.diags, diags...)
	attrs := content.Attributes
	if v, ok := d.boolean(attrs, "enabled"); ok {
		r.Enabled = v
	}
	if n, attr, ok := d.integer(attrs, "max_requests"); ok {
		if n < 1 {
			d.errorf(attr.Expr.Range(), "Invalid max_requests",
				"max_requests is the trade requests one run may make, at least 1, not %d; to stop rebuilding, set enabled = false.", n)
		} else {
			r.MaxRequests = n
		}
	}
	if dur, _ := d.positiveDuration(attrs, "max_duration"); dur > 0 {
		r.MaxDuration = dur
	}
	if s, attr, ok := d.str(attrs, "pair_rate_limit"); ok {
		rate, err := ParseRate(s)
		switch {
		case err != nil:
			d.errorf(attr.Expr.Range(), "Invalid pair_rate_limit", "%s", capitalize(err.Error()))
		case rate > ceiling:
			d.errorf(attr.Expr.Range(), "Invalid pair_rate_limit",
				"pair_rate_limit %q is faster than the api block's rate_limit, the ceiling over all pairs.", s)
		default:
			r.PairRateLimit = rate
		}
	}
	if n, attr, ok := d.integer(attrs, "trades_per_day"); ok {
		if n < 1 {
			d.errorf(attr.Expr.Range(), "Invalid trades_per_day",
				"trades_per_day is the estimate's rate for a pair nothing known tells about, at least 1, not %d.", n)
		} else {
			r.TradesPerDay = n
		}
	}
	return r
}
