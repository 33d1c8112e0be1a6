/**
 * What the public sees of one draw (V1, V3, V4; issue 7 §1): its state, whether its outcome is
 * already fixed, whether it is overdue, and — once it is completed or abandoned — everything that
 * was revealed. An abandoned draw is published with the result it would have had, never hidden.
 */
import {
  determine, entropyOf, parseDrawId, publicCounting, wouldHaveBeen, type AbandonGrounds, type DrawEntry,
} from '../../domain/draws/index.js';
import type { Commitment, DrawRecord } from '../../verify/index.js';
import type { DrawView } from './requests.js';

export const ABANDONED_FORMAT = 'suiji-abandoned-draw/1';

/** The export of an abandoned draw: what was committed and revealed, and the result it would have had (not taken). */
export interface AbandonedDrawRecord {
  readonly format: typeof ABANDONED_FORMAT;
  readonly taken: false;
  readonly drawId: string;
  readonly commitment: Commitment;
  readonly commitmentHash: string;
  readonly pools: { readonly [hash: string]: readonly string[] };
  readonly revealed: RevealedSoFar;
  readonly abandonReason: string;
  readonly abandonedAt: string | null;
  readonly abandonGrounds: AbandonGrounds | null;
  readonly wouldHaveBeen: DrawRecord | null;
}

/** Entropy as recorded so far; a witness who has not revealed is null. */
export interface RevealedSoFar {
  readonly witnesses?: readonly { readonly id: string; readonly secret: string | null }[];
  readonly ceremony?: { readonly value: string } | null;
  readonly drand?: { readonly round: number; readonly signature: string; readonly randomness: string } | null;
}

export function revealedSoFar(d: DrawEntry): RevealedSoFar {
  const plan = entropyOf(d);
  if (!plan) return {};
  return {
    ...(plan.witnesses && { witnesses: plan.witnesses.members.map((m) => ({ id: m.id, secret: d.witnesses[m.id] ?? null })) }),
    ...(plan.ceremony && { ceremony: d.ceremony === undefined ? null : { value: d.ceremony } }),
    ...(plan.drand && { drand: d.drand ? { ...d.drand } : null }),
  };
}

/** When every planned source should be in: the reveal deadline, or the drand fallback instant when that is later. */
export function dueAt(d: DrawEntry): string {
  const f = d.drandFallbackAfter;
  return f !== null && Date.parse(f) > Date.parse(d.revealDeadline) ? f : d.revealDeadline;
}

export function abandonedRecord(d: DrawEntry): AbandonedDrawRecord {
  return {
    format: ABANDONED_FORMAT,
    taken: false,
    drawId: d.drawId,
    commitment: d.commitment,
    commitmentHash: d.commitmentHash,
    pools: d.pools,
    revealed: revealedSoFar(d),
    abandonReason: d.abandonReason ?? '',
    abandonedAt: d.abandonedAt ?? null,
    abandonGrounds: d.abandonGrounds ?? null,
    wouldHaveBeen: wouldHaveBeen(d),
  };
}

/** `detail`: the full PL5 counting (staff); otherwise only exemption reasons that are public facts (issue 7 §6). */
export function drawView(d: DrawEntry, now: string, detail = false): DrawView {
  const slot = parseDrawId(d.drawId);
  const committed = d.status === 'committed';
  const det = committed ? determine(d, now) : null;
  const due = dueAt(d);
  const would = d.status === 'abandoned' ? wouldHaveBeen(d) : null;
  return {
    drawId: d.drawId,
    task: slot?.task ?? '',
    purpose: slot?.purpose ?? '',
    department: d.department,
    status: d.status,
    commitment: { ...d.commitment },
    commitmentHash: d.commitmentHash,
    revealDeadline: d.revealDeadline,
    dueAt: due,
    overdue: committed && Date.parse(now) >= Date.parse(due),
    determination: det?.state ?? null,
    awaiting: det === null ? null : det.state === 'open' ? det.awaiting : det.state === 'mustAbandon' ? det.reason : null,
    limits: d.limits && { ...d.limits },
    counting: d.counting && (detail ? { ...d.counting } : publicCounting(d.counting)),
    ...(d.approval && { approval: { ...d.approval } }),
    reveals: { witnesses: Object.keys(d.witnesses).sort(), drandRound: d.drand?.round ?? null, ceremony: d.ceremony !== undefined },
    // Secrets stay hidden while the draw is open; once it is closed either way, everything revealed is public.
    revealed: committed ? null : { ...revealedSoFar(d) },
    seed: d.seed ?? null,
    result: d.result ?? null,
    abandonReason: d.abandonReason ?? null,
    abandonedAt: d.abandonedAt ?? null,
    abandonGrounds: d.abandonGrounds ?? null,
    wouldHaveBeen: would && { taken: false, seed: would.seed, result: { ...would.result } },
  };
}
