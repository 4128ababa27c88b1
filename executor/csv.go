package executor

import (
	"context"
	"fmt"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
)

// OpenCSV opens the dump member of a load_csv action. Errors in the file's
// content (a bad row, a failed checksum) come back as *SourceError, so the
// file is recorded as failed and not planned again until it changes.
func OpenCSV(ctx context.Context, a planner.Action) (CandleReader, error) {
	return openCSV(ctx, a, krakencsv.Open)
}

// CSVFiles opens the dump members of a run's load_csv actions as OpenCSV
// does, keeping each zip open between them: a quarterly update's 10,000
// members would otherwise read the zip's directory 20,000 times.
type CSVFiles struct{ archives *krakencsv.Archives }

// NewCSVFiles returns a CSVFiles; Close it when the run ends.
func NewCSVFiles() *CSVFiles { return &CSVFiles{archives: krakencsv.NewArchives()} }

// Open is OpenCSV sharing open zips; it is an Executor's Open.
func (c *CSVFiles) Open(ctx context.Context, a planner.Action) (CandleReader, error) {
	return openCSV(ctx, a, c.archives.Open)
}

// Close closes the zips.
func (c *CSVFiles) Close() error { return c.archives.Close() }

func openCSV(ctx context.Context, a planner.Action, open func(context.Context, krakencsv.Source) (*krakencsv.File, error)) (CandleReader, error) {
	if a.CSV == nil {
		return nil, fmt.Errorf("load_csv %s has no file", a.Series)
	}
	f, err := open(ctx, krakencsv.Source{DumpPath: a.CSV.DumpPath, IsZip: a.CSV.IsZip, Member: a.CSV.Member, Fingerprint: a.CSV.Fingerprint, Size: a.CSV.Size, ModTime: a.CSV.ModTime, Until: a.CSV.Until})
	if err != nil {
		err = fmt.Errorf("open %s: %w", a.CSV.Member, err)
		if krakencsv.IsContentError(err) {
			err = &SourceError{Err: err}
		}
		return nil, err
	}
	return csvReader{f}, nil
}

type csvReader struct{ f *krakencsv.File }

func (r csvReader) Read(buf []ohlc.Candle) (int, error) {
	n, err := r.f.Read(buf)
	if krakencsv.IsContentError(err) {
		err = &SourceError{Err: err}
	}
	return n, err
}

func (r csvReader) Close() error { return r.f.Close() }
