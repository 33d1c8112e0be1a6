/**
 * Ledger proof bundles (issue 11; docs/public.md "Replaying a draw in the browser"): what a draw
 * record or a notice carries so that anyone can anchor it offline — the latest signed checkpoint
 * and, for each event it rests on, the recorded envelope and its RFC 6962 audit path against
 * that checkpoint's size. Built from the ledger's public face (AppDeps.ledger, the ckpt lane's
 * LedgerPublic) and the store; checked by src/verify/anchor.ts.
 */
import { readFileSync } from 'node:fs';
import type { FromSchema } from 'json-schema-to-ts';
import { logVkeyPath } from '../ledger/keys.js';
import { LEDGER_PROOF_FORMAT, envelopeLeafHashHex } from '../../verify/index.js';
import { SuijiError } from '../../domain/errors.js';
import type { EventStore } from '../../store/port.js';
import { storedTextFault } from '../../store/leaf-rows.js';

const PENDING_RETRIES = 5;
const PENDING_WAIT_MS = 400;

/** The part of LedgerPublic a bundle needs: the latest signed checkpoint and audit paths against a size. */
export interface ProofLedger {
  checkpoint(): Promise<{ readonly size: number; readonly root: string; readonly note: string }>;
  inclusion(index: number, size: number): Promise<{ readonly proof: readonly string[] }>;
}

/**
 * Audit paths are immutable for a given (index, size), and the signer moves `size` at most about
 * once a second: a page read many times between two checkpoints reuses them. Bounded per ledger.
 */
const PATH_CACHE_ENTRIES = 20_000;
/** Whole bundles by (checkpoint size, positions) and note (new cosignatures make a new note): a hot page is built once per checkpoint. */
const BUNDLE_CACHE_ENTRIES = 256;
const bundleCache = new Map<string, LedgerProofBody>();
const pathCache = new WeakMap<ProofLedger, Map<string, readonly string[]>>();

async function cachedInclusion(ledger: ProofLedger, index: number, size: number): Promise<readonly string[]> {
  let cache = pathCache.get(ledger);
  if (!cache) pathCache.set(ledger, (cache = new Map()));
  const key = `${index}:${size}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const { proof } = await ledger.inclusion(index, size);
  if (cache.size >= PATH_CACHE_ENTRIES) cache.clear();
  cache.set(key, [...proof]);
  return proof;
}

/**
 * The bundle for the events at `positions` (deduplicated, ascending). The checkpoint is read
 * first and signs at least the current head, so every position already written is inside it.
 */
export async function ledgerProofBundle(ledger: ProofLedger, store: EventStore, positions: readonly number[]): Promise<LedgerProofBody> {
  const wanted = [...new Set(positions)].sort((a, b) => a - b);
  const needed = (wanted.at(-1) ?? -1) + 1;
  // The signer signs at most about once a second (LedgerPublic's rate): an event just written may
  // wait for the next checkpoint. Ask again a few times, then say so (503, retry), never prove less.
  let checkpoint = await ledger.checkpoint();
  for (let attempt = 0; checkpoint.size < needed && attempt < PENDING_RETRIES; attempt++) {
    await new Promise((r) => setTimeout(r, PENDING_WAIT_MS));
    checkpoint = await ledger.checkpoint();
  }
  if (checkpoint.size < needed) {
    throw new SuijiError('STORE_UNAVAILABLE', { field: 'checkpoint', reason: 'CHECKPOINT_PENDING', checkpointSize: checkpoint.size, needed }, {
      zh: '最新的签名检查点尚未包含这些事件，请稍后再试',
      en: 'the latest signed checkpoint does not cover these events yet; try again shortly',
    });
  }
  const key = `${checkpoint.size}|${wanted.join(',')}`;
  const cached = bundleCache.get(key);
  if (cached && cached.checkpoint === checkpoint.note) return cached;
  const events: LedgerProofBody['events'] = [];
  for (const position of wanted) {
    const [recorded] = await store.readAll({ from: position, limit: 1 });
    if (!recorded || recorded.position !== position) throw new SuijiError('LEDGER_CORRUPT', { position, reason: 'no event at this position' });
    const { hash, ...envelope } = recorded;
    // The store's own hash must be the envelope's: a bundle never carries a leaf it cannot prove.
    if (envelopeLeafHashHex(envelope) !== hash) throw new SuijiError('LEDGER_CORRUPT', { position, reason: 'leaf hash differs from the envelope' });
    // …and the stored bytes must be that envelope's canonical text, as `ledger verify` requires (non-canonical-row).
    const text = storedTextFault(store, position);
    if (text !== null) throw new SuijiError('LEDGER_CORRUPT', { position, reason: text });
    const proof = await cachedInclusion(ledger, position, checkpoint.size);
    events.push({ position, envelope: envelope as unknown as Record<string, unknown>, inclusion: [...proof] });
  }
  const bundle: LedgerProofBody = { format: LEDGER_PROOF_FORMAT, checkpoint: checkpoint.note, events };
  if (bundleCache.size >= BUNDLE_CACHE_ENTRIES) bundleCache.clear();
  bundleCache.set(key, bundle);
  return bundle;
}

/** JSON Schema of the bundle (response schemas: no field leaks by accident). */
export const ledgerProofSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'checkpoint', 'events'],
  properties: {
    format: { const: LEDGER_PROOF_FORMAT },
    checkpoint: { type: 'string' },
    events: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['position', 'envelope', 'inclusion'],
        properties: {
          position: { type: 'integer' },
          envelope: { type: 'object', additionalProperties: true },
          inclusion: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
} as const;

/** The bundle as served (the shape src/verify/anchor.ts `LedgerProofBundle` reads). */
export type LedgerProofBody = FromSchema<typeof ledgerProofSchema>;

/** The log's verifier key as published (`<data>/keys/log.vkey`), or null before `suiji keys init`. */
export function readVerifierKey(dataDir: string): string | null {
  try {
    return readFileSync(logVkeyPath(dataDir), 'utf8').trim() || null;
  } catch {
    return null;
  }
}
