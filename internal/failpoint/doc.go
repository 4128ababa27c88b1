// Package failpoint lets crash tests kill candlekeep at an exact point of
// its write path. A crash test must prove that a kill -9 between "the sink
// committed" and "state recorded it" (or inside either transaction) loses
// and duplicates nothing; those windows last microseconds, far too narrow
// to hit by killing the process after a random delay.
//
// Code marks such points with Hit("name"). In a normal build Hit is an
// empty function the compiler removes. Built with -tags failpoints, Hit
// reads the environment variable CANDLEKEEP_FAILPOINT once, of the form
// "name:N", and on the N-th call of that name (counting from 1, across all
// goroutines) sends SIGKILL to its own process: a real kill -9, with no
// deferred function, no flush and no clean-up run.
//
// Points in use:
//
//	sqlite.batch.commit      a sink batch transaction, before COMMIT
//	sqlite.batch.committed   after COMMIT, before the writer returns
//	questdb.flush            a request encoded, before it is sent
//	questdb.flush.acked      after QuestDB acknowledged a request, before the writer returns
//	state.record             inside a state Record transaction, before commit
//	rebuild.page             a rebuild's page of trades written (and maybe checkpointed), before the next request
package failpoint

// EnvVar names the environment variable that arms a failpoint in a build
// with -tags failpoints.
const EnvVar = "CANDLEKEEP_FAILPOINT"
