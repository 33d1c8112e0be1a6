/**
 * Lottery benchmark (issue "The verifiable lottery"): commit + draw + verify of one-class target
 * draws (5 % ratio, drand entropy) over synthetic 18-character credit codes, against raw SHA-256
 * over the same pool bytes (u32be length ‖ UTF-8 per id) in the same run.
 * Goal: 1,000,000 members draw and verify in ≤ 1 s each on the 2-core machine.
 *
 *   BENCH_LOTTERY_SIZES=100000,1000000,15000000 node --max-old-space-size=8192 dist/bench/lottery.js
 *
 * Issue 13 goal (lottery verification ≤ 1.2× a raw SHA-256 of the pool bytes; peak heap ≤ 2× the
 * pool's bytes at 15,000,000): `verifyOnly` measures verification in its own process
 * (`--verify-only N`), which holds nothing but the record — no second copy of the ids, no pool
 * bytes while verifying — with both hashes: @noble (the browser) and node:crypto (the CLI and
 * server, src/app/draws/verdict.ts), each against the raw SHA-256 of the same implementation.
 *   BENCH_LOTTERY_VERIFY_SIZES=1000000,15000000 BENCH_LOTTERY_VERIFY_REPS=5
 * `BENCH_LOTTERY_MODE=bytes` (same sizes and reps variables) verifies the exported file's bytes
 * instead (verifyDrawRecordBytes: pools packed, no string per member), under `verifyBytes`;
 * `BENCH_LOTTERY_RECORD_FILE=path` also writes that record's file there.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { QUICKNET_CHAIN_HASH, commitDraw, completeDraw, parseRecordBytes, verifyDrawRecord, verifyDrawRecordBytes, verifyDrawRecordText } from '../src/verify/index.js';
import type { ClassDrawResult } from '../src/verify/index.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsDir, writeResult } from './util.js';
import { syntheticCodes } from './lottery-codes.js';

export { syntheticCodes };

function poolBytes(ids: readonly string[]): Uint8Array {
  const buf = new Uint8Array(ids.reduce((s, id) => s + 4 + id.length, 0));
  let p = 0;
  for (const id of ids) {
    buf[p + 3] = id.length;
    p += 4;
    for (let j = 0; j < id.length; j++) buf[p++] = id.charCodeAt(j);
  }
  return buf;
}

const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const r = f();
  return [r, Math.round((performance.now() - t) * 10) / 10];
};

const ROUND = { round: 1000, signature: 'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39', randomness: 'fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd' };

function benchSize(n: number, reps: number): object {
  const [ids, generateMs] = time(() => syntheticCodes(n));
  const bytes = poolBytes(ids);
  const best = (f: () => unknown): number => Math.min(...Array.from({ length: reps }, () => time(f)[1]));
  const rawSha256Ms = best(() => sha256(bytes));
  const input = {
    drawId: `bench-${n}`, task: 'bench', purpose: 'bench', committedAt: '2023-08-23T15:58:00Z',
    source: { ledgerPosition: '0', filter: null },
    kind: 'targets' as const,
    classes: [{ name: 'all', pool: { members: ids }, quota: { ratio: { numerator: 1, denominator: 20 } } }],
    entropy: { drand: { chainHash: QUICKNET_CHAIN_HASH, round: 1000 } },
  };
  let committed = commitDraw(input);
  const commitMs = best(() => (committed = commitDraw(input)));
  let record = completeDraw(committed, { drand: ROUND });
  const drawMs = best(() => (record = completeDraw(committed, { drand: ROUND })));
  let ok = false;
  const verifyMs = best(() => (ok = verifyDrawRecord(record).ok));
  if (!ok) throw new Error('bench record does not verify');
  const picks = (record.result as ClassDrawResult).merged.length;
  const out: Record<string, unknown> = {
    members: n, picks, poolMiB: Math.round(bytes.length / 2 ** 20), generateMs, rawSha256Ms, commitMs, drawMs, verifyMs,
    ratios: { commitVsRawSha256: +(commitMs / rawSha256Ms).toFixed(2), drawVsRawSha256: +(drawMs / rawSha256Ms).toFixed(2), verifyVsRawSha256: +(verifyMs / rawSha256Ms).toFixed(2) },
  };
  if (n <= 1_000_000) {
    // Unsorted input: the builder sorts once (committed pools arrive sorted; verifiers never sort).
    const shuffled = [...ids];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = (i * 2654435761) % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    out.commitUnsortedInputMs = best(() => commitDraw({ ...input, classes: [{ ...input.classes[0]!, pool: { members: shuffled } }] }));
  }
  return out;
}

export async function benchLottery(): Promise<object> {
  const sizes = (process.env.BENCH_LOTTERY_SIZES ?? '100000,1000000,15000000').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  // The first BLS verification builds noble's precomputed tables (~0.3 s, once per process).
  const [, blsWarmupMs] = time(() => completeDraw(commitDraw({ drawId: 'w', task: 'w', purpose: 'w', committedAt: '2023-08-23T15:58:00Z', source: { ledgerPosition: '0', filter: null }, kind: 'targets', classes: [{ name: 'c', pool: { members: ['a'] }, quota: { count: 1 } }], entropy: { drand: { chainHash: QUICKNET_CHAIN_HASH, round: 1000 } } }), { drand: ROUND }));
  const runs = sizes.map((n) => {
    const r = { ...benchSize(n, n <= 1_000_000 ? 5 : 1), loadAverage1m: +loadavg()[0]!.toFixed(2), heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20) };
    console.log(JSON.stringify(r));
    return r;
  });
  const result = { goal: '1,000,000 members: drawMs <= 1000 and verifyMs <= 1000', blsWarmupMs, note: 'best of 5 (1 for > 1M); the machine is shared, loadAverage1m shows the contention; ratios are against raw SHA-256 (noble) over the same length-prefixed pool bytes', runs };
  writeResult('lottery', result);
  return result;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const MiB = (b: number): number => Math.round(b / 2 ** 20);

/**
 * The child of `verifyOnly`: build a 1 % record over n members, drop everything but the record,
 * then alternate verify(@noble), verify(node:crypto), and only afterwards build the pool bytes
 * and time the raw hashes. Heap: used after a full GC with only the record held (the input every
 * verifier needs), and the largest used heap seen right after a verification (before any GC) —
 * an upper bound of the verification's own peak only if GC did not run inside it, so the
 * process's peak RSS is given too.
 */
