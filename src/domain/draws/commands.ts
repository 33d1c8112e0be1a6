/** The commands of a draw slot (STYLE: imperative names). Built by the application service, never parsed from raw input. */
import type { CommitInput } from '../../verify/index.js';
import type { Command } from '../decider.js';
import type { Counting, DrawLimits, ReplacementReason, TargetRemovalReason } from './events.js';
import type { PoolPolicy } from './l2.js';

type RootInput = Extract<CommitInput, { kind: 'targets' | 'experts' | 'batchOrder' | 'inspectorGroups' }>;
type WithoutBase<T> = T extends unknown ? Omit<T, 'drawId' | 'task' | 'purpose' | 'committedAt' | 'source'> : never;
type Source = CommitInput['source'];

export type CommitDraw = Command<'CommitDraw', {
  readonly task: string;
  /** The lottery input: its `kind` is the slot's purpose. */
  readonly input: WithoutBase<RootInput>;
  readonly source: Source;
  readonly revealDeadline: string;
  /** Default: the planned round's time + DRAND_FALLBACK_GRACE_SECONDS. */
  readonly drandFallbackAfter?: string;
  readonly limits: DrawLimits;
  readonly counting: Counting;
  /** G2/A4 pool checks of general items; absent: the strictest (no class is the whole register, default minimum). */
  readonly poolPolicy?: PoolPolicy;
}>;
/**
 * T10/E8: a follow-up replacing drawn members. T10 reasons for inspectors and experts; E8
 * reasons (the target's register status) for targets. The committing principal is the approver.
 * `parent`: the draw id the caller means to continue; refused unless it is the lineage's latest.
 */
export type CommitReplacement = Command<'CommitReplacement', {
  readonly task: string;
  readonly purpose: 'targets' | 'inspectorGroups' | 'experts';
  readonly source: Source;
  readonly parent?: string;
  readonly replacements: readonly { readonly member: string; readonly target?: string; readonly class?: string; readonly reason: ReplacementReason | TargetRemovalReason }[];
}>;
/** Spec §7.3: more picks from named classes of a completed class draw, for a recorded reason; the committing principal approves. */
export type CommitExtension = Command<'CommitExtension', {
  readonly task: string;
  readonly purpose: 'targets' | 'experts';
  readonly source: Source;
  readonly parent?: string;
  readonly additional: readonly { readonly class: string; readonly count: number }[];
  readonly reason: string;
}>;
export type RevealWitness = Command<'RevealWitness', { readonly drawId: string; readonly witness: string; readonly secret: string }>;
export type RecordDrandBeacon = Command<'RecordDrandBeacon', { readonly drawId: string; readonly round: number; readonly signature: string }>;
export type RecordCeremonyValue = Command<'RecordCeremonyValue', { readonly drawId: string; readonly value: string }>;
/** PL5 is not an input: a draw's picks are counted when its task's list is locked (src/app/tasks). */
export type CompleteDraw = Command<'CompleteDraw', { readonly drawId: string }>;
export type AbandonDraw = Command<'AbandonDraw', { readonly drawId: string; readonly reason: string }>;

export type DrawCommand = CommitDraw | CommitReplacement | CommitExtension | RevealWitness | RecordDrandBeacon | RecordCeremonyValue | CompleteDraw | AbandonDraw;
