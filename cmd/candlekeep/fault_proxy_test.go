package main

import (
	"bytes"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// writeCounter is a TCP relay in front of the QuestDB stand-in that counts
// the ILP requests (POST /write) passing through, faulted ones included:
// the stand-in itself counts only the requests it applied. Bytes pass
// unchanged in both directions and a connection closed on one side is
// closed on the other, so hangs and dropped connections reach the client
// as the stand-in produced them.
type writeCounter struct {
	ln       net.Listener
	upstream string
	writes   atomic.Int64
	wg       sync.WaitGroup
}

func newWriteCounter(t *testing.T, upstream string) *writeCounter {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &writeCounter{ln: ln, upstream: upstream}
	c.wg.Add(1)
	go c.accept()
	t.Cleanup(func() {
		ln.Close()
		c.wg.Wait()
	})
	return c
}

// Addr is the relay's address, for the sink's conf.
func (c *writeCounter) Addr() string { return c.ln.Addr().String() }

// Writes is the number of POST /write requests seen so far.
func (c *writeCounter) Writes() int { return int(c.writes.Load()) }

func (c *writeCounter) accept() {
	defer c.wg.Done()
	for {
		client, err := c.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", c.upstream)
		if err != nil {
			client.Close()
			continue
		}
		c.wg.Add(2)
		go func() {
			defer c.wg.Done()
			c.relayCounting(server, client)
			server.Close()
			client.Close()
		}()
		go func() {
			defer c.wg.Done()
			io.Copy(client, server)
			client.Close()
			server.Close()
		}()
	}
}

var postWrite = []byte("POST /write")

// relayCounting copies src to dst, counting request lines as they pass;
// the tail of each read is kept so a request line split across reads is
// still counted once.
func (c *writeCounter) relayCounting(dst io.Writer, src io.Reader) {
	buf := make([]byte, 32<<10)
	var tail []byte
	for {
		n, err := src.Read(buf)
		if n > 0 {
			window := append(tail, buf[:n]...)
			c.writes.Add(int64(bytes.Count(window, postWrite)))
			// Keep fewer bytes than a whole match, so none is counted twice.
			keep := min(len(window), len(postWrite)-1)
			tail = append([]byte(nil), window[len(window)-keep:]...)
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