function verifyOnlyChild(n: number, reps: number): object {
  const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
  let ids: string[] | null = syntheticCodes(n);
  const poolBytesLength = ids.reduce((s, id) => s + 4 + id.length, 0);
  const record = completeDraw(commitDraw({
    drawId: `verify-${n}`, task: 'bench', purpose: 'bench', committedAt: '2023-08-23T15:58:00Z', source: { ledgerPosition: '0', filter: null }, kind: 'targets',
    classes: [{ name: 'all', pool: { members: ids }, quota: { ratio: { numerator: 1, denominator: 100 } } }], entropy: { drand: { chainHash: QUICKNET_CHAIN_HASH, round: 1000 } },
  }), { drand: ROUND });
  ids = null;
  gc();
  gc();
  const heapWithRecord = process.memoryUsage().heapUsed;
  const node = { sha256: () => createHash('sha256') };
  const nobleMs: number[] = [];
  const nodeMs: number[] = [];
  let heapAfterVerify = 0;
  for (let k = 0; k < reps; k++) {
    for (const [opts, out] of [[{}, nobleMs], [node, nodeMs]] as const) {
      gc();
      const t = performance.now();
      const ok = verifyDrawRecord(record, opts).ok;
      out.push(performance.now() - t);
      heapAfterVerify = Math.max(heapAfterVerify, process.memoryUsage().heapUsed);
      if (!ok) throw new Error('bench record does not verify');
    }
  }
  const maxRssDuringVerifyMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  const members = (record.pools as Record<string, string[]>)[Object.keys(record.pools)[0]!]!;
  const bytes = poolBytes(members);
  const rawNobleMs: number[] = [];
  const rawNodeMs: number[] = [];
  for (let k = 0; k < reps; k++) {
    let t = performance.now();
    sha256(bytes);
    rawNobleMs.push(performance.now() - t);
    t = performance.now();
    createHash('sha256').update(bytes).digest();
    rawNodeMs.push(performance.now() - t);
  }
  const r = (x: number): number => Math.round(x * 10) / 10;
  return {
    members: n, reps, poolMiB: +(poolBytesLength / 2 ** 20).toFixed(1),
    medianMs: { verifyNoble: r(median(nobleMs)), rawNoble: r(median(rawNobleMs)), verifyNode: r(median(nodeMs)), rawNode: r(median(rawNodeMs)) },
    ratios: {
      verifyNobleVsRawNoble: +(median(nobleMs) / median(rawNobleMs)).toFixed(2),
      verifyNodeVsRawNode: +(median(nodeMs) / median(rawNodeMs)).toFixed(2),
      verifyNodeVsRawNoble: +(median(nodeMs) / median(rawNobleMs)).toFixed(2),
    },
    runsMs: { verifyNoble: nobleMs.map(r), verifyNode: nodeMs.map(r), rawNoble: rawNobleMs.map(r), rawNode: rawNodeMs.map(r) },
    heap: {
      withRecordMiB: MiB(heapWithRecord), maxAfterVerifyMiB: MiB(heapAfterVerify),
      withRecordVsPoolBytes: +(heapWithRecord / poolBytesLength).toFixed(2), maxAfterVerifyVsPoolBytes: +(heapAfterVerify / poolBytesLength).toFixed(2),
      maxRssDuringVerifyMiB,
    },
    loadAverage1m: +loadavg()[0]!.toFixed(2),
  };
}

