/**
 * The state of one draw slot — a task and a purpose — folded from its stream
 * `draw-<task>.<purpose>`. The slot holds every draw ever committed for it in order: abandoned
 * roots, at most one completed root, and the follow-ups (replacements) that continue it.
 */
import { parseCommitment, parseRevealed } from '../../verify/index.js';
import type { Commitment, RevealedEntropy } from '../../verify/index.js';
import { drawPurposes, type AbandonGrounds, type Counting, type DrawCompletedPayload, type DrawEvent, type DrawLimits, type DrawPurpose } from './events.js';

export type DrawStatus = 'committed' | 'completed' | 'abandoned';

export interface DrawEntry {
  readonly drawId: string;
  /** 1-based position in the slot; also the last segment of drawId. */
  readonly seq: number;
  readonly department: string;
  readonly commitment: Commitment;
  readonly commitmentHash: string;
  readonly pools: { readonly [hash: string]: readonly string[] };
  readonly revealDeadline: string;
  readonly drandFallbackAfter: string | null;
  readonly limits: DrawLimits;
  readonly counting: Counting;
  /** An extension's approving principal and reason (issue 8 §3). */
  readonly approval?: { readonly approvedBy: string; readonly reason: string };
  readonly status: DrawStatus;
  /** Witness id → secret, as revealed (V3: only after the commitment). */
  readonly witnesses: { readonly [id: string]: string };
  readonly drand?: { readonly round: number; readonly signature: string; readonly randomness: string };
  readonly ceremony?: string;
  readonly revealed?: RevealedEntropy | null;
  readonly seed?: string;
  readonly result?: DrawCompletedPayload['result'];
  readonly abandonReason?: string;
  readonly abandonedAt?: string;
  readonly abandonGrounds?: AbandonGrounds;
}

export interface DrawSlotState {
  readonly draws: readonly DrawEntry[];
}

export const initialDrawSlotState: DrawSlotState = { draws: [] };

export const drawSlotStreamId = (task: string, purpose: DrawPurpose): string => `draw-${task}.${purpose}`;
export const drawIdOf = (task: string, purpose: DrawPurpose, seq: number): string => `${task}.${purpose}.${seq}`;

/** drawId `<task>.<purpose>.<seq>` → its slot; null when it is not of that form. */
export function parseDrawId(drawId: string): { task: string; purpose: DrawPurpose; seq: number } | null {
  const m = /^(.+)\.(targets|experts|batchOrder|inspectorGroups)\.([1-9][0-9]{0,8})$/.exec(drawId);
  const purpose = drawPurposes.find((p) => p === m?.[2]);
  if (!m || !purpose) return null;
  return { task: m[1]!, purpose, seq: Number(m[3]) };
}

/** The one draw of the slot that is committed and neither completed nor abandoned. */
export const openDraw = (s: DrawSlotState): DrawEntry | undefined => s.draws.find((d) => d.status === 'committed');

/** The completed root draw (targets, experts, batch order or inspector groups), if any. */
export const completedRoot = (s: DrawSlotState): DrawEntry | undefined =>
  s.draws.find((d) => d.status === 'completed' && d.commitment.kind !== 'extension' && d.commitment.kind !== 'replacement');

/** The completed draws that continue the completed root, in order (root first). */
export function lineage(s: DrawSlotState): DrawEntry[] {
  const root = completedRoot(s);
  if (!root) return [];
  return [root, ...s.draws.filter((d) => d.seq > root.seq && d.status === 'completed')];
}

export const findDraw = (s: DrawSlotState, drawId: string): DrawEntry | undefined => s.draws.find((d) => d.drawId === drawId);

function update(s: DrawSlotState, drawId: string, f: (d: DrawEntry) => DrawEntry): DrawSlotState {
  return { draws: s.draws.map((d) => (d.drawId === drawId ? f(d) : d)) };
}

export function evolveDrawSlot(state: DrawSlotState, event: DrawEvent): DrawSlotState {
  switch (event.type) {
    case 'DrawCommitted': {
      const p = event.payload;
      const entry: DrawEntry = {
        drawId: p.drawId,
        seq: state.draws.length + 1,
        department: p.department,
        commitment: parseCommitment(p.commitment),
        commitmentHash: p.commitmentHash,
        pools: p.pools,
        revealDeadline: p.revealDeadline,
        drandFallbackAfter: p.drandFallbackAfter,
        limits: p.limits,
        counting: p.counting,
        ...(p.approval && { approval: p.approval }),
        status: 'committed',
        witnesses: {},
      };
      return { draws: [...state.draws, entry] };
    }
    case 'WitnessSecretRevealed':
      return update(state, event.payload.drawId, (d) => ({ ...d, witnesses: { ...d.witnesses, [event.payload.witness]: event.payload.secret } }));
    case 'DrandBeaconRecorded': {
      const { round, signature, randomness } = event.payload;
      return update(state, event.payload.drawId, (d) => ({ ...d, drand: { round, signature, randomness } }));
    }
    case 'CeremonyValueRecorded':
      return update(state, event.payload.drawId, (d) => ({ ...d, ceremony: event.payload.value }));
    case 'DrawCompleted': {
      const p = event.payload;
      return update(state, p.drawId, (d) => ({
        ...d,
        status: 'completed',
        revealed: p.revealed === null ? null : parseRevealed(p.revealed),
        seed: p.seed,
        result: p.result,
      }));
    }
    case 'DrawAbandoned': {
      const p = event.payload;
      return update(state, p.drawId, (d) => ({
        ...d,
        status: 'abandoned',
        abandonReason: p.reason,
        ...(p.at !== undefined && { abandonedAt: p.at }),
        ...(p.grounds !== undefined && { abandonGrounds: p.grounds }),
      }));
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
