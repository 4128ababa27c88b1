package config

import (
	"fmt"
	"math/big"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Defaults of the api block.
const (
	DefaultAPIBaseURL    = "https://api.kraken.com"
	DefaultAPIRateLimit  = 1.0 // requests per second: Kraken's public limit
	DefaultAPIBurst      = 1
	DefaultAPIMaxRetries = 5
	DefaultAPITimeout    = 30 * time.Second
	DefaultAPIMargin     = 10
	// DefaultAPISettle is how long after its close a candle from the API
	// stays provisional: Kraken revises recent candles (volume still
	// changing after closing time), so the next run fetches them again.
	DefaultAPISettle = time.Hour
)

// Bounds of the api block's numbers.
const (
	MaxAPIRetries = 20
	// MaxAPIMargin leaves the API window at least 20 candles: Kraken
	// answers at most 720.
	MaxAPIMargin = 700
)

// DefaultAPI is the API configuration without an api block.
func DefaultAPI() API {
	return API{
		Enabled:    true,
		BaseURL:    DefaultAPIBaseURL,
		RateLimit:  DefaultAPIRateLimit,
		Burst:      DefaultAPIBurst,
		MaxRetries: DefaultAPIMaxRetries,
		Timeout:    DefaultAPITimeout,
		Margin:     DefaultAPIMargin,
		Settle:     DefaultAPISettle,
		Rebuild:    DefaultRebuild(),
	}
}

var (
	apiSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "enabled"}, {Name: "base_url"}, {Name: "rate_limit"}, {Name: "burst"},
		{Name: "max_retries"}, {Name: "timeout"}, {Name: "empty_candles"}, {Name: "margin"},
		{Name: "settle"},
	}, Blocks: []hcl.BlockHeaderSchema{{Type: "rebuild"}}}

	// rateNotation is "N/s", "N/m" or "N/h", N a plain decimal number.
	rateNotation = regexp.MustCompile(`^(\d+(?:\.\d+)?|\.\d+)/([smh])$`)
	rateUnits    = map[string]float64{"s": 1, "m": 60, "h": 3600}
)

func (d *decoder) api(blocks []*hcl.Block) API {
	a := DefaultAPI()
	b := d.onlyOne(blocks, "api")
	if b == nil {
		return a
	}
	content, diags := b.Body.Content(apiSchema)
	d.diags = append(d.diags, diags...)
	attrs := content.Attributes

	if v, ok := d.boolean(attrs, "enabled"); ok {
		a.Enabled = v
	}
	if s, attr, ok := d.str(attrs, "base_url"); ok {
		if u, err := parseBaseURL(s); err != nil {
			d.errorf(attr.Expr.Range(), "Invalid base_url", "%s", err)
		} else {
			a.BaseURL = u
		}
	}
	if s, attr, ok := d.str(attrs, "rate_limit"); ok {
		if r, err := ParseRate(s); err != nil {
			d.errorf(attr.Expr.Range(), "Invalid rate_limit", "%s", capitalize(err.Error()))
		} else {
			a.RateLimit = r
		}
	}
	if n, attr, ok := d.integer(attrs, "burst"); ok {
		if n < 1 {
			d.errorf(attr.Expr.Range(), "Invalid burst",
				"burst is how many requests may start at once, at least 1, not %d.", n)
		} else {
			a.Burst = n
		}
	}
	if n, attr, ok := d.integer(attrs, "max_retries"); ok {
		if n < 0 || n > MaxAPIRetries {
			d.errorf(attr.Expr.Range(), "Invalid max_retries",
				"max_retries must be between 0 (no retries) and %d, not %d.", MaxAPIRetries, n)
		} else {
			a.MaxRetries = n
		}
	}
	if dur, _ := d.positiveDuration(attrs, "timeout"); dur > 0 {
		a.Timeout = dur
	}
	if s, attr, ok := d.str(attrs, "settle"); ok {
		// "0s" is allowed: every fetched candle final at once.
		if dur, err := ParseDuration(s); err != nil {
			d.errorf(attr.Expr.Range(), "Invalid settle", "%s", capitalize(err.Error()))
		} else {
			a.Settle = dur
		}
	}
	if s, attr, ok := d.str(attrs, "empty_candles"); ok {
		switch s {
		case "omit":
			a.KeepEmpty = false
		case "keep":
			a.KeepEmpty = true
		default:
			d.errorf(attr.Expr.Range(), "Invalid empty_candles",
				"empty_candles must be \"omit\" (drop the API's zero-trade filler candles, as the CSV downloads do) or \"keep\", not %q.%s",
				s, didYouMean(suggest(s, []string{"omit", "keep"})))
		}
	}
	if n, attr, ok := d.integer(attrs, "margin"); ok {
		// At least 1: Kraken's 720 rows include the forming candle, so no
		// answer holds more than 719 closed ones.
		if n < 1 || n > MaxAPIMargin {
			d.errorf(attr.Expr.Range(), "Invalid margin",
				"margin is how many candles short of Kraken's 720 the API window stops: between 1 and %d, not %d.", MaxAPIMargin, n)
		} else {
			a.Margin = n
		}
	}
	a.Rebuild = d.rebuild(content.Blocks.OfType("rebuild"), a.RateLimit)
	return a
}

