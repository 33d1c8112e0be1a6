// Command checker verifies suiji's ledger artifacts with Go's reference packages
// golang.org/x/mod/sumdb/note (C2SP signed-note) and golang.org/x/mod/sumdb/tlog (RFC 6962
// proofs), so interoperability does not rest on suiji's own verifier. It reads one JSON
// request on stdin and writes one JSON answer on stdout: one verdict per item, in order.
// Go's sumdb has no tlog-cosignature verifier; cosignatures are checked here by hand with
// crypto/ed25519 over the message of https://c2sp.org/tlog-cosignature.
//
// It also signs: a note with a freshly generated Go key (note.GenerateKey / note.Sign) and a
// cosignature with a fresh Ed25519 key, so suiji's verifiers are checked against Go's output.
//
// Build (Debian golang-go + golang-golang-x-mod-dev, GOPATH mode):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o checker tests/interop/checker.go
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type inclusionReq struct {
	Note     string   `json:"note"` // signed checkpoint giving size and root (opened with logKey)
	Size     int64    `json:"size"` // else these two
	Root     string   `json:"root"` // hex
	Index    int64    `json:"index"`
	LeafHash string   `json:"leafHash"` // hex, or
	Record   *string  `json:"record"`   // the leaf's bytes (UTF-8); Go hashes them (tlog.RecordHash)
	Proof    []string `json:"proof"`    // hex audit path
}

type consistencyReq struct {
	NoteFrom string   `json:"noteFrom"` // signed checkpoints, or sizes and hex roots
	NoteTo   string   `json:"noteTo"`
	From     int64    `json:"from"`
	To       int64    `json:"to"`
	RootFrom string   `json:"rootFrom"`
	RootTo   string   `json:"rootTo"`
	Proof    []string `json:"proof"`
}

type cosignatureReq struct {
	Note       string `json:"note"`       // a checkpoint note carrying the cosignature line
	WitnessKey string `json:"witnessKey"` // vkey of type 0x04
}

type signReq struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

type cosignReq struct {
	Name string `json:"name"`
	Note string `json:"note"` // body + signatures; the cosignature is appended
	Time uint64 `json:"time"`
}

type request struct {
	LogKey       string           `json:"logKey"`
	Notes        []string         `json:"notes"`
	Inclusion    []inclusionReq   `json:"inclusion"`
	Consistency  []consistencyReq `json:"consistency"`
	Cosignatures []cosignatureReq `json:"cosignatures"`
	Sign         []signReq        `json:"sign"`
	Cosign       []cosignReq      `json:"cosign"`
}

type verdict struct {
	OK     bool   `json:"ok"`
	Error  string `json:"error,omitempty"`
	Origin string `json:"origin,omitempty"`
	Size   int64  `json:"size,omitempty"`
	Root   string `json:"root,omitempty"`
}

type signed struct {
	VKey string `json:"vkey"`
	Note string `json:"note"`
}

type answer struct {
	Notes        []verdict `json:"notes"`
	Inclusion    []verdict `json:"inclusion"`
	Consistency  []verdict `json:"consistency"`
	Cosignatures []verdict `json:"cosignatures"`
	Sign         []signed  `json:"sign"`
	Cosign       []signed  `json:"cosign"`
}

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

// openCheckpoint opens a signed note with the log's key (note.Open) and parses its
// tlog-checkpoint body: origin, decimal size, base64 root.
func openCheckpoint(logKey, msg string) (checkpoint, error) {
	v, err := note.NewVerifier(logKey)
	if err != nil {
		return checkpoint{}, fmt.Errorf("log key: %w", err)
	}
	n, err := note.Open([]byte(msg), note.VerifierList(v))
	if err != nil {
		return checkpoint{}, err
	}
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) < 4 {
		return checkpoint{}, errors.New("checkpoint: fewer than 3 lines")
	}
	if lines[0] != v.Name() {
		return checkpoint{}, fmt.Errorf("checkpoint: origin %q is not the key name %q", lines[0], v.Name())
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return checkpoint{}, fmt.Errorf("checkpoint: bad size %q", lines[1])
	}
	raw, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(raw) != tlog.HashSize {
		return checkpoint{}, fmt.Errorf("checkpoint: bad root %q", lines[2])
	}
	var root tlog.Hash
	copy(root[:], raw)
	return checkpoint{origin: lines[0], size: size, root: root}, nil
}

