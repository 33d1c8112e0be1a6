/** Issue 7 §1 (V3), pure: given a slot's events, when AbandonDraw, then DrawAbandoned with its grounds or a coded refusal. */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { SuijiError } from '../../src/domain/errors.js';
import { determine, findDraw, previewCompletion, type DrawEvent } from '../../src/domain/draws/index.js';
import { commitCommand, decide, events, fold } from './decider-fixtures.js';
import { AFTER, NOW, SECRETS, actors, meta } from './harness.js';

const DRAW = 'T1.targets.1';

const commit = commitCommand();
const committed = events(decide([], commit));
const w1: DrawEvent = { type: 'WitnessSecretRevealed', payload: { drawId: DRAW, witness: 'w1', secret: SECRETS.w1 } };
const w2: DrawEvent = { type: 'WitnessSecretRevealed', payload: { drawId: DRAW, witness: 'w2', secret: SECRETS.w2 } };

/** `smuggled`: extra data an old or hostile client might add (e.g. PL5 counts); the decider must ignore it. */
const abandon = (history: readonly DrawEvent[], now = NOW, smuggled?: Record<string, unknown>, actor: Actor = actors.opA) =>
  decide(history, { type: 'AbandonDraw', data: { drawId: DRAW, reason: '理由 / reason', ...smuggled } as { drawId: string; reason: string }, metadata: meta(actor, now) });
const grounds = (out: readonly DrawEvent[] | SuijiError) => {
  const [e] = events(out);
  return e?.type === 'DrawAbandoned' ? e.payload.grounds : undefined;
};
const refusal = (out: readonly DrawEvent[] | SuijiError) => (out instanceof SuijiError ? { code: out.code, ...out.details } : out);

describe('issue 7 §1: when a draw may be abandoned (V3)', () => {
  it('V3: before any entropy is revealed, abandon is allowed (noEntropyRevealed) and records its instant', () => {
    const [e] = events(abandon(committed));
    expect(e).toMatchObject({ type: 'DrawAbandoned', payload: { grounds: 'noEntropyRevealed', at: NOW } });
  });

  it('V3: one witness revealed, before the deadline — open, abandon refused (ENTROPY_REVEALED)', () => {
    const d = findDraw(fold([...committed, w1]), DRAW)!;
    expect(determine(d, NOW)).toEqual({ state: 'open', awaiting: 'AWAITING_WITNESSES', anyRevealed: true });
    expect(refusal(abandon([...committed, w1]))).toMatchObject({ code: 'RULE_VIOLATION', rule: 'V3', reason: 'ENTROPY_REVEALED' });
  });

  it("V3: one witness missing past the deadline under onMissing 'abandon' — mustAbandon, abandon allowed (planRequiresAbandon)", () => {
    const d = findDraw(fold([...committed, w1]), DRAW)!;
    expect(determine(d, AFTER).state).toBe('mustAbandon');
    expect(grounds(abandon([...committed, w1], AFTER))).toBe('planRequiresAbandon');
  });

  it('V3: every witness revealed — determined, abandon refused (DRAW_DETERMINED), also when empty counts are smuggled in', () => {
    const history = [...committed, w1, w2];
    expect(determine(findDraw(fold(history), DRAW)!, NOW).state).toBe('determined');
    expect(refusal(abandon(history))).toMatchObject({ rule: 'V3', reason: 'DRAW_DETERMINED' });
    // Regression: an unknown count once meant "full" at completion; abandon must never read it, or it would re-open the re-roll.
    expect(refusal(abandon(history, NOW, { counts: {} }))).toMatchObject({ reason: 'DRAW_DETERMINED' });
  });

  it('V3/PL5 (issue 9): a determined draw whose picks are at the cap is not abandonable (no yearlyCapReached any more); it completes, the cap is the lock\'s', () => {
    const history = [...committed, w1, w2];
    const preview = previewCompletion(fold(history), DRAW, NOW);
    if (preview instanceof SuijiError) throw preview;
    expect(preview.selected).toHaveLength(5);
    const atCap = Object.fromEntries(preview.selected.map((id) => [id, 2]));
    // Even a client claiming every pick is at the cap cannot turn the determined draw into an abandonable one.
    expect(refusal(abandon(history, NOW, { counts: atCap }))).toMatchObject({ code: 'RULE_VIOLATION', rule: 'V3', reason: 'DRAW_DETERMINED' });
    const [done] = events(decide(history, { type: 'CompleteDraw', data: { drawId: DRAW }, metadata: meta() }));
    expect(done?.type).toBe('DrawCompleted');
  });

  it('G3 (issue 7 §3): who may act is decided before the state — an auditor gets FORBIDDEN on a closed draw, not DRAW_NOT_OPEN', () => {
    const closed = [...committed, ...events(abandon(committed))];
    expect(refusal(abandon(closed, NOW, undefined, actors.auditor))).toMatchObject({ code: 'FORBIDDEN', rule: 'G3' });
    expect(refusal(abandon(closed, NOW, undefined, actors.opB))).toMatchObject({ code: 'FORBIDDEN', rule: 'G3' });
    const reveal = decide(closed, { type: 'RevealWitness', data: { drawId: DRAW, witness: 'w1', secret: SECRETS.w1 }, metadata: meta(actors.auditor) });
    expect(refusal(reveal)).toMatchObject({ code: 'FORBIDDEN' });
  });
});
