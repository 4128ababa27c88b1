package krakenapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"
)

// PairList is Kraken's pair list as a Client last cached it: what plan may
// know about pair names without the network.
type PairList struct {
	Fetched time.Time
	Names   map[string]string // altname → Kraken's pair key (internal name)
}

// ReadPairCache reads the pair cache file a Client with this base URL
// keeps (Options.PairCache), whatever its age: it never fetches and never
// writes. It returns nil and no error when there is no list to trust: no
// file, a corrupt one, or one from another API. Other read errors are
// returned.
func ReadPairCache(path, baseURL string) (*PairList, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read pair cache: %w", err)
	}
	base, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil {
		return nil, nil
	}
	var f pairCacheFile
	// A corrupt file only means no list, as it does for the client.
	if json.Unmarshal(b, &f) != nil || f.BaseURL != base.String() || len(f.Pairs) == 0 {
		return nil, nil
	}
	return &PairList{Fetched: f.Fetched, Names: f.Pairs}, nil
}
