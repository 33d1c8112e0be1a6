/**
 * A task's target draw, committed with witness entropy, revealed and completed through the
 * DrawService (the HTTP routes' code).
 *
 * DEMO ONLY: the witness secrets below are fixed and published in this source file, so anyone
 * can predict every demo draw before it is committed. A real draw takes its witnesses' secrets
 * from people who keep them to themselves until the reveal (docs/lottery-spec.md §4), or drand.
 */
import type { Actor } from '../../../domain/actor.js';
import type { TaskDraft } from '../../../domain/tasks/index.js';
import { witnessCommitment } from '../../../verify/index.js';
import { later, type YearContext } from './context.js';

const WITNESSES = ['沂源县人大代表', '沂源县个体劳动者协会'] as const;

/** The fixed demo secret of a witness for one task (never use this scheme outside the demo). */
export const demoWitnessSecret = (taskId: string, witness: number): string => `suiji-demo-only:${taskId}:witness-${witness + 1}`;

/** The demo's witness plan for one draw, keyed by `key` (a task number, or a matching's first visit). */
export const demoEntropy = (key: string) => ({
  witnesses: { members: WITNESSES.map((id, i) => ({ id, commitment: witnessCommitment(demoWitnessSecret(key, i)) })), minReveals: WITNESSES.length, onMissing: 'abandon' as const },
});

/** Both witnesses reveal (V3: the last reveal fixes the outcome), then the draw completes. */
export async function revealAndComplete(ctx: YearContext, actor: Actor, drawId: string, key: string, committedAt: string): Promise<void> {
  for (const [i, witness] of WITNESSES.entries()) await ctx.draws.revealWitness(ctx.meta(actor, later(committedAt, 30 + i)), drawId, { witness, secret: demoWitnessSecret(key, i) });
  await ctx.draws.complete(ctx.meta(actor, later(committedAt, 40)), drawId);
}

/** Commits the task's target draw for `item` with its classes restated verbatim, reveals both witnesses; returns the draw id. */
export async function drawTargets(ctx: YearContext, actor: Actor, taskId: string, item: string, classes: TaskDraft['classes'], committedAt: string): Promise<string> {
  const drawId = await ctx.draws.commitTargets(ctx.meta(actor, committedAt), {
    task: taskId,
    item,
    classes: classes.map((c) => ({ name: c.name, filter: c.filter, quota: c.quota })),
    entropy: demoEntropy(taskId),
    revealDeadline: later(committedAt, 120),
  });
  await revealAndComplete(ctx, actor, drawId, taskId, committedAt);
  return drawId;
}
