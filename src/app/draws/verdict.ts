/**
 * Issue 7 §2: internal consistency is not enough — a record rebuilt with another ceremony value
 * (same commitment hash, other picks) replays perfectly. The verdict says whether the record is
 * the one THIS ledger holds:
 *   ledger       consistent, and equal (JCS) to the record the ledger's events make;
 *   foreign      consistent, but not this ledger's (a forgery, or another system's record);
 *   inconsistent the record contradicts itself (first difference, spec §9);
 *   unanchored   consistent; no ledger was consulted (offline check, `--offline`).
 * The `ledger` part names the ledger events the record rests on (position, leaf hash) and the
 * head they were read at, so a later issue can add inclusion proofs against a signed checkpoint.
 */
import { createHash } from 'node:crypto';
import type { FromSchema } from 'json-schema-to-ts';
import { bytesToHex } from '@noble/hashes/utils.js';
import { anchorDrawRecord, commitmentHash, canonicalize, envelopeLeafHashHex, firstDifference, verifyDrawRecord, type VerifierKey, type VerifyResult } from '../../verify/index.js';
import type { RecordedEvent, LedgerHead } from '../../store/port.js';
import { ABANDONED_FORMAT } from './view.js';

export type Verdict = 'ledger' | 'foreign' | 'inconsistent' | 'unanchored';

/**
 * The verdict on a draw record (issue 7 §2; docs/draws.md "Verdicts"): `ledger`, `foreign`
 * (consistent, not this ledger's), `inconsistent` (first difference with its code and JSON path,
 * docs/lottery-spec.md §9). `ok` is true only for a taken result this ledger holds. `ledger`
 * anchors the answer: the head it was read at and the draw's events with their leaf hashes.
 */
