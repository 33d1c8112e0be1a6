/**
 * The JSON shapes of docs/lottery-spec.md §3 (commitment), §4 (revealed entropy), §7 (result)
 * and §8 (the self-contained public record). All hashes are lower-case hex; all ids are
 * canonical (NFC) strings. These are plain readonly data: what DrawCommitted/DrawCompleted carry.
 */
import type { Json } from './guard.js';

export const RECORD_FORMAT = 'suiji-draw-record/1';

export type DrawKind = 'targets' | 'experts' | 'batchOrder' | 'inspectorGroups' | 'extension' | 'replacement';
export type RootKind = 'targets' | 'experts' | 'batchOrder' | 'inspectorGroups';

export interface Exclusion {
  readonly id: string;
  readonly reason: string;
}

/** A committed pool: the hash of its canonical member list (§2.4), its size and what was removed. */
export interface PoolRef {
  readonly hash: string;
  readonly size: number;
  readonly exclusions: readonly Exclusion[];
}

/** §3.3: a count, or a ratio numerator/denominator with k = ceil(size × numerator / denominator). */
export type Quota = { readonly count: number } | { readonly ratio: { readonly numerator: number; readonly denominator: number } };

export interface ClassSpec {
  readonly name: string;
  readonly pool: PoolRef;
  /** Absent exactly when kind is batchOrder (every member is ordered). */
  readonly quota?: Quota;
}

export interface DrandPlan {
  readonly chainHash: string;
  readonly round: number;
  /** §4.4 fallback rule "laterRound": used only if `round` cannot be obtained. */
  readonly fallbackRound?: number;
}

export interface WitnessPlan {
  readonly members: readonly { readonly id: string; readonly commitment: string }[];
  readonly minReveals: number;
  readonly onMissing: 'proceed' | 'abandon';
}

export interface CeremonyPlan {
  readonly label: string;
  readonly alphabet: string;
  readonly length: number;
}

export interface EntropyPlan {
  readonly drand?: DrandPlan;
  readonly witnesses?: WitnessPlan;
  readonly ceremony?: CeremonyPlan;
}

interface CommitmentBase {
  readonly algorithm: 'suiji-draw/1';
  readonly drawId: string;
  readonly task: string;
  readonly purpose: string;
  readonly committedAt: string;
  /** Where the pool came from: an opaque ledger position and the filter (T3), hashed in via JCS. */
  readonly source: { readonly ledgerPosition: string; readonly filter: Json };
}

export interface ClassDrawCommitment extends CommitmentBase {
  readonly kind: 'targets' | 'experts' | 'batchOrder';
  readonly classes: readonly ClassSpec[];
  readonly entropy: EntropyPlan;
}

export interface Recusal {
  readonly target: string;
  readonly member: string;
}

export interface GroupsCommitment extends CommitmentBase {
  readonly kind: 'inspectorGroups';
  /** The targets in draw order (§2.5 list hash); `from` names the target draw's commitment hash. */
  readonly targets: { readonly hash: string; readonly size: number; readonly from?: string };
  readonly inspectors: PoolRef;
  readonly neighbours?: PoolRef;
  readonly recusals: readonly Recusal[];
  readonly groupSize: number;
  readonly maxLoad: number;
  readonly experts?: { readonly pool: PoolRef; readonly perTarget: number; readonly maxLoad: number };
  readonly entropy: EntropyPlan;
}

export interface ExtensionCommitment extends CommitmentBase {
  readonly kind: 'extension';
  readonly parent: string;
  readonly additional: readonly { readonly class: string; readonly count: number }[];
}

export interface Replacement {
  /** Class name (class draws) or target id (group draws) the replaced member belongs to. */
  readonly class?: string;
  readonly target?: string;
  readonly member: string;
  /** T10: post change, work conflict or health — recorded, never an input to selection. */
  readonly reason: string;
  readonly approver: string;
}

export interface ReplacementCommitment extends CommitmentBase {
  readonly kind: 'replacement';
  readonly parent: string;
  readonly replacements: readonly Replacement[];
}

export type RootCommitment = ClassDrawCommitment | GroupsCommitment;
export type FollowUpCommitment = ExtensionCommitment | ReplacementCommitment;
export type Commitment = RootCommitment | FollowUpCommitment;

export interface RevealedEntropy {
  readonly drand?: { readonly round: number; readonly signature: string; readonly randomness: string };
  /** One entry per planned witness, in plan order; secret null = did not reveal by the deadline. */
  readonly witnesses?: readonly { readonly id: string; readonly secret: string | null }[];
  readonly ceremony?: { readonly value: string };
}

export interface ClassResult {
  readonly name: string;
  /** Picks made by this draw, in draw order. */
  readonly picked: readonly string[];
  /** The class's current list after this draw (replacements take the replaced member's slot). */
  readonly selected: readonly string[];
}

export interface ReplacementResult {
  readonly class?: string;
  readonly target?: string;
  readonly member: string;
  readonly replacement: string | null;
}

export interface ClassDrawResult {
  readonly classes: readonly ClassResult[];
  /** T3: class by class, in class order, concatenated. */
  readonly merged: readonly string[];
  readonly replacements?: readonly ReplacementResult[];
}

export interface Group {
  readonly target: string;
  readonly pool: 'local' | 'joint';
  /** T7: pick order; members[0] is the leader. */
  readonly members: readonly string[];
  /** members[0], or null if every member was replaced out without a successor. */
  readonly leader: string | null;
  readonly experts: readonly string[];
}

export interface GroupsResult {
  readonly groups: readonly Group[];
  /** T8: targets that need direct assignment, and what ran short. */
  readonly unmatched: readonly { readonly target: string; readonly need: 'inspectors' | 'experts' }[];
  readonly replacements?: readonly ReplacementResult[];
}

export type DrawResult = ClassDrawResult | GroupsResult;

export interface DrawRecord {
  readonly format: typeof RECORD_FORMAT;
  readonly commitment: Commitment;
  readonly commitmentHash: string;
  /** Member lists keyed by their pool/list hash; every hash the commitment names must be here. */
  readonly pools: { readonly [hash: string]: readonly string[] };
  /** Root draws only. */
  readonly revealed?: RevealedEntropy;
  /** The root draw's seed (follow-ups continue the root's streams, §6.3). */
  readonly seed: string;
  readonly result: DrawResult;
  /** Follow-ups only: the full record of the draw this one continues. */
  readonly parent?: DrawRecord;
}
