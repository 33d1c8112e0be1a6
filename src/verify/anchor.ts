/**
 * Offline anchoring (issue 11; docs/public.md "Replaying a draw in the browser"): "is this record
 * the one this ledger holds?" answered without asking the ledger. A ledger proof bundle
 * (`suiji-ledger-proof/1`) carries a signed checkpoint (C2SP signed-note around a C2SP
 * tlog-checkpoint) and, for each event the record rests on, the envelope and its RFC 6962 audit
 * path against that checkpoint. Given the log's verifier key, anyone checks:
 *   1. the checkpoint's signature by the log key (whose name is the checkpoint's origin);
 *   2. each envelope's leaf hash, SHA-256(0x00 ‖ JCS(envelope)) (docs/ledger-format.md §2);
 *   3. each audit path up to the checkpoint's root (RFC 9162 §2.1.3.2);
 *   4. that the record says exactly what the anchored events say (binding).
 * Every check is reported with pass/fail and where it breaks; nothing throws.
 */
import { hexToBytes } from '@noble/hashes/utils.js';
import { canonicalize } from './jcs.js';
import { CheckpointParseError, parseCheckpoint, type LogCheckpoint } from './checkpoint.js';
import { verifyInclusion } from './inclusion.js';
import { envelopeLeafHashHex } from './ledger.js';
import { openNote, type OpenedNote, type VerifierKey } from './note.js';

export const LEDGER_PROOF_FORMAT = 'suiji-ledger-proof/1';
/** Formats of the records anchoring binds (spec §8 and docs/draws.md §3a). */
const RECORD_FORMAT = 'suiji-draw-record/1';
const ABANDONED_FORMAT = 'suiji-abandoned-draw/1';
/** A record's lineage is short (a root and its follow-ups); a bundle of more is refused before hashing. */
const MAX_EVENTS = 4096;
const MAX_PROOF = 64;

export interface ProvenEvent {
  /** Ledger position = leaf index (docs/ledger-format.md). */
  readonly position: number;
  /** The recorded envelope without its `hash` member. */
  readonly envelope: Readonly<Record<string, unknown>>;
  /** Audit path against the checkpoint's size, lowercase hex, from the leaf's sibling up. */
  readonly inclusion: readonly string[];
}

export interface LedgerProofBundle {
  readonly format: typeof LEDGER_PROOF_FORMAT;
  /** The full signed note: checkpoint body, blank line, signature lines. */
  readonly checkpoint: string;
  readonly events: readonly ProvenEvent[];
}

export type AnchorCheckName = 'bundle' | 'checkpoint' | 'signature' | 'leaf' | 'inclusion' | 'binding';

export interface AnchorCheck {
  readonly check: AnchorCheckName;
  readonly ok: boolean;
  /** Where: `proof.events[2].inclusion`, `record.result`, `parent.seed`… */
  readonly path: string;
  readonly message: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
}

