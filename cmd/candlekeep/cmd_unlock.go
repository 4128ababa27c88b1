package main

import (
	"context"
	"fmt"
)

func runForceUnlock(ctx context.Context, env *cliEnv, args []string) (err error) {
	fs := newFlagSet(env, "force-unlock", "force-unlock [-var 'k=v'] [-var-file=FILE] LOCK_ID")
	var cf configFlags
	cf.register(fs)
	if err := fs.Parse(args); err != nil {
		return &exitCode{code: 1, err: err}
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("force-unlock needs exactly one argument, the lock ID that the lock error printed")
	}
	cfg, err := loadConfig(env, &cf)
	if err != nil {
		return err
	}
	st, err := openStateExisting(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer closeWith(&err, st)
	// state's error already begins "force-unlock ID:".
	if err := st.ForceUnlock(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "The state lock %s has been released.\n", fs.Arg(0))
	return nil
}
