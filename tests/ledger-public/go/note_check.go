// Go interop for tests/ledger-public/go-interop.test.ts: Go's golang.org/x/mod/sumdb/note
// opens suiji's signed checkpoint with suiji's verifier key, and signs the same text with
// suiji's signer key file; prints the text and whether Go's signature is byte-identical.
//
//	go run note_check.go <log.vkey> <note> <log.key>
package main

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

func main() {
	vkey, _ := os.ReadFile(os.Args[1])
	msg, _ := os.ReadFile(os.Args[2])
	skey, _ := os.ReadFile(os.Args[3])
	v, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		fmt.Println("verifier:", err)
		os.Exit(1)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	s, err := note.NewSigner(strings.TrimSpace(string(skey)))
	if err != nil {
		fmt.Println("signer:", err)
		os.Exit(1)
	}
	out, err := note.Sign(&note.Note{Text: n.Text}, s)
	if err != nil {
		fmt.Println("sign:", err)
		os.Exit(1)
	}
	fmt.Printf("verified %d\nidentical %v\n", len(n.Sigs), string(out) == string(msg))
}
