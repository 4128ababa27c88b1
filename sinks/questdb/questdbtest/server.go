package questdbtest

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Server.
type Options struct {
	// CountOnly parses and checks every row as usual but stores none, for
	// benchmarks; Count reports the rows received.
	CountOnly bool
	// Username and Password, when set, require HTTP basic authentication.
	Username, Password string
	// Token, when set, requires "Authorization: Bearer <token>".
	Token string
	// Build is what SELECT build() answers (DefaultBuild when empty). An
	// open-source version before 7.3.10 has no ILP over HTTP: /write and
	// /ping answer 404, as they did.
	Build string
	// ILPHTTPDisabled models line.http.enabled=false, QuestDB
	// Enterprise's default: /write and /ping answer 404.
	ILPHTTPDisabled bool
}

// Server is a running stand-in. It is safe for concurrent use.
type Server struct {
	opts    Options
	http    *httptest.Server
	done    chan struct{} // closed by Close to release hanging handlers
	closing sync.Once
	errorID string // QuestDB prefixes error ids with a per-process id
	onHang  func() // called when a request starts hanging, for tests
	bytes   atomic.Int64
	bodies  sync.Pool // *[]byte request bodies, reused
	// counters parse CountOnly requests outside mu; see applyCounting.
	counters sync.Pool

	mu       sync.Mutex
	tables   map[string]*table // by lower-case name
	tableIDs int               // the last id given to a table, as tables() reports it
	faults   []Fault
	parser   ilpParser
	tx       txn
	writes   int
	errorSeq int64
	wal      map[string]walState // by lower-case table name; see SetWAL
}

// New starts a stand-in on a loopback port.
func New(opts Options) *Server {
	var id [6]byte
	_, _ = rand.Read(id[:])
	s := &Server{
		opts:    opts,
		done:    make(chan struct{}),
		errorID: hex.EncodeToString(id[:]),
		tables:  map[string]*table{},
	}
	s.http = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	// The stand-in never prints: aborted connections are expected.
	s.http.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.http.Start()
	return s
}

// Addr is the server's "127.0.0.1:PORT".
func (s *Server) Addr() string { return s.http.Listener.Addr().String() }

// Conf is a go-questdb-client configuration string for this server,
// carrying the credentials the server requires.
func (s *Server) Conf() string {
	conf := "http::addr=" + s.Addr() + ";"
	if s.opts.Username != "" || s.opts.Password != "" {
		conf += "username=" + s.opts.Username + ";password=" + s.opts.Password + ";"
	}
	if s.opts.Token != "" {
		conf += "token=" + s.opts.Token + ";"
	}
	return conf
}

// Close stops the server, ending hanging and slow requests first.
func (s *Server) Close() {
	s.closing.Do(func() {
		close(s.done)
		s.http.CloseClientConnections()
		s.http.Close()
	})
}

// Inject queues faults; each /write request takes the oldest one.
func (s *Server) Inject(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, faults...)
}

// BytesReceived is the number of ILP body bytes received on /write,
// rejected and faulted requests included.
func (s *Server) BytesReceived() int64 { return s.bytes.Load() }

// Writes is the number of /write requests applied.
func (s *Server) Writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/write", "/api/v2/write", "/ping":
		if !s.ilpHTTP() {
			http.NotFound(w, r) // not bound: QuestDB's static content answers
			return
		}
		if r.URL.Path == "/ping" {
			s.servePing(w)
			return
		}
		if s.authorized(w, r) {
			s.serveWrite(w, r)
		}
	case "/exec":
		if s.authorized(w, r) {
			s.serveExec(w, r)
		}
	default:
		http.NotFound(w, r) // /settings included: QuestDB before 8.1 has none
	}
}

// authorized answers 401 and reports false unless r carries the
// credentials the server requires.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	ok := true
	if s.opts.Username != "" || s.opts.Password != "" {
		user, pass, found := r.BasicAuth()
		ok = found && equal(user, s.opts.Username) && equal(pass, s.opts.Password)
	}
	if s.opts.Token != "" {
		ok = ok && equal(r.Header.Get("Authorization"), "Bearer "+s.opts.Token)
	}
	if !ok {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, "Unauthorized\r\n")
	}
	return ok
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func (s *Server) serveWrite(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		s.writeError(w, http.StatusNotFound, "invalid", "method not supported", 0)
		return
	}
	fault := s.takeFault()
	pooled, _ := s.bodies.Get().(*[]byte)
	if pooled == nil {
		pooled = new([]byte)
	}
	defer s.bodies.Put(pooled)
	body, err := readBody(r, (*pooled)[:0])
	*pooled = body
	s.bytes.Add(int64(len(body)))
	if err != nil {
		return // the client went away; nothing was applied
	}
	switch fault.kind {
	case faultStatus:
		s.writeError(w, fault.status, statusCode(fault.status), "injected failure", 0)
		return
	case faultReject:
		s.writeError(w, http.StatusBadRequest, "invalid", (&lineError{line: fault.line, msg: fault.msg}).Error(), fault.line)
		return
	case faultHang:
		if s.onHang != nil {
			s.onHang()
		}
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
		panic(http.ErrAbortHandler) // close the connection without an answer
	case faultSlow:
		t := time.NewTimer(fault.delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			panic(http.ErrAbortHandler)
		case <-s.done:
			panic(http.ErrAbortHandler)
		}
	case faultDrop:
		panic(http.ErrAbortHandler)
	}
	prec, ok := parsePrecision(r.URL.Query().Get("precision"))
	if !ok {
		s.writeError(w, http.StatusBadRequest, "not supported", "unsupported precision", 0)
		return
	}
	if lerr := s.apply(body, prec); lerr != nil {
		s.writeError(w, http.StatusBadRequest, "invalid", lerr.Error(), lerr.line)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// readBody reads the request body into buf, grown once to the announced
// length: reused bodies spare a growing copy per request.
func readBody(r *http.Request, buf []byte) ([]byte, error) {
	if n := r.ContentLength; n > 0 && n < 1<<30 && int64(cap(buf)) <= n {
		buf = make([]byte, 0, n+1) // +1: the read that finds the end needs room
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

func (s *Server) takeFault() Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 {
		return Fault{}
	}
	f := s.faults[0]
	s.faults = s.faults[1:]
	return f
}

// writeError answers in QuestDB's ILP error shape. A line above zero is a
// parse error, worded as QuestDB words them.
func (s *Server) writeError(w http.ResponseWriter, status int, code, msg string, line int) {
	s.mu.Lock()
	s.errorSeq++
	id := s.errorID + "-" + strconv.FormatInt(s.errorSeq, 10)
	s.mu.Unlock()
	body := struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Line    *int   `json:"line,omitempty"`
		ErrorID string `json:"errorId"`
	}{Code: code, Message: msg, ErrorID: id}
	if line > 0 {
		body.Message = "failed to parse line protocol:\nerrors encountered on line(s):\n" + msg
		body.Line = &line
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	writeJSON(w, body)
}

// statusCode is the "code" QuestDB puts in an error with that HTTP status.
func statusCode(status int) string {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return "unauthorised"
	case status == http.StatusRequestEntityTooLarge:
		return "request too large"
	case status >= 500:
		return "internal error"
	}
	return "invalid"
}

// tableNamed finds a table case-insensitively; the caller holds s.mu.
func (s *Server) tableNamed(name string) *table {
	if t, ok := s.tables[name]; ok {
		return t
	}
	return s.tables[strings.ToLower(name)]
}
