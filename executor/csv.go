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
	if a.CSV == nil {
		return nil, fmt.Errorf("load_csv %s has no file", a.Series)
	}
	f, err := krakencsv.Open(ctx, krakencsv.Source{DumpPath: a.CSV.DumpPath, IsZip: a.CSV.IsZip, Member: a.CSV.Member, Fingerprint: a.CSV.Fingerprint, Size: a.CSV.Size, ModTime: a.CSV.ModTime})
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
