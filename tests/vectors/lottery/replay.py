#!/usr/bin/env python3
"""
An independent re-implementation of suiji-draw/1 written from docs/lottery-spec.md alone
(V4), in plain Python 3 with hashlib only. It replays every record in the vector files and
checks commitment hash, pool hashes, seed and result. It does not verify drand BLS
signatures (no BLS in the standard library); it does check randomness = SHA-256(signature).

    python3 tests/vectors/lottery/replay.py
"""
import hashlib, json, os, unicodedata

def tag(name): return ("suiji-draw/1:" + name).encode("ascii") + b"\x00"
def u32(n): return n.to_bytes(4, "big")
def u64(n): return n.to_bytes(8, "big")
def sha(b): return hashlib.sha256(b).digest()
def utf8(s): return s.encode("utf-8")
def enc(i): return u32(len(utf8(i))) + utf8(i)

class Refused(Exception): pass

def strict_object(pairs):  # spec §1: a record has distinct member names in every object
    d = {}
    for k, v in pairs:
        if k in d: raise Refused("duplicate key " + k)
        d[k] = v
    return d

def integral(text):  # spec §1: 1, 1.0 and 1e0 are the integer 1; a fractional value is refused
    f = float(text)
    if not f.is_integer(): raise Refused("not an integer: " + text)
    return int(f)

def load(text): return json.loads(text, object_pairs_hook=strict_object, parse_float=integral)

def check_ceremony(c):  # spec §4.3: at least two code points, all distinct
    cer = c.get("entropy", {}).get("ceremony")
    if cer is not None and (len(cer["alphabet"]) < 2 or len(set(cer["alphabet"])) != len(cer["alphabet"])): raise Refused("ceremony alphabet")

def jcs(v):  # RFC 8785 for the values the lottery uses (integers, strings, ASCII keys)
    if v is None: return "null"
    if v is True: return "true"
    if v is False: return "false"
    if isinstance(v, int): return str(v)
    if isinstance(v, str): return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list): return "[" + ",".join(jcs(x) for x in v) + "]"
    keys = sorted(v.keys(), key=lambda k: k.encode("utf-16-be"))
    return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + jcs(v[k]) for k in keys) + "}"

def pool_hash(ids, sorted_=True):
    for a, b in zip(ids, ids[1:]):
        assert (utf8(a) < utf8(b)) if sorted_ else a != b, "pool not canonical"
    for i in ids:
        assert unicodedata.normalize("NFC", i) == i and 1 <= len(utf8(i)) <= 1024
    return sha(tag("pool" if sorted_ else "list") + b"".join(enc(i) for i in ids)).hex()

class Stream:
    def __init__(self, key): self.key, self.i, self.words = key, 0, []
    def word(self):
        if not self.words:
            b = sha(self.key + u64(self.i)); self.i += 1
            self.words = [int.from_bytes(b[j:j + 4], "big") for j in range(0, 32, 4)]
        return self.words.pop(0)
    def uniform(self, m):
        limit = 2**32 - (2**32 % m)
        while True:
            w = self.word()
            if w < limit: return w % m

class Shuffler:
    def __init__(self, n, stream): self.a, self.p, self.s = list(range(n)), 0, stream
    def pick(self):
        if self.p == len(self.a): return None
        j = self.p + self.s.uniform(len(self.a) - self.p)
        self.a[self.p], self.a[j] = self.a[j], self.a[self.p]
        self.p += 1
        return self.a[self.p - 1]

def sub_seed(seed, label, index): return sha(tag("sub") + seed + enc(label) + u32(index))

def entropy_bytes(plan, rev):
    out = b""
    if "drand" in plan:
        d = rev["drand"]
        assert hashlib.sha256(bytes.fromhex(d["signature"])).hexdigest() == d["randomness"]
        assert d["round"] in (plan["drand"]["round"], plan["drand"].get("fallbackRound"))
        out += b"\x01" + u64(d["round"]) + bytes.fromhex(d["randomness"])
    else: out += b"\x00"
    if "witnesses" in plan:
        ws = rev["witnesses"]
        out += b"\x01" + u32(len(ws))
        for w, m in zip(ws, plan["witnesses"]["members"]):
            if w["secret"] is None: out += b"\x00"
            else:
                assert hashlib.sha256(utf8(w["secret"])).hexdigest() == m["commitment"]
                out += b"\x01" + enc(w["secret"])
    else: out += b"\x00"
    out += (b"\x01" + enc(rev["ceremony"]["value"])) if "ceremony" in plan else b"\x00"
    return out