func hexHash(s string) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != tlog.HashSize {
		return h, fmt.Errorf("not a 32-byte hex hash: %q", s)
	}
	copy(h[:], b)
	return h, nil
}

func hexHashes(list []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, 0, len(list))
	for _, s := range list {
		h, err := hexHash(s)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

func fail(err error) verdict { return verdict{OK: false, Error: err.Error()} }

func checkNote(logKey, msg string) verdict {
	cp, err := openCheckpoint(logKey, msg)
	if err != nil {
		return fail(err)
	}
	return verdict{OK: true, Origin: cp.origin, Size: cp.size, Root: hex.EncodeToString(cp.root[:])}
}

func checkInclusion(logKey string, r inclusionReq) verdict {
	size, root := r.Size, tlog.Hash{}
	if r.Note != "" {
		cp, err := openCheckpoint(logKey, r.Note)
		if err != nil {
			return fail(err)
		}
		size, root = cp.size, cp.root
	} else {
		h, err := hexHash(r.Root)
		if err != nil {
			return fail(err)
		}
		root = h
	}
	var leaf tlog.Hash
	if r.Record != nil {
		leaf = tlog.RecordHash([]byte(*r.Record))
	} else {
		h, err := hexHash(r.LeafHash)
		if err != nil {
			return fail(err)
		}
		leaf = h
	}
	proof, err := hexHashes(r.Proof)
	if err != nil {
		return fail(err)
	}
	if err := tlog.CheckRecord(tlog.RecordProof(proof), size, root, r.Index, leaf); err != nil {
		return fail(err)
	}
	return verdict{OK: true, Size: size, Root: hex.EncodeToString(root[:])}
}

func checkConsistency(logKey string, r consistencyReq) verdict {
	from, to := r.From, r.To
	var rootFrom, rootTo tlog.Hash
	if r.NoteFrom != "" || r.NoteTo != "" {
		a, err := openCheckpoint(logKey, r.NoteFrom)
		if err != nil {
			return fail(fmt.Errorf("older checkpoint: %w", err))
		}
		b, err := openCheckpoint(logKey, r.NoteTo)
		if err != nil {
			return fail(fmt.Errorf("newer checkpoint: %w", err))
		}
		from, to, rootFrom, rootTo = a.size, b.size, a.root, b.root
	} else {
		var err error
		if rootFrom, err = hexHash(r.RootFrom); err != nil {
			return fail(err)
		}
		if rootTo, err = hexHash(r.RootTo); err != nil {
			return fail(err)
		}
	}
	proof, err := hexHashes(r.Proof)
	if err != nil {
		return fail(err)
	}
	if err := tlog.CheckTree(tlog.TreeProof(proof), to, rootTo, from, rootFrom); err != nil {
		return fail(err)
	}
	return verdict{OK: true}
}

// cosignerKey parses a vkey of type 0x04 (tlog-cosignature): name+hex(keyid)+base64(0x04‖key),
// keyid = SHA-256(name ‖ "\n" ‖ 0x04 ‖ key)[:4].
func cosignerKey(vkey string) (string, uint32, ed25519.PublicKey, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 || len(parts[1]) != 8 {
		return "", 0, nil, errors.New("malformed witness key")
	}
	id, err := strconv.ParseUint(parts[1], 16, 32)
	raw, err2 := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || err2 != nil || len(raw) != 1+ed25519.PublicKeySize || raw[0] != 0x04 {
		return "", 0, nil, errors.New("witness key is not an Ed25519 cosignature/v1 key (type 0x04)")
	}
	sum := sha256.Sum256(append([]byte(parts[0]+"\n"), raw...))
	if binary.BigEndian.Uint32(sum[:4]) != uint32(id) {
		return "", 0, nil, errors.New("witness key id does not match its name and key")
	}
	return parts[0], uint32(id), ed25519.PublicKey(raw[1:]), nil
}

func cosignedMessage(body string, t uint64) []byte {
	return []byte("cosignature/v1\ntime " + strconv.FormatUint(t, 10) + "\n" + body)
}

// checkCosignature finds the witness's signature line (name and key id) in the note and
// checks keyid(4) ‖ u64be timestamp ‖ Ed25519 signature(64) over the cosigned message.
func checkCosignature(r cosignatureReq) verdict {
	name, id, pub, err := cosignerKey(r.WitnessKey)
	if err != nil {
		return fail(err)
	}
	split := strings.LastIndex(r.Note, "\n\n")
	if split < 0 {
		return fail(errors.New("malformed note: no blank line"))
	}
	body, sigs := r.Note[:split+1], r.Note[split+2:]
	for _, line := range strings.Split(strings.TrimSuffix(sigs, "\n"), "\n") {
		if !strings.HasPrefix(line, "\u2014 ") {
			return fail(errors.New("malformed signature line"))
		}
		lineName, b64 := line[len("\u2014 "):], ""
		if i := strings.Index(lineName, " "); i >= 0 {
			lineName, b64 = lineName[:i], lineName[i+1:]
		}
		sig, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || lineName != name || len(sig) < 4 || binary.BigEndian.Uint32(sig[:4]) != id {
			continue
		}
		if len(sig) != 4+8+ed25519.SignatureSize {
			return fail(errors.New("cosignature has the wrong length"))
		}
		t := binary.BigEndian.Uint64(sig[4:12])
		if t > 1<<63-1 {
			return fail(errors.New("cosignature timestamp exceeds 2^63-1"))
		}
		if !ed25519.Verify(pub, cosignedMessage(body, t), sig[12:]) {
			return fail(errors.New("cosignature does not verify"))
		}
		return verdict{OK: true}
	}
	return fail(errors.New("no cosignature by this witness"))
}

func sign(r signReq) (signed, error) {
	skey, vkey, err := note.GenerateKey(rand.Reader, r.Name)
	if err != nil {
		return signed{}, err
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		return signed{}, err
	}
	msg, err := note.Sign(&note.Note{Text: r.Text}, s)
	if err != nil {
		return signed{}, err
	}
	return signed{VKey: vkey, Note: string(msg)}, nil
}

func cosign(r cosignReq) (signed, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return signed{}, err
	}
	key := append([]byte{0x04}, pub...)
	sum := sha256.Sum256(append([]byte(r.Name+"\n"), key...))
	vkey := r.Name + "+" + hex.EncodeToString(sum[:4]) + "+" + base64.StdEncoding.EncodeToString(key)
	split := strings.Index(r.Note, "\n\n")
	if split < 0 {
		return signed{}, errors.New("malformed note: no blank line")
	}
	body := r.Note[:split+1]
	var sig bytes.Buffer
	sig.Write(sum[:4])
	binary.Write(&sig, binary.BigEndian, r.Time)
	sig.Write(ed25519.Sign(priv, cosignedMessage(body, r.Time)))
	line := "\u2014 " + r.Name + " " + base64.StdEncoding.EncodeToString(sig.Bytes()) + "\n"
	return signed{VKey: vkey, Note: r.Note + line}, nil
}

