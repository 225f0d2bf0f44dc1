// Command checker verifies an undersigned log export with Go's own sumdb packages
// (golang.org/x/mod/sumdb/note and tlog), none of which share code with ours.
//
// Usage: checker INPUT.json. It prints "OK ..." and exits 0, or prints "FAIL: ..." and exits 1.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type record struct {
	Index int64    `json:"index"`
	Proof []string `json:"proof"`
}

type tree struct {
	OldSize int64    `json:"old_size"`
	OldRoot string   `json:"old_root"`
	Proof   []string `json:"proof"`
}

type input struct {
	Vkey    string   `json:"vkey"`
	Note    string   `json:"note"`
	Entries []string `json:"entries"`
	Records []record `json:"records"`
	Trees   []tree   `json:"trees"`
}

func fail(format string, args ...interface{}) {
	fmt.Printf("FAIL: "+format+"\n", args...)
	os.Exit(1)
}

func decodeHash(text string) tlog.Hash {
	raw, err := base64.StdEncoding.DecodeString(text)
	if err != nil || len(raw) != tlog.HashSize {
		fail("bad hash %q", text)
	}
	var h tlog.Hash
	copy(h[:], raw)
	return h
}

func decodeHashes(texts []string) []tlog.Hash {
	hashes := make([]tlog.Hash, len(texts))
	for i, text := range texts {
		hashes[i] = decodeHash(text)
	}
	return hashes
}

// openCheckpoint returns the size and root of the checkpoint note signed by vkey.
func openCheckpoint(vkey, msg string) (int64, tlog.Hash) {
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		fail("vkey: %v", err)
	}
	opened, err := note.Open([]byte(msg), note.VerifierList(verifier))
	if err != nil {
		fail("note: %v", err)
	}
	lines := strings.Split(opened.Text, "\n")
	if len(lines) < 4 {
		fail("checkpoint has %d lines", len(lines))
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("checkpoint size: %v", err)
	}
	return size, decodeHash(lines[2])
}

// recomputeRoot hashes every entry into a tree with tlog's own storage layout.
func recomputeRoot(entries [][]byte) tlog.Hash {
	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, index := range indexes {
			out[i] = stored[index]
		}
		return out, nil
	})
	for i, entry := range entries {
		hashes, err := tlog.StoredHashes(int64(i), entry, reader)
		if err != nil {
			fail("storing entry %d: %v", i, err)
		}
		stored = append(stored, hashes...)
	}
	root, err := tlog.TreeHash(int64(len(entries)), reader)
	if err != nil {
		fail("tree hash: %v", err)
	}
	return root
}

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail("read: %v", err)
	}
	var in input
	if err := json.Unmarshal(data, &in); err != nil {
		fail("json: %v", err)
	}
	size, root := openCheckpoint(in.Vkey, in.Note)
	entries := make([][]byte, len(in.Entries))
	for i, text := range in.Entries {
		if entries[i], err = base64.StdEncoding.DecodeString(text); err != nil {
			fail("entry %d: %v", i, err)
		}
	}
	if int64(len(entries)) != size {
		fail("checkpoint size %d, %d entries", size, len(entries))
	}
	if computed := recomputeRoot(entries); computed != root {
		fail("root: checkpoint %v, recomputed %v", root, computed)
	}
	for _, r := range in.Records {
		if err := tlog.CheckRecord(decodeHashes(r.Proof), size, root, r.Index, tlog.RecordHash(entries[r.Index])); err != nil {
			fail("inclusion of %d: %v", r.Index, err)
		}
	}
	for _, t := range in.Trees {
		if err := tlog.CheckTree(decodeHashes(t.Proof), size, root, t.OldSize, decodeHash(t.OldRoot)); err != nil {
			fail("consistency from %d: %v", t.OldSize, err)
		}
	}
	fmt.Printf("OK size=%d records=%d trees=%d\n", size, len(in.Records), len(in.Trees))
}