export interface AnchorReport {
  /** Every check passed (and there was at least one event to anchor). */
  readonly ok: boolean;
  readonly checks: readonly AnchorCheck[];
  /** The checkpoint the bundle is anchored to, when it parsed. */
  readonly checkpoint?: LogCheckpoint;
  /** Envelopes whose leaf hash and audit path both verified, by position. */
  readonly anchored: ReadonlyMap<number, Readonly<Record<string, unknown>>>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const HEX32 = /^[0-9a-f]{64}$/;

function sameJson(a: unknown, b: unknown): boolean {
  try {
    return canonicalize(a as never) === canonicalize(b as never);
  } catch {
    return false;
  }
}

/**
 * Checks the bundle alone: signature, leaves, audit paths. `logKeys`: the log's verifier keys
 * (parsed with note.ts `parseVerifierKey`); a signature counts only from a key named as the
 * checkpoint's origin (C2SP tlog-checkpoint: the log signs under its origin).
 */
export function verifyLedgerProof(bundle: unknown, logKeys: readonly VerifierKey[]): AnchorReport {
  const checks: AnchorCheck[] = [];
  const anchored = new Map<number, Readonly<Record<string, unknown>>>();
  const fail = (check: AnchorCheckName, path: string, message: string, extra: { expected?: unknown; actual?: unknown } = {}): AnchorReport => {
    checks.push({ check, ok: false, path, message, ...extra });
    return { ok: false, checks, anchored };
  };
  if (!isObject(bundle)) return fail('bundle', 'proof', 'a ledger proof bundle is a JSON object');
  if (bundle.format !== LEDGER_PROOF_FORMAT) return fail('bundle', 'proof.format', `expected ${LEDGER_PROOF_FORMAT}`, { expected: LEDGER_PROOF_FORMAT, actual: bundle.format });
  if (typeof bundle.checkpoint !== 'string') return fail('bundle', 'proof.checkpoint', 'expected the signed checkpoint note as text');
  if (!Array.isArray(bundle.events) || bundle.events.length === 0 || bundle.events.length > MAX_EVENTS) {
    return fail('bundle', 'proof.events', `expected 1 to ${MAX_EVENTS} proven events`);
  }

  // Parse what the signature covers (the note's text), never the bytes around it.
  let opened: OpenedNote;
  try {
    opened = openNote(bundle.checkpoint, logKeys);
  } catch (e) {
    return fail('checkpoint', 'proof.checkpoint', `not a signed note: ${e instanceof Error ? e.message : String(e)}`);
  }
  let cp: LogCheckpoint;
  try {
    cp = parseCheckpoint(opened.text);
  } catch (e) {
    return fail('checkpoint', 'proof.checkpoint', e instanceof CheckpointParseError ? e.message : 'not a checkpoint');
  }
  checks.push({ check: 'checkpoint', ok: true, path: 'proof.checkpoint', message: `${cp.origin} size ${cp.size} root ${cp.root}` });

  if (!logKeys.some((k) => k.name === cp.origin)) {
    return fail('signature', 'proof.checkpoint', `no verifier key named ${JSON.stringify(cp.origin)} was given`, { expected: cp.origin, actual: logKeys.map((k) => k.name) });
  }
  if (!opened.signatures.some((s) => s.verified && s.name === cp.origin)) return fail('signature', 'proof.checkpoint', 'no valid signature by the log key');
  const cosigners = opened.signatures.filter((s) => s.name !== cp.origin).map((s) => s.name);
  checks.push({ check: 'signature', ok: true, path: 'proof.checkpoint', message: `signed by ${cp.origin}${cosigners.length ? `; also carries ${cosigners.join(', ')}` : ''}` });

  const root = hexToBytes(cp.root);
  bundle.events.forEach((raw: unknown, i: number) => {
    const at = `proof.events[${i}]`;
    if (!isObject(raw) || !Number.isSafeInteger(raw.position) || !isObject(raw.envelope) || !Array.isArray(raw.inclusion)) {
      checks.push({ check: 'bundle', ok: false, path: at, message: 'expected { position, envelope, inclusion }' });
      return;
    }
    const position = raw.position as number;
    const envelope = raw.envelope;
    if (envelope.position !== position || 'hash' in envelope) {
      checks.push({ check: 'leaf', ok: false, path: `${at}.envelope.position`, message: 'the envelope (without `hash`) must be the one at this position', expected: position, actual: envelope.position });
      return;
    }
    let leaf: string;
    try {
      leaf = envelopeLeafHashHex(envelope);
    } catch {
      checks.push({ check: 'leaf', ok: false, path: `${at}.envelope`, message: 'the envelope is not canonical JSON' });
      return;
    }
    checks.push({ check: 'leaf', ok: true, path: `${at}.envelope`, message: `${String(envelope.type)} @${position}: leaf ${leaf}` });
    const path = raw.inclusion;
    if (path.length > MAX_PROOF || !path.every((h) => typeof h === 'string' && HEX32.test(h))) {
      checks.push({ check: 'inclusion', ok: false, path: `${at}.inclusion`, message: 'an audit path is lowercase hex SHA-256 hashes' });
      return;
    }
    const ok = verifyInclusion(hexToBytes(leaf), position, cp.size, path.map((h) => hexToBytes(h as string)), root);
    checks.push({
      check: 'inclusion', ok, path: `${at}.inclusion`,
      message: ok ? `@${position} is in the tree of ${cp.size} leaves` : `the audit path of @${position} does not lead to the checkpoint's root (size ${cp.size})`,
    });
    if (ok) anchored.set(position, envelope);
  });
  return { ok: checks.every((c) => c.ok), checks, checkpoint: cp, anchored };
}

/** The anchored envelope of `type` for `drawId` (draw slot streams are `draw-<task>.<purpose>`). */
function findEvent(anchored: ReadonlyMap<number, Readonly<Record<string, unknown>>>, type: string, drawId: string): Readonly<Record<string, unknown>> | undefined {
  for (const e of anchored.values()) {
    if (e.type !== type || typeof e.streamId !== 'string' || !e.streamId.startsWith('draw-')) continue;
    if (isObject(e.payload) && e.payload.drawId === drawId) return e;
  }
  return undefined;
}

/** Compares each named member of the record with the anchored payload's; the first difference fails. */
function bindMembers(checks: AnchorCheck[], at: string, pairs: readonly (readonly [string, unknown, unknown])[], what: string): boolean {
  for (const [name, fromRecord, fromLedger] of pairs) {
    if (!sameJson(fromRecord, fromLedger)) {
      checks.push({ check: 'binding', ok: false, path: `${at}${name}`, message: `differs from the anchored ${what}`, expected: fromLedger, actual: fromRecord });
      return false;
    }
  }
  return true;
}

function bindCommitted(checks: AnchorCheck[], anchored: AnchorReport['anchored'], r: Record<string, unknown>, drawId: string, at: string): boolean {
  const committed = findEvent(anchored, 'DrawCommitted', drawId);
  if (!committed) {
    checks.push({ check: 'binding', ok: false, path: `${at}commitment`, message: `no anchored DrawCommitted for ${drawId}` });
    return false;
  }
  const p = committed.payload as Record<string, unknown>;
  const ok = bindMembers(checks, at, [['commitment', r.commitment, p.commitment], ['commitmentHash', r.commitmentHash, p.commitmentHash], ['pools', r.pools, p.pools]], `DrawCommitted @${String(committed.position)}`);
  if (ok) checks.push({ check: 'binding', ok: true, path: `${at}commitment`, message: `commitment, its hash and pools equal DrawCommitted @${String(committed.position)}` });
  return ok;
}

/** A completed record and its lineage (follow-ups carry their parent record): each draw committed and completed as anchored. */
function bindCompleted(checks: AnchorCheck[], anchored: AnchorReport['anchored'], record: unknown, at: string): boolean {
  if (!isObject(record) || record.format !== RECORD_FORMAT || !isObject(record.commitment) || typeof record.commitment.drawId !== 'string') {
    checks.push({ check: 'binding', ok: false, path: at || 'record', message: `expected a ${RECORD_FORMAT} record naming its draw` });
    return false;
  }
  const drawId = record.commitment.drawId;
  if (!bindCommitted(checks, anchored, record, drawId, at)) return false;
  const completed = findEvent(anchored, 'DrawCompleted', drawId);
  if (!completed) {
    checks.push({ check: 'binding', ok: false, path: `${at}result`, message: `no anchored DrawCompleted for ${drawId}` });
    return false;
  }
  const p = completed.payload as Record<string, unknown>;
  // A follow-up reveals nothing (its DrawCompleted says null); a root's revealed entropy is the payload's.
  const revealed = record.revealed === undefined ? null : record.revealed;
  const ok = bindMembers(
    checks, at,
    [['commitmentHash', record.commitmentHash, p.commitmentHash], ['revealed', revealed, p.revealed ?? null], ['seed', record.seed, p.seed], ['result', record.result, p.result]],
    `DrawCompleted @${String(completed.position)}`,
  );
  if (!ok) return false;
  checks.push({ check: 'binding', ok: true, path: `${at}result`, message: `revealed entropy, seed and result equal DrawCompleted @${String(completed.position)}` });
  return record.parent === undefined ? true : bindCompleted(checks, anchored, record.parent, `${at}parent.`);
}

function bindAbandoned(checks: AnchorCheck[], anchored: AnchorReport['anchored'], record: Record<string, unknown>): boolean {
  const drawId = record.drawId;
  if (typeof drawId !== 'string') {
    checks.push({ check: 'binding', ok: false, path: 'drawId', message: 'an abandoned draw record names its draw' });
    return false;
  }
  if (!bindCommitted(checks, anchored, record, drawId, '')) return false;
  const abandoned = findEvent(anchored, 'DrawAbandoned', drawId);
  if (!abandoned) {
    checks.push({ check: 'binding', ok: false, path: 'abandonReason', message: `no anchored DrawAbandoned for ${drawId}` });
    return false;
  }
  const p = abandoned.payload as Record<string, unknown>;
  const ok = bindMembers(
    checks, '',
    [['commitmentHash', record.commitmentHash, p.commitmentHash], ['abandonReason', record.abandonReason, p.reason], ['abandonedAt', record.abandonedAt, p.at ?? null], ['abandonGrounds', record.abandonGrounds, p.grounds ?? null]],
    `DrawAbandoned @${String(abandoned.position)}`,
  );
  if (ok) checks.push({ check: 'binding', ok: true, path: 'abandonReason', message: `abandoned as DrawAbandoned @${String(abandoned.position)} says` });
  return ok;
}

/**
 * Anchors a draw record (or an abandoned draw's export) in a ledger proof bundle: the bundle
 * verifies, and the record's commitment, hash, pools, revealed entropy, seed and result equal
 * the anchored DrawCommitted/DrawCompleted payloads (for a follow-up, down its whole lineage);
 * an abandoned record's the DrawCommitted/DrawAbandoned. Checking the record's internal
 * consistency is verifyDrawRecord's job; the two together say "this ledger drew this".
 */
export function anchorDrawRecord(record: unknown, bundle: unknown, logKeys: readonly VerifierKey[]): AnchorReport {
  const proof = verifyLedgerProof(bundle, logKeys);
  if (!proof.ok) return proof;
  const checks = [...proof.checks];
  const bound = isObject(record) && record.format === ABANDONED_FORMAT ? bindAbandoned(checks, proof.anchored, record) : bindCompleted(checks, proof.anchored, record, '');
  return { ...proof, ok: bound && checks.every((c) => c.ok), checks };
}
