package krakencsv

import (
	"archive/zip"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
)

// runJobs profiles members on up to GOMAXPROCS workers: reading is mostly
// decompressing and hashing, so more workers than cores gain nothing. The
// first failure cancels the rest.
func runJobs(ctx context.Context, jobs []scanJob) error {
	if len(jobs) == 0 {
		return ctx.Err()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		failOnce sync.Once
		failure  error
	)
	workers := min(runtime.GOMAXPROCS(0), len(jobs))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, profileChunkBytes)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) || ctx.Err() != nil {
					return
				}
				if err := runJob(ctx, &jobs[i], buf); err != nil {
					failOnce.Do(func() { failure = err; cancel() })
					return
				}
			}
		}()
	}
	wg.Wait()
	if failure != nil {
		return failure
	}
	return ctx.Err()
}

func runJob(ctx context.Context, j *scanJob, buf []byte) error {
	m := &j.dump.Members[j.index]
	if j.zipFile != nil {
		rc, err := j.zipFile.Open()
		if err != nil {
			return fmt.Errorf("dump %q: open %s in %s: %w", j.dump.Spec.Name, m.Path, j.dump.Spec.Path, err)
		}
		defer rc.Close()
		p, err := profileStream(ctx, rc, nil, buf)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if isCorruptContent(err) {
				// One damaged member fails its own load, not the whole
				// dump: it gets no profile and is not cached.
				j.unreadable = true
				m.Profile = Profile{}
				return nil
			}
			return fmt.Errorf("dump %q: read %s in %s (is the zip corrupt or truncated?): %w", j.dump.Spec.Name, m.Path, j.dump.Spec.Path, err)
		}
		m.Profile = p
		return nil
	}
	f, err := os.Open(j.absPath)
	if err != nil {
		return fmt.Errorf("dump %q: %w", j.dump.Spec.Name, err)
	}
	defer f.Close()
	h := sha256.New()
	p, err := profileStream(ctx, f, h, buf)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("dump %q: read %s: %w", j.dump.Spec.Name, j.absPath, err)
	}
	m.Profile = p
	m.Fingerprint = "sha256:" + hex.EncodeToString(h.Sum(nil))
	return nil
}

// isCorruptContent reports whether a zip member's bytes are damaged (bad
// checksum, broken deflate stream) as opposed to the zip being unreadable.
func isCorruptContent(err error) bool {
	var corrupt flate.CorruptInputError
	return errors.Is(err, zip.ErrChecksum) || errors.As(err, &corrupt) || errors.Is(err, io.ErrUnexpectedEOF)
}