export const verdictSchema = {
  type: 'object',
  required: ['ok', 'verdict', 'consistent'],
  additionalProperties: false,
  properties: {
    ok: { type: 'boolean' },
    verdict: { enum: ['ledger', 'foreign', 'inconsistent', 'unanchored'] },
    consistent: { type: 'boolean' },
    /** Issue 11: the `ledger` answer was reached offline, from a signed checkpoint and inclusion proofs (docs/draws.md §6). */
    anchored: { type: 'boolean' },
    taken: { type: 'boolean' },
    code: { type: 'string' },
    path: { type: 'string' },
    message: { type: 'string' },
    expected: {},
    actual: {},
    ledger: {
      type: 'object',
      required: ['drawId', 'status', 'head', 'events'],
      additionalProperties: false,
      properties: {
        drawId: { type: 'string' },
        status: { type: 'string' },
        head: { type: 'object', required: ['size', 'root'], additionalProperties: false, properties: { size: { type: 'integer' }, root: { type: 'string' } } },
        events: {
          type: 'array',
          items: {
            type: 'object',
            required: ['position', 'type', 'hash'],
            additionalProperties: false,
            properties: { position: { type: 'integer' }, type: { type: 'string' }, hash: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;

export type RecordVerdict = FromSchema<typeof verdictSchema>;
type LedgerAnchor = NonNullable<RecordVerdict['ledger']>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const isAbandonedExport = (record: unknown): record is Record<string, unknown> => isObject(record) && record.format === ABANDONED_FORMAT;

/** The draw id a record claims, or null when it names none. */
export function claimedDrawId(record: unknown): string | null {
  if (!isObject(record)) return null;
  if (record.format === ABANDONED_FORMAT) return typeof record.drawId === 'string' ? record.drawId : null;
  const c = record.commitment;
  return isObject(c) && typeof c.drawId === 'string' ? c.drawId : null;
}

/**
 * The CLI and the server hash member lists with node:crypto (issue 13: a 15,000,000-member pool
 * in a fraction of @noble's time); src/verify's default stays @noble for the browser, and
 * tests/verify/lottery/hash-option.test.ts shows both give every verdict alike.
 */
const nodeSha256 = { sha256: () => createHash('sha256') };

const fromCheck = (v: VerifyResult, prefix = ''): RecordVerdict =>
  v.ok
    ? { ok: false, verdict: 'unanchored', consistent: true }
    : {
        ok: false, verdict: 'inconsistent', consistent: false, code: v.code, path: `${prefix}${v.path}`, message: v.message,
        ...(v.expected !== undefined && { expected: v.expected }), ...(v.actual !== undefined && { actual: v.actual }),
      };

/**
 * The record checked from its own bytes (src/verify, as in a browser). An abandoned draw's export
 * is consistent when its commitment hash is right and its would-be record, if any, replays.
 */
export function internalVerdict(record: unknown): RecordVerdict {
  if (!isAbandonedExport(record)) return fromCheck(verifyDrawRecord(record, nodeSha256));
  let hash: string;
  try {
    hash = bytesToHex(commitmentHash(record.commitment));
  } catch {
    return { ok: false, verdict: 'inconsistent', consistent: false, code: 'MALFORMED', path: 'commitment', message: 'not a JSON commitment' };
  }
  if (hash !== record.commitmentHash) {
    return { ok: false, verdict: 'inconsistent', consistent: false, code: 'COMMITMENT_HASH_MISMATCH', path: 'commitmentHash', message: 'SHA-256(tag ‖ JCS(commitment)) differs', expected: hash, actual: record.commitmentHash };
  }
  if (record.wouldHaveBeen === null || record.wouldHaveBeen === undefined) return { ok: false, verdict: 'unanchored', consistent: true, taken: false };
  return { ...fromCheck(verifyDrawRecord(record.wouldHaveBeen, nodeSha256), 'wouldHaveBeen.'), taken: false };
}

const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

function sameJcs(a: unknown, b: unknown): boolean {
  try {
    return canonicalize(json(a)) === canonicalize(json(b));
  } catch {
    return false; // not JSON at all: it cannot be the ledger's
  }
}

/** What the ledger holds for the claimed draw: its export (null while it is open), its status and its events. */
export interface LedgerSide {
  readonly drawId: string;
  readonly status: string;
  readonly export: unknown;
  readonly events: readonly RecordedEvent[];
  readonly head: LedgerHead;
}

/** Compares a consistent record with what the ledger holds; `side` null: the ledger has no such draw. */
export function ledgerVerdict(record: unknown, internal: RecordVerdict, side: LedgerSide | null): RecordVerdict {
  if (!internal.consistent) return internal;
  const taken = internal.taken ?? true;
  if (side === null) {
    return { ok: false, verdict: 'foreign', consistent: true, ...(!taken && { taken }), code: 'DRAW_NOT_IN_LEDGER', path: isAbandonedExport(record) ? 'drawId' : 'commitment.drawId', message: 'this ledger holds no draw with this id' };
  }
  const ledger: LedgerAnchor = {
    drawId: side.drawId,
    status: side.status,
    head: { size: side.head.size, root: side.head.root },
    events: side.events.map((e) => ({ position: e.position, type: e.type, hash: e.hash })),
  };
  const base = { consistent: true, ...(!taken && { taken }), ledger };
  if (side.export === null) return { ok: false, verdict: 'foreign', ...base, code: 'DRAW_NOT_CLOSED', path: 'commitment.drawId', message: `the ledger's draw is ${side.status}: it has no result yet` };
  if (sameJcs(record, side.export)) return { ok: taken, verdict: 'ledger', ...base };
  const d = firstDifference(json(side.export), json(record), '');
  return {
    ok: false, verdict: 'foreign', ...base, code: 'DIFFERS_FROM_LEDGER', path: (d?.path ?? '').replace(/^\./, '') || 'record',
    message: "consistent, but not the record this ledger holds for the draw (a forgery or another system's record)",
    ...(d && d.expected !== undefined && { expected: d.expected }), ...(d && d.actual !== undefined && { actual: d.actual }),
  };
}

/**
 * Issue 11: the verdict reached offline from a ledger proof bundle and the log's verifier key
 * (src/verify/anchor.ts) — `ledger` with `anchored: true` when the checkpoint is signed by the
 * log, every event's audit path leads to its root and the record says what those events say;
 * `foreign` otherwise: `PROOF_INVALID` (the bundle does not prove anything) or
 * `DIFFERS_FROM_LEDGER` (proven events, another record), with the failing check's path.
 */
export function anchoredVerdict(record: unknown, bundle: unknown, keys: readonly VerifierKey[]): RecordVerdict {
  const internal = internalVerdict(record);
  if (!internal.consistent) return internal;
  const taken = internal.taken ?? true;
  const report = anchorDrawRecord(record, bundle, keys);
  const bad = report.checks.find((c) => !c.ok);
  if (!report.ok || !report.checkpoint) {
    return {
      ok: false, verdict: 'foreign', consistent: true, anchored: false, ...(!taken && { taken }),
      code: bad?.check === 'binding' ? 'DIFFERS_FROM_LEDGER' : 'PROOF_INVALID', path: bad?.path ?? 'proof', message: `${bad?.check ?? 'proof'}: ${bad?.message ?? 'not anchored'}`,
      ...(bad?.expected !== undefined && { expected: bad.expected }), ...(bad?.actual !== undefined && { actual: bad.actual }),
    };
  }
  const events = [...report.anchored.values()].map((e) => ({ position: e.position as number, type: String(e.type), hash: envelopeLeafHashHex(e) }));
  return {
    ok: taken, verdict: 'ledger', consistent: true, anchored: true, ...(!taken && { taken }),
    ledger: { drawId: claimedDrawId(record) ?? '', status: taken ? 'completed' : 'abandoned', head: { size: report.checkpoint.size, root: report.checkpoint.root }, events },
  };
}