// ParseRate parses a request rate written "N/s", "N/m" or "N/h" (N a
// positive number, possibly fractional: "0.5/s", "30/m") into requests per
// second.
func ParseRate(s string) (float64, error) {
	m := rateNotation.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("rate %q is not a number of requests per s, m or h, such as \"1/s\", \"0.5/s\" or \"30/m\"", s)
	}
	n, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, fmt.Errorf("rate %q: %w", s, err)
	}
	if n <= 0 {
		return 0, fmt.Errorf("rate %q must be more than zero; to stop using the API, set enabled = false", s)
	}
	// A slower limit would leave apply waiting for days on one request,
	// and a tiny enough one underflows to zero, which never allows any.
	perSecond := n / rateUnits[m[2]]
	if perSecond < minRate {
		return 0, fmt.Errorf("rate %q is less than one request a day; to stop using the API, set enabled = false", s)
	}
	return perSecond, nil
}

// minRate is the slowest request rate accepted: one a day, in requests per
// second.
const minRate = 1.0 / 86400

// parseBaseURL checks an absolute http(s) URL without query, fragment or
// credentials, and drops trailing slashes so that endpoint paths can be
// appended.
func parseBaseURL(s string) (string, error) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "", fmt.Errorf("base_url %q is not a URL: %v", s, err)
	case (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return "", fmt.Errorf("base_url %q must be an absolute http or https URL, such as %q", s, DefaultAPIBaseURL)
	case u.RawQuery != "" || u.ForceQuery:
		return "", fmt.Errorf("base_url %q must not have a query string: candlekeep adds its own", s)
	case u.Fragment != "" || strings.Contains(s, "#"):
		// Even an empty one: the endpoint paths appended to the URL would
		// land in it.
		return "", fmt.Errorf("base_url %q must not have a fragment", s)
	case u.User != nil:
		return "", fmt.Errorf("base_url must not hold credentials: Kraken's public endpoints need none, and the URL appears in logs")
	}
	return strings.TrimRight(s, "/"), nil
}

// boolean evaluates attribute name of attrs as a bool.
func (d *decoder) boolean(attrs hcl.Attributes, name string) (bool, bool) {
	attr := attrs[name]
	if attr == nil {
		return false, false
	}
	v, ok := d.value(attr.Expr)
	if !ok {
		return false, false
	}
	v, ok = d.convertTo(v, cty.Bool, attr.Expr.Range(), fmt.Sprintf("The %q argument", name))
	if !ok {
		return false, false
	}
	return v.True(), true
}

// integer evaluates attribute name of attrs as a whole number.
func (d *decoder) integer(attrs hcl.Attributes, name string) (int, *hcl.Attribute, bool) {
	attr := attrs[name]
	if attr == nil {
		return 0, nil, false
	}
	v, ok := d.value(attr.Expr)
	if !ok {
		return 0, attr, false
	}
	v, ok = d.convertTo(v, cty.Number, attr.Expr.Range(), fmt.Sprintf("The %q argument", name))
	if !ok {
		return 0, attr, false
	}
	f := v.AsBigFloat()
	if !f.IsInt() {
		d.errorf(attr.Expr.Range(), "Invalid "+name, "%s must be a whole number, not %s.", name, f.Text('f', -1))
		return 0, attr, false
	}
	// Anything beyond int32 is out of every bound here; clamp so the
	// range check reports it.
	n, acc := f.Int64()
	if acc != big.Exact || n > 1<<31 || n < -(1<<31) {
		if f.Sign() < 0 {
			n = -(1 << 31)
		} else {
			n = 1 << 31
		}
	}
	return int(n), attr, true
}