/**
 * The child of `verifyBytes` (issue 13, lane verify3): the record as the bytes of its exported
 * file (`JSON.stringify(record, null, 2)`, as `suiji draw export` writes it), verified by
 * verifyDrawRecordBytes — member lists hashed straight from the bytes — with @noble and with
 * node:crypto, against the raw SHA-256 of the same pool bytes by the same implementation. The raw
 * hashes run beside each verification (the pool's bytes, kept for them, are left out of the
 * memory figures); at ≤ 1M the
 * whole-text path (parseJsonStrict of the text, verifyDrawRecord) is timed too, for comparison.
 * Heap: used heap and array buffers (the file's bytes and the packed offsets) right after a
 * parse and after each verification, before any GC, and the process's peak RSS.
 */
function verifyBytesChild(n: number, reps: number): object {
  const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
  let ids: string[] | null = syntheticCodes(n);
  // Kept for the raw hashes, which run beside each verification (same load): its bytes are
  // subtracted from the array buffers reported.
  const pool = poolBytes(ids);
  const poolBytesLength = pool.length;
  const rawNobleMs: number[] = [];
  const rawNodeMs: number[] = [];
  let record: unknown = completeDraw(commitDraw({
    drawId: `verify-${n}`, task: 'bench', purpose: 'bench', committedAt: '2023-08-23T15:58:00Z', source: { ledgerPosition: '0', filter: null }, kind: 'targets',
    classes: [{ name: 'all', pool: { members: ids }, quota: { ratio: { numerator: 1, denominator: 100 } } }], entropy: { drand: { chainHash: QUICKNET_CHAIN_HASH, round: 1000 } },
  }), { drand: ROUND });
  ids = null;
  const bytes = new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`);
  record = null;
  // The same file for timing `suiji draw verify --offline` on it (docs/performance.md).
  if (process.env.BENCH_LOTTERY_RECORD_FILE) writeFileSync(process.env.BENCH_LOTTERY_RECORD_FILE, bytes);
  gc();
  gc();
  const base = process.memoryUsage();
  const node = { sha256: () => createHash('sha256') };
  const nobleMs: number[] = [];
  const nodeMs: number[] = [];
  const parseMs: number[] = [];
  let peakHeap = 0;
  let peakHeapAndBuffers = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakHeapAndBuffers = Math.max(peakHeapAndBuffers, m.heapUsed + m.arrayBuffers - poolBytesLength);
  };
  for (let k = 0; k < reps; k++) {
    // Each repetition: the raw hashes, then the parse alone, then both verifications, in turn.
    gc();
    let t = performance.now();
    sha256(pool);
    rawNobleMs.push(performance.now() - t);
    t = performance.now();
    createHash('sha256').update(pool).digest();
    rawNodeMs.push(performance.now() - t);
    gc();
    t = performance.now();
    const parsed = parseRecordBytes(bytes);
    parseMs.push(performance.now() - t);
    sample();
    if (parsed === undefined) throw new Error('bench record not packed');
    for (const [opts, out] of [[{}, nobleMs], [node, nodeMs]] as const) {
      gc();
      t = performance.now();
      const ok = verifyDrawRecordBytes(bytes, opts).ok;
      out.push(performance.now() - t);
      sample();
      if (!ok) throw new Error('bench record does not verify');
    }
  }
  const maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  const wholeTextNodeMs: number[] = [];
  if (n <= 1_000_000) {
    for (let k = 0; k < reps; k++) {
      gc();
      const t = performance.now();
      const ok = verifyDrawRecordText(new TextDecoder().decode(bytes), node).ok;
      wholeTextNodeMs.push(performance.now() - t);
      if (!ok) throw new Error('bench record does not verify');
    }
  }
  const r = (x: number): number => Math.round(x * 10) / 10;
  return {
    members: n, reps, poolMiB: +(poolBytesLength / 2 ** 20).toFixed(1), fileMiB: +(bytes.length / 2 ** 20).toFixed(1),
    medianMs: {
      verifyBytesNoble: r(median(nobleMs)), rawNoble: r(median(rawNobleMs)), verifyBytesNode: r(median(nodeMs)), rawNode: r(median(rawNodeMs)), parseBytes: r(median(parseMs)),
      ...(wholeTextNodeMs.length > 0 && { wholeTextNode: r(median(wholeTextNodeMs)) }),
    },
    ratios: {
      verifyBytesNobleVsRawNoble: +(median(nobleMs) / median(rawNobleMs)).toFixed(2),
      verifyBytesNodeVsRawNode: +(median(nodeMs) / median(rawNodeMs)).toFixed(2),
      verifyBytesNodeVsRawNoble: +(median(nodeMs) / median(rawNobleMs)).toFixed(2),
      ...(wholeTextNodeMs.length > 0 && { wholeTextNodeVsVerifyBytesNode: +(median(wholeTextNodeMs) / median(nodeMs)).toFixed(2) }),
    },
    runsMs: { verifyBytesNoble: nobleMs.map(r), verifyBytesNode: nodeMs.map(r), rawNoble: rawNobleMs.map(r), rawNode: rawNodeMs.map(r), parseBytes: parseMs.map(r), wholeTextNode: wholeTextNodeMs.map(r) },
    memory: {
      heapWithBytesMiB: MiB(base.heapUsed), arrayBuffersWithBytesMiB: MiB(base.arrayBuffers - poolBytesLength),
      peakHeapSampledMiB: MiB(peakHeap), peakHeapAndArrayBuffersSampledMiB: MiB(peakHeapAndBuffers),
      peakHeapVsPoolBytes: +(peakHeap / poolBytesLength).toFixed(2), peakHeapAndArrayBuffersVsPoolBytes: +(peakHeapAndBuffers / poolBytesLength).toFixed(2),
      maxRssMiB,
    },
    loadAverage1m: +loadavg()[0]!.toFixed(2),
  };
}

/** A child bench (`--verify-only`, `--verify-bytes`) in its own process per size; its last line is its figures. */
function childPerSize(flag: string): object {
  const sizes = (process.env.BENCH_LOTTERY_VERIFY_SIZES ?? '1000000').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const reps = Number(process.env.BENCH_LOTTERY_VERIFY_REPS ?? 5);
  const script = process.argv[1]!;
  return sizes.map((n) => {
    const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', script, flag, String(n), String(reps)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const line = JSON.parse(out.trim().split('\n').at(-1)!) as object;
    console.log(JSON.stringify(line));
    return line;
  });
}

/** verifyBytesChild in its own process per size. */
export const verifyBytes = (): object => childPerSize('--verify-bytes');

/** Verification in its own process per size (see the header). */
export const verifyOnly = (): object => childPerSize('--verify-only');

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--verify-only') console.log(JSON.stringify(verifyOnlyChild(Number(process.argv[3]), Number(process.argv[4] ?? 5))));
  else if (process.argv[2] === '--verify-bytes') console.log(JSON.stringify(verifyBytesChild(Number(process.argv[3]), Number(process.argv[4] ?? 5))));
  else if (process.env.BENCH_LOTTERY_MODE === 'bytes') {
    // Beside the other figures in bench/results/lottery.json, under verifyBytes.
    const path = join(resultsDir, 'lottery.json');
    const { name: _n, at: _a, machine: _m, ...kept } = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
    const previous = (kept.verifyBytes as { runs?: unknown[] } | undefined)?.runs ?? [];
    const runs = verifyBytes() as unknown[];
    writeResult('lottery', { ...kept, verifyBytes: { at: new Date().toISOString(), goal: 'issue 13: verify <= 1.2x raw SHA-256 of the pool bytes (same implementation) at 1,000,000 and 15,000,000; peak heap <= 2x pool bytes at 15,000,000', note: 'verifyDrawRecordBytes over the exported file\'s bytes (lane verify3); runs of every invocation kept, newest last', runs: [...previous, ...runs] } });
  }
  else if (process.env.BENCH_LOTTERY_MODE === 'verify') {
    // Kept beside the full run's figures in bench/results/lottery.json, under verifyOnly.
    const path = join(resultsDir, 'lottery.json');
    const { name: _n, at: _a, machine: _m, ...kept } = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
    const verifyOnlyRuns = { at: new Date().toISOString(), goal: 'issue 13: verify <= 1.2x raw SHA-256 of the pool bytes (same implementation) at 1,000,000 and 15,000,000; peak heap <= 2x pool bytes at 15,000,000', runs: verifyOnly() };
    writeResult('lottery', { ...kept, verifyOnly: verifyOnlyRuns });
  }
  else await benchLottery();
}