class ClassDraw:
    def __init__(self, c, pools, seed):
        self.runs = []
        for i, cls in enumerate(c["classes"]):
            pool = pools[cls["pool"]["hash"]]
            run = {"name": cls["name"], "pool": pool, "sh": Shuffler(len(pool), Stream(sub_seed(seed, "class", i))), "sel": []}
            self.runs.append(run)
        picked = [self.take(r, k_of(c["classes"][i], len(r["pool"]))) for i, r in enumerate(self.runs)]
        self.result = self.snap(picked)
    def take(self, r, k):
        out = [r["pool"][r["sh"].pick()] for _ in range(k)]
        r["sel"] += out
        return out
    def snap(self, picked, reps=None):
        classes = [{"name": r["name"], "picked": picked[i], "selected": list(r["sel"])} for i, r in enumerate(self.runs)]
        res = {"classes": classes, "merged": [x for c in classes for x in c["selected"]]}
        if reps is not None: res["replacements"] = reps
        return res
    def apply(self, f):
        picked = [[] for _ in self.runs]
        by = {r["name"]: i for i, r in enumerate(self.runs)}
        if f["kind"] == "extension":
            for a in f["additional"]:
                i = by[a["class"]]; picked[i] = self.take(self.runs[i], a["count"])
            self.result = self.snap(picked); return
        reps = []
        for x in f["replacements"]:
            i = by[x["class"]]; r = self.runs[i]; slot = r["sel"].index(x["member"]); nxt = r["sh"].pick()
            if nxt is None: del r["sel"][slot]; reps.append({"class": x["class"], "member": x["member"], "replacement": None})
            else:
                r["sel"][slot] = r["pool"][nxt]; picked[i].append(r["pool"][nxt])
                reps.append({"class": x["class"], "member": x["member"], "replacement": r["pool"][nxt]})
        self.result = self.snap(picked, reps)

def k_of(cls, n):
    q = cls.get("quota")
    if q is None: return n
    if "count" in q: return q["count"]
    return (n * q["ratio"]["numerator"] + q["ratio"]["denominator"] - 1) // q["ratio"]["denominator"]

class GroupDraw:
    def __init__(self, c, pools, seed):
        self.c, self.seed = c, seed
        self.rec = {(r["target"], r["member"]) for r in c["recusals"]}
        self.load, self.eload, self.retired, self.runs, self.unmatched = {}, {}, set(), [], []
        local = pools[c["inspectors"]["hash"]]
        joint = sorted(local + pools[c["neighbours"]["hash"]], key=utf8) if "neighbours" in c else None
        experts = pools[c["experts"]["pool"]["hash"]] if "experts" in c else None
        for ti, t in enumerate(pools[c["targets"]["hash"]]): self.serve(t, ti, local, joint, experts)
        self.result = self.snap()
    def ok(self, t, m, load, cap, taken):
        return (t, m) not in self.rec and m not in self.retired and load.get(m, 0) < cap and m not in taken
    def count(self, t, pool, load, cap): return sum(1 for m in pool if self.ok(t, m, load, cap, []))
    def nxt(self, t, walk, load, cap, taken):
        while True:
            i = walk[1].pick()
            if i is None: return None
            m = walk[0][i]
            if self.ok(t, m, load, cap, taken): load[m] = load.get(m, 0) + 1; return m
    def serve(self, t, ti, local, joint, experts):
        g, cap = self.c["groupSize"], self.c["maxLoad"]
        use_joint = self.count(t, local, self.load, cap) < g and joint is not None
        pool = joint if use_joint else local
        if self.count(t, pool, self.load, cap) < g: self.unmatched.append({"target": t, "need": "inspectors"}); return
        run = {"target": t, "pool": "joint" if use_joint else "local", "walk": (pool, Shuffler(len(pool), Stream(sub_seed(self.seed, "inspectors", ti)))), "members": [], "experts": [], "ewalk": None}
        while len(run["members"]) < g: run["members"].append(self.nxt(t, run["walk"], self.load, cap, run["members"]))
        e = self.c.get("experts")
        if e:
            if self.count(t, experts, self.eload, e["maxLoad"]) < e["perTarget"]: self.unmatched.append({"target": t, "need": "experts"})
            else:
                run["ewalk"] = (experts, Shuffler(len(experts), Stream(sub_seed(self.seed, "experts", ti))))
                while len(run["experts"]) < e["perTarget"]: run["experts"].append(self.nxt(t, run["ewalk"], self.eload, e["maxLoad"], run["experts"]))
        self.runs.append(run)
    def snap(self, reps=None):
        res = {"groups": [{"target": r["target"], "pool": r["pool"], "members": list(r["members"]), "leader": r["members"][0] if r["members"] else None, "experts": list(r["experts"])} for r in self.runs], "unmatched": list(self.unmatched)}
        if reps is not None: res["replacements"] = reps
        return res
    def apply(self, f):
        reps = []
        for x in f["replacements"]:
            run = next(r for r in self.runs if r["target"] == x["target"])
            insp = x["member"] in run["members"]
            lst, load = (run["members"], self.load) if insp else (run["experts"], self.eload)
            walk, cap = (run["walk"], self.c["maxLoad"]) if insp else (run["ewalk"], self.c["experts"]["maxLoad"])
            self.retired.add(x["member"]); load[x["member"]] -= 1
            slot = lst.index(x["member"]); m = self.nxt(x["target"], walk, load, cap, lst)
            if m is None: del lst[slot]
            else: lst[slot] = m
            reps.append({"target": x["target"], "member": x["member"], "replacement": m})
        self.result = self.snap(reps)

