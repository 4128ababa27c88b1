package questdb

import (
	"context"
	"fmt"
	"strconv"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// Identify reads which incarnation of the table QuestDB holds: its table
// id, which QuestDB never gives twice (a table dropped and created again
// gets a new one), with its directory name. One read through /exec.
func (s *Sink) Identify(ctx context.Context) (ohlc.SinkIdentity, error) {
	id := ohlc.SinkIdentity{Kind: "questdb", Address: s.conf.addr(), Table: s.table}
	res, err := s.exec.exec(ctx, "SELECT id, directoryName FROM tables() WHERE table_name = "+s.quoted)
	if err != nil {
		return id, fmt.Errorf("identify %s: %w", s, err)
	}
	iID, iDir := res.column("id"), res.column("directoryName")
	if iID < 0 || iDir < 0 {
		return id, fmt.Errorf("identify %s: tables() answered without id and directoryName: is this QuestDB?", s)
	}
	if len(res.Dataset) == 0 {
		return id, nil // no such table
	}
	row := res.Dataset[0]
	if len(row) <= max(iID, iDir) {
		return id, fmt.Errorf("identify %s: tables() answered a row of %d cells", s, len(row))
	}
	n, ok1 := asInt(row[iID])
	dir, ok2 := asString(row[iDir])
	if !ok1 || !ok2 {
		return id, fmt.Errorf("identify %s: tables() answered an id or directory that is not one", s)
	}
	id.Incarnation = "table-id-" + strconv.FormatInt(n, 10) + ":" + dir
	return id, nil
}
