package config

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// Defaults, relative to the configuration directory.
const (
	DefaultStatePath = ".candlekeep/state.db"
	DefaultSinkPath  = ".candlekeep/candles.db"
	DefaultSinkTable = "candles"
)

// SinkTypes are the sink types this version supports.
var SinkTypes = []string{"sqlite", "questdb"}

var (
	stateSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "backend"}, {Name: "path"}, {Name: "dsn"},
	}}
	sinkSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "path"}, {Name: "table"}, {Name: "conf"},
	}}
	dumpSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "path", Required: true}, {Name: "kind"}, {Name: "until"}, {Name: "quarter"}, {Name: "trust_early_ends"},
	}}

	tableName       = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	quarterlyName   = regexp.MustCompile(`(?i)^Kraken_OHLCVT_Q([1-4])_(\d{4})(\.zip)?$`) // a zip or the folder it unzips to
	quarterNotation = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
)

// onlyOne diagnoses every block after the first and returns the first.
func (d *decoder) onlyOne(blocks []*hcl.Block, what string) *hcl.Block {
	for _, b := range blocks[min(1, len(blocks)):] {
		d.errorf(b.DefRange, "Duplicate "+what+" block",
			"Only one %s block is allowed; the first is at %s.", what, blocks[0].DefRange)
	}
	if len(blocks) == 0 {
		return nil
	}
	return blocks[0]
}

func (d *decoder) state(blocks []*hcl.Block, dir string) State {
	st := State{Backend: "sqlite", Path: resolvePath(dir, DefaultStatePath)}
	b := d.onlyOne(blocks, "state")
	if b == nil {
		return st
	}
	content, diags := b.Body.Content(stateSchema)
	d.diags = append(d.diags, diags...)
	attrs := content.Attributes
	if backend, attr, ok := d.str(attrs, "backend"); ok {
		if backend != "sqlite" && backend != "postgres" {
			d.errorf(attr.Expr.Range(), "Unsupported state backend",
				"The state backend must be \"sqlite\" or \"postgres\", not %q.", backend)
			return st
		}
		st.Backend = backend
	} else if attr != nil {
		return st
	}
	path, pathAttr, pathOK := d.str(attrs, "path")
	dsn, dsnAttr, dsnOK, unset := d.secretStr(attrs, "dsn", "The state's dsn", stateUsers) // never echo dsn: it holds secrets
	switch st.Backend {
	case "sqlite":
		if dsnAttr != nil {
			d.errorf(dsnAttr.NameRange, "Argument not allowed for sqlite state",
				"The sqlite state backend takes a path, not a dsn; dsn is for backend = \"postgres\".")
		}
		if pathOK {
			if path == "" {
				d.errorf(pathAttr.Expr.Range(), "Empty state path", "The state path must not be empty; omit it for %s.", DefaultStatePath)
			} else {
				st.Path = resolvePath(dir, path)
			}
		}
	case "postgres":
		st.Path = ""
		if pathAttr != nil {
			d.errorf(pathAttr.NameRange, "Argument not allowed for postgres state",
				"The postgres state backend takes a dsn, not a path; path is for backend = \"sqlite\".")
		}
		if dsnAttr == nil {
			d.errorf(b.DefRange, "Missing dsn for postgres state",
				"The postgres state backend needs a dsn, such as dsn = env(\"CANDLEKEEP_STATE_DSN\").")
		} else if dsnOK && dsn == "" {
			d.errorf(dsnAttr.Expr.Range(), "Empty dsn", "The postgres dsn must not be empty.")
		}
		if st.DSN, st.Unresolved = dsn, unset; len(unset) > 0 {
			st.DSN = ""
		}
	}
	return st
}