func main() {
	var req request
	dec := json.NewDecoder(os.Stdin)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "checker: bad request:", err)
		os.Exit(2)
	}
	ans := answer{Notes: []verdict{}, Inclusion: []verdict{}, Consistency: []verdict{}, Cosignatures: []verdict{}, Sign: []signed{}, Cosign: []signed{}}
	for _, n := range req.Notes {
		ans.Notes = append(ans.Notes, checkNote(req.LogKey, n))
	}
	for _, r := range req.Inclusion {
		ans.Inclusion = append(ans.Inclusion, checkInclusion(req.LogKey, r))
	}
	for _, r := range req.Consistency {
		ans.Consistency = append(ans.Consistency, checkConsistency(req.LogKey, r))
	}
	for _, r := range req.Cosignatures {
		ans.Cosignatures = append(ans.Cosignatures, checkCosignature(r))
	}
	for _, r := range req.Sign {
		s, err := sign(r)
		if err != nil {
			fmt.Fprintln(os.Stderr, "checker: sign:", err)
			os.Exit(2)
		}
		ans.Sign = append(ans.Sign, s)
	}
	for _, r := range req.Cosign {
		s, err := cosign(r)
		if err != nil {
			fmt.Fprintln(os.Stderr, "checker: cosign:", err)
			os.Exit(2)
		}
		ans.Cosign = append(ans.Cosign, s)
	}
	if err := json.NewEncoder(os.Stdout).Encode(ans); err != nil {
		os.Exit(2)
	}
}
