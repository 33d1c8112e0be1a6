// Go interop for tests/ledger-public/go-interop.test.ts: checks suiji's RFC 9162 proofs with
// Go's independent implementation, golang.org/x/mod/sumdb/tlog (CheckRecord, CheckTree).
// Reads JSON cases from the file named on the command line; prints one "ok" or the error per case.
//
//	go run tlog_check.go <cases.json>
package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"

	"golang.org/x/mod/sumdb/tlog"
)

type testCase struct {
	Kind  string   `json:"kind"` // "inclusion" | "consistency"
	Index int64    `json:"index"`
	From  int64    `json:"from"`
	Size  int64    `json:"size"`
	Hash  string   `json:"hash"` // leaf hash (inclusion) or old root (consistency)
	Root  string   `json:"root"`
	Proof []string `json:"proof"`
}

func h(s string) tlog.Hash {
	var out tlog.Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != tlog.HashSize {
		panic("bad hash " + s)
	}
	copy(out[:], b)
	return out
}

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var cases []testCase
	if err := json.Unmarshal(data, &cases); err != nil {
		panic(err)
	}
	for _, c := range cases {
		proof := make([]tlog.Hash, len(c.Proof))
		for i, p := range c.Proof {
			proof[i] = h(p)
		}
		var err error
		if c.Kind == "inclusion" {
			err = tlog.CheckRecord(proof, c.Size, h(c.Root), c.Index, h(c.Hash))
		} else {
			err = tlog.CheckTree(proof, c.Size, h(c.Root), c.From, h(c.Hash))
		}
		if err != nil {
			fmt.Println("fail")
		} else {
			fmt.Println("ok")
		}
	}
}