def replay(record):
    """Returns (draw state, root seed) after checking every hash; raises AssertionError on a mismatch."""
    c = record["commitment"]
    check_ceremony(c)
    assert sha(tag("commitment") + jcs(c).encode("utf-8")).hex() == record["commitmentHash"], "commitment hash"
    if c["kind"] in ("extension", "replacement"):
        assert record["parent"]["commitmentHash"] == c["parent"], "parent"
        state, seed = replay(record["parent"]); state.apply(c); return state, seed
    pools = record["pools"]
    for h, ids in pools.items():
        assert h in (pool_hash(ids, True) if ids == sorted(ids, key=utf8) else None, pool_hash(ids, False)), "pool hash"
    seed = sha(tag("seed") + bytes.fromhex(record["commitmentHash"]) + entropy_bytes(c["entropy"], record["revealed"]))
    assert seed.hex() == record["seed"], "seed"
    return (GroupDraw if c["kind"] == "inspectorGroups" else ClassDraw)(c, pools, seed), seed

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    s = json.load(open(os.path.join(here, "sampler.json")))
    st = Stream(bytes.fromhex(s["key"]))
    assert [st.word() for _ in s["words"]] == s["words"]
    for u in s["uniforms"]: assert Stream(bytes.fromhex(s["key"])).uniform(u["m"]) == u["value"]
    sh = Shuffler(10, Stream(bytes.fromhex(s["key"])))
    assert [sh.pick() for _ in range(10)] == s["shuffle10"]
    n = 0
    for f in sorted(os.listdir(here)):
        if not f.endswith(".json") or f in ("sampler.json", "drand-quicknet.json", "tsconfig.json"): continue
        if f == "spec-cases.json": continue
        for step in load(open(os.path.join(here, f), encoding="utf-8").read())["steps"]:
            rec = step["record"]
            state, seed = replay(rec)
            assert seed.hex() == rec["seed"], f"{f}: seed"
            assert state.result == rec["result"], f"{f}: result\n{state.result}\n{rec['result']}"
            n += 1
    spec = json.load(open(os.path.join(here, "spec-cases.json"), encoding="utf-8"))
    for case in spec["cases"]:
        try:
            rec = load(case["recordText"]); state, seed = replay(rec)
            assert state.result == rec["result"], case["name"]
            verdict = True
        except Refused:
            verdict = False
        assert verdict == case["verdict"]["ok"], f"spec-cases {case['name']}: {verdict}"
    print(f"replay.py: sampler vector, {n} records and {len(spec['cases'])} spec cases reproduced from the spec")

if __name__ == "__main__":
    main()
