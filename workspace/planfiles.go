package workspace

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/planner/planfile"
)

// SavePlan writes the plan file for 'apply FILE' at path. It writes a
// temporary file beside it and renames it, so a crash or a full disk
// never leaves a half-written plan under the name a reviewer approved.
func SavePlan(path string, p *planner.Plan, meta planfile.Meta) (err error) {
	name := filepath.Base(path)
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+name+".tmp-*")
	if err != nil {
		return fmt.Errorf("save plan to %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
			err = fmt.Errorf("save plan to %s: %w", path, err)
		}
	}()
	if err := planfile.Write(tmp, p, meta); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	// CreateTemp makes the file private; a plan holds no secrets and is
	// meant to be shared for review.
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// ReadPlan reads the plan file at path; its errors name the file.
func ReadPlan(path string) (*planner.Plan, planfile.Meta, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, planfile.Meta{}, fmt.Errorf("read saved plan: %w", err)
	}
	defer f.Close()
	p, meta, err := planfile.Read(f)
	if err != nil {
		return nil, planfile.Meta{}, fmt.Errorf("%s: %w", path, err)
	}
	return p, meta, nil
}
