package krakencsv

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
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
			scratch := newProfileScratch()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) || ctx.Err() != nil {
					return
				}
				if err := runJob(ctx, &jobs[i], scratch); err != nil {
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

func runJob(ctx context.Context, j *scanJob, scratch *profileScratch) error {
	m := &j.dump.Members[j.index]
	name := memberName(j.dump.Spec.Path, m.Path)
	var err error
	if j.zipFile != nil {
		err = profileZipMember(ctx, j, m, name, scratch)
	} else {
		err = profileFile(ctx, j, m, name, scratch)
	}
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if !IsContentError(err) {
		return err
	}
	// A member with bad content fails its own load, not the scan of the
	// whole dump: it gets no profile and is not cached.
	j.unprofiled = true
	m.Profile, m.Unprofiled = Profile{}, err.Error()
	var pe *ParseError
	if !errors.As(err, &pe) {
		m.Unprofiled = name + ": " + err.Error()
	}
	return nil
}

// profileZipMember profiles a zip member. Errors in the member's content
// are returned as they are, for runJob to tell apart.
func profileZipMember(ctx context.Context, j *scanJob, m *Member, name string, scratch *profileScratch) error {
	rc, err := openZipMember(j.zipFile)
	if IsContentError(err) {
		return err
	}
	if err != nil {
		return fmt.Errorf("dump %q: open %s in %s: %w", j.dump.Spec.Name, m.Path, j.dump.Spec.Path, err)
	}
	defer rc.Close()
	p, err := profileStream(ctx, rc, nil, scratch, name, m.Series.Interval)
	if IsContentError(err) {
		return err
	}
	if err != nil {
		return fmt.Errorf("dump %q: read %s in %s (is the zip corrupt or truncated?): %w", j.dump.Spec.Name, m.Path, j.dump.Spec.Path, err)
	}
	m.Profile = p
	return nil
}

// profileFile hashes and profiles a plain file. A file whose rows are bad
// still gets its fingerprint, which is over all of its bytes.
func profileFile(ctx context.Context, j *scanJob, m *Member, name string, scratch *profileScratch) error {
	f, err := os.Open(j.absPath)
	if err != nil {
		return fmt.Errorf("dump %q: %w", j.dump.Spec.Name, err)
	}
	defer f.Close()
	h := sha256.New()
	p, err := profileStream(ctx, f, h, scratch, name, m.Series.Interval)
	var pe *ParseError
	if err != nil && !errors.As(err, &pe) {
		return fmt.Errorf("dump %q: read %s: %w", j.dump.Spec.Name, j.absPath, err)
	}
	m.Fingerprint = "sha256:" + hex.EncodeToString(h.Sum(nil))
	if err != nil {
		return err
	}
	m.Profile = p
	return nil
}