func (d *decoder) sink(blocks []*hcl.Block, dir string) Sink {
	sk := Sink{Type: "sqlite", Path: resolvePath(dir, DefaultSinkPath), Table: DefaultSinkTable}
	b := d.onlyOne(blocks, "sink")
	if b == nil {
		d.checkSQLitePath(sk.Path, nil)
		return sk
	}
	sk.Type = b.Labels[0]
	if !slices.Contains(SinkTypes, sk.Type) {
		d.errorf(b.LabelRanges[0], "Unsupported sink type",
			"Sink type %q is not supported by this version of candlekeep. Supported sink types: %s.%s",
			b.Labels[0], quoteJoin(SinkTypes), didYouMean(suggest(b.Labels[0], SinkTypes)))
		return Sink{Type: "sqlite", Path: sk.Path, Table: sk.Table}
	}
	content, diags := b.Body.Content(sinkSchema)
	d.diags = append(d.diags, diags...)
	attrs := content.Attributes
	path, pathAttr, pathOK := d.str(attrs, "path")
	conf, confAttr, confOK, unset := d.secretStr(attrs, "conf", "The sink's conf", sinkUsers) // never echo conf: it holds credentials
	switch sk.Type {
	case "sqlite":
		if confAttr != nil {
			d.errorf(confAttr.NameRange, "Argument not allowed for the sqlite sink",
				"The sqlite sink takes a path, not a conf; conf is for sink \"questdb\".")
		}
		if pathOK {
			if path == "" {
				d.errorf(pathAttr.Expr.Range(), "Empty sink path", "The sink path must not be empty; omit it for %s.", DefaultSinkPath)
			} else {
				sk.Path = resolvePath(dir, path)
			}
		}
		rng := b.DefRange
		if pathAttr != nil {
			rng = pathAttr.Expr.Range()
		}
		d.checkSQLitePath(sk.Path, &rng)
	case "questdb":
		sk.Path = ""
		if pathAttr != nil {
			d.errorf(pathAttr.NameRange, "Argument not allowed for the questdb sink",
				"The questdb sink takes a conf, such as conf = \"http::addr=localhost:9000;\", not a path; path is for sink \"sqlite\".")
		}
		switch {
		case confAttr == nil:
			d.errorf(b.DefRange, "Missing conf for the questdb sink",
				"The questdb sink needs a conf, such as conf = \"http::addr=localhost:9000;\"; take credentials from the environment: conf = \"https::addr=${env(\"QDB_ADDR\")};username=${env(\"QDB_USER\")};password=${env(\"QDB_PASSWORD\")};\".")
		case confOK:
			if conf, ok := d.questdbConf(conf, confAttr); ok && len(unset) == 0 {
				sk.Conf = conf
			}
			sk.Unresolved = unset
		}
	}
	if table, attr, ok := d.str(attrs, "table"); ok {
		if !tableName.MatchString(table) {
			d.errorf(attr.Expr.Range(), "Invalid table name",
				"The table name must be a plain identifier (letters, digits and underscores, not starting with a digit), not %q.", table)
		} else {
			sk.Table = table
		}
	}
	return sk
}

func (d *decoder) dumps(blocks []*hcl.Block, dir string) []Dump {
	var out []Dump
	for b := range d.uniquelyNamed(blocks, "dump") {
		if dump, ok := d.dump(b, dir); ok {
			out = append(out, dump)
		}
	}
	return out
}

func (d *decoder) dump(b *hcl.Block, dir string) (Dump, bool) {
	dump := Dump{Name: b.Labels[0], DeclRange: b.DefRange}
	before := len(d.diags)
	content, diags := b.Body.Content(dumpSchema)
	d.diags = append(d.diags, diags...)
	attrs := content.Attributes

	path, pathAttr, ok := d.str(attrs, "path")
	if ok {
		dump.Path = resolvePath(dir, path)
		d.checkDumpPath(dump.Path, pathAttr)
	}
	// The file name may say which quarter a dump holds.
	nameQuarter, nameHasQuarter := ohlc.Span{}, false
	if m := quarterlyName.FindStringSubmatch(filepath.Base(path)); m != nil {
		q, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		nameQuarter, nameHasQuarter = quarterSpan(y, q), true
	}

	kind, kindAttr, kindOK := d.str(attrs, "kind")
	quarter, quarterAttr, quarterOK := d.str(attrs, "quarter")
	until, untilAttr, untilOK := d.str(attrs, "until")
	switch {
	case kindOK:
		if kind != string(FullHistory) && kind != string(Quarterly) {
			d.errorf(kindAttr.Expr.Range(), "Invalid dump kind",
				"The dump kind must be \"full\" or \"quarterly\", not %q.", kind)
			return dump, false
		}
		dump.Kind = DumpKind(kind)
	case kindAttr != nil:
		return dump, false
	case nameHasQuarter || quarterAttr != nil:
		dump.Kind = Quarterly // implied by the file name or the quarter
	default:
		dump.Kind = FullHistory
	}

	if dump.Kind == Quarterly {
		if untilAttr != nil {
			d.errorf(untilAttr.NameRange, "Argument not allowed for a quarterly dump",
				"A quarterly dump covers its quarter; until is only for kind = \"full\".")
		}
		switch {
		case quarterOK:
			m := quarterNotation.FindStringSubmatch(quarter)
			if m == nil {
				d.errorf(quarterAttr.Expr.Range(), "Invalid quarter",
					"A quarter is written YEAR-QN, such as \"2024-Q3\", not %q.", quarter)
				break
			}
			y, _ := strconv.Atoi(m[1])
			q, _ := strconv.Atoi(m[2])
			dump.Quarter = quarterSpan(y, q)
			if nameHasQuarter && nameQuarter != dump.Quarter {
				d.diags = append(d.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Quarter differs from the file name",
					Detail:  fmt.Sprintf("The file name %s names another quarter than %s; the declared quarter is used.", filepath.Base(path), quarter),
					Subject: quarterAttr.Expr.Range().Ptr()})
			}
		case quarterAttr != nil:
		case nameHasQuarter:
			dump.Quarter = nameQuarter
		default:
			d.errorf(b.DefRange, "Missing quarter",
				"Dump %q is quarterly, but its file name does not say which quarter it holds (as Kraken_OHLCVT_Q3_2024.zip does); add quarter = \"2024-Q3\".", dump.Name)
		}
	} else {
		if quarterAttr != nil {
			d.errorf(quarterAttr.NameRange, "Argument not allowed for a full dump",
				"quarter is only for kind = \"quarterly\"; a full-history dump takes until.")
		}
		if untilOK {
			t, err := ohlc.ParseTime(until)
			if err != nil {
				d.errorf(untilAttr.Expr.Range(), "Invalid until", "%s", capitalize(err.Error()))
			}
			dump.Until = t
		}
		dump.TrustEarlyEnds, _ = d.boolean(attrs, "trust_early_ends")
	}
	return dump, len(d.diags) == before || !d.diags[before:].HasErrors()
}

// checkSQLitePath refuses a sink path sinks/sqlite.Open refuses, so that
// validate does: SQLite would read what follows a '?' as options.
func (d *decoder) checkSQLitePath(path string, rng *hcl.Range) {
	if !strings.Contains(path, "?") {
		return
	}
	d.diags = append(d.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid sink path",
		Detail:  fmt.Sprintf("The sqlite sink path %s contains a \"?\", which SQLite would read as the start of connection options. Choose a path without one.", path),
		Subject: rng})
}

// checkDumpPath diagnoses a dump path that is neither a directory nor a zip.
func (d *decoder) checkDumpPath(path string, attr *hcl.Attribute) {
	info, err := os.Stat(path)
	switch {
	case os.IsNotExist(err):
		d.errorf(attr.Expr.Range(), "Dump path does not exist",
			"There is no file or directory at %s. Download the Kraken OHLCVT zip there, or fix the path (it is relative to the configuration directory).", path)
	case err != nil:
		d.errorf(attr.Expr.Range(), "Cannot read dump path", "%s", capitalize(err.Error()))
	case !info.IsDir() && !strings.EqualFold(filepath.Ext(path), ".zip"):
		d.errorf(attr.Expr.Range(), "Dump path is not a zip or a directory",
			"A dump is a Kraken OHLCVT .zip file or a directory of its CSV files; %s is neither.", path)
	}
}

// quarterSpan is the calendar quarter q (1–4) of year y, in UTC.
func quarterSpan(y, q int) ohlc.Span {
	start := time.Date(y, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, time.UTC)
	return ohlc.Span{Start: start.Unix(), End: start.AddDate(0, 3, 0).Unix()}
}

// quoteJoin renders names as "a", "b".
func quoteJoin(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	return strings.Join(quoted, ", ")
}
