import { describe, expect, it } from 'vitest';
import { SuijiError } from '../../src/domain/errors.js';
import {
  checkOverallRatio, checkRandomPools, checkRatioCap, countedAtLock, countedMembers, percent, drawDecider, exemptionsOf, lapsedExemptions, parseDrawId, planPl5, previewCompletion,
  type CommitDraw, type DrawEvent, type ExemptionFact,
} from '../../src/domain/draws/index.js';
import { commitDraw } from '../../src/verify/index.js';
import { commitCommand, decide, events, fold, members } from './decider-fixtures.js';
import { NOW, SECRETS, actors, meta, witnessPlan } from './harness.js';

const revealed = (drawId: string): DrawEvent[] => [
  { type: 'WitnessSecretRevealed', payload: { drawId, witness: 'w1', secret: SECRETS.w1 } },
  { type: 'WitnessSecretRevealed', payload: { drawId, witness: 'w2', secret: SECRETS.w2 } },
];

describe('draw decider (pure)', () => {
  it('V1: a commit records the lottery-core commitment with its hash, pools, source position and limits', () => {
    const [e] = events(decide([], commitCommand()));
    if (e?.type !== 'DrawCommitted') throw new Error('DrawCommitted expected');
    const expected = commitDraw({
      kind: 'targets', drawId: 'T1.targets.1', task: 'T1', purpose: 'targets', committedAt: NOW, source: { ledgerPosition: '42', filter: null },
      classes: [{ name: 'all', pool: { members }, quota: { count: 5 } }], entropy: witnessPlan(),
    });
    expect(e.payload.commitmentHash).toBe(expected.commitmentHash);
    expect(e.payload.commitment).toEqual(expected.commitment);
    expect(e.payload.department).toBe(actors.opA.department);
  });

  it('PL5 (issue 9): completion takes no counts and is never refused on PL5; what counts is decided at the lock, from the picks', () => {
    const history = [...events(decide([], commitCommand())), ...revealed('T1.targets.1')];
    const preview = previewCompletion(fold(history), 'T1.targets.1', NOW);
    if (preview instanceof SuijiError) throw preview;
    // A counts map an old client might still send changes nothing: completion does not read it.
    const [done] = events(decide(history, { type: 'CompleteDraw', data: { drawId: 'T1.targets.1', counts: {} } as never, metadata: meta() }));
    expect(done?.type).toBe('DrawCompleted');
    const counting = commitCommand().data.counting;
    const counted = countedAtLock([{ drawId: 'T1.targets.1', picked: preview.selected, counting }], () => true);
    expect(counted.map((c) => c.uscc)).toEqual(preview.selected);
    expect(counted[0]).toMatchObject({ drawId: 'T1.targets.1', year: 2026, cap: 2, exemptionLapsed: false });
    // A draw without counting (key items, batch orders) contributes nothing at the lock.
    expect(countedAtLock([{ drawId: 'T1.targets.1', picked: preview.selected, counting: null }], () => true)).toEqual([]);
  });

  it('PL5: exempt members are selected but never counted at the lock unless their exemption lapsed', () => {
    const exempt = members.map((id) => ({ id, reasons: ['keyIndustry' as const], facts: [{ reason: 'keyIndustry' as const, position: '3' }] }));
    const history = [...events(decide([], commitCommand(exempt))), ...revealed('T1.targets.1')];
    const preview = previewCompletion(history.reduce(drawDecider.evolve, drawDecider.initialState), 'T1.targets.1', NOW);
    if (preview instanceof SuijiError) throw preview;
    const counting = { year: 2026, cap: 2, exempt };
    expect(countedAtLock([{ drawId: 'T1.targets.1', picked: preview.selected, counting }], () => true)).toEqual([]);
    const [first] = preview.selected;
    const lapsed = countedAtLock([{ drawId: 'T1.targets.1', picked: preview.selected, counting }], (id) => id !== first);
    expect(lapsed).toEqual([{ uscc: first, drawId: 'T1.targets.1', year: 2026, cap: 2, exemptionLapsed: true }]);
    const [done] = events(decide(history, { type: 'CompleteDraw', data: { drawId: 'T1.targets.1' }, metadata: meta() }));
    expect(done?.type).toBe('DrawCompleted');
  });

  it('PL5: planPl5 follows the configured cap (A4) and keeps exempt members with their reasons', () => {
    const counts = new Map([[members[0]!, 1], [members[1]!, 2], [members[2]!, 5]]);
    const none = (): ExemptionFact[] => [];
    expect(planPl5(members.slice(0, 2), none, counts, 2026, 2).exclusions.map((e) => e.id)).toEqual([members[1]]);
    expect(planPl5(members.slice(0, 2), none, counts, 2026, 1).exclusions.map((e) => e.id)).toEqual([members[0], members[1]]);
    const facts: ExemptionFact[] = [{ reason: 'dishonest', position: '7' }];
    const plan = planPl5([members[2]!], () => facts, counts, 2026, 2);
    expect(plan).toEqual({ exclusions: [], exempt: [{ id: members[2], reasons: ['dishonest'], facts }] });
  });

  it('PL5: an exemption none of whose cited facts still holds has lapsed, and the member counts', () => {
    const [a, b, c] = members;
    const exempt = [
      { id: a!, reasons: ['keyIndustry' as const], facts: [{ reason: 'keyIndustry' as const, position: '3' }] },
      { id: b!, reasons: ['keyIndustry' as const, 'dishonest' as const], facts: [{ reason: 'keyIndustry' as const, position: '3' }, { reason: 'dishonest' as const, position: '4' }] },
      { id: c!, reasons: ['dishonest' as const], facts: [{ reason: 'dishonest' as const, position: '5' }] },
    ];
    const holds = (_id: string, f: ExemptionFact): boolean => f.reason === 'dishonest';
    expect(lapsedExemptions([a!, b!], exempt, holds)).toEqual([a]); // c was not selected; b still rests on one fact
    expect(countedMembers([a!, b!, members[3]!], exempt, [a!])).toEqual([a, members[3]]);
  });

  it('G2/A4: a general class whose quota takes its whole pool, or a pool below the minimum, is refused unless it is the whole register', () => {
    const general = { item: 'ITEM-G1', category: 'general' as const };
    const cls = (size: number, count: number) => [{ name: 'c', pool: { hash: '', size, exclusions: [] }, quota: { count } }];
    const policy = { minPoolSize: 5, wholeRegister: [false] };
    expect(checkRandomPools(cls(10, 10), general, policy)?.details).toMatchObject({ reason: 'WHOLE_POOL_QUOTA' });
    expect(checkRandomPools(cls(4, 1), general, policy)?.details).toMatchObject({ reason: 'POOL_TOO_SMALL' });
    expect(checkRandomPools(cls(5, 4), general, policy)).toBeNull();
    expect(checkRandomPools(cls(4, 4), general, { minPoolSize: 5, wholeRegister: [true] })).toBeNull();
    expect(checkRandomPools(cls(1, 1), { item: 'ITEM-K1', category: 'key' }, policy)).toBeNull();
    expect(checkRandomPools(cls(1, 0), general, policy)).toBeNull();
  });

  it('PL5: exemptionsOf reads the flags and the configured complaint threshold (A4)', () => {
    const flags = { keyIndustry: false, abnormalOperation: true, dishonest: false, complaintCount: 2 };
    expect(exemptionsOf({ id: 'x', flags }, { cap: 2, repeatedComplaintsAt: 2 })).toEqual(['repeatedComplaints', 'abnormalOperation']);
    expect(exemptionsOf({ id: 'x', flags }, { cap: 2, repeatedComplaintsAt: 3 })).toEqual(['abnormalOperation']);
  });

  it('L2: the cap compares exact fractions: exactly at the cap passes, one more is refused', () => {
    const pool = { hash: '0'.repeat(64), size: 10, exclusions: [] };
    const limits = { item: 'I', category: 'general' as const, maxRatio: { numerator: 5000, denominator: 10000 } };
    expect(checkRatioCap('targets', [{ name: 'a', pool, quota: { count: 5 } }], limits)).toBeNull();
    expect(checkRatioCap('targets', [{ name: 'a', pool, quota: { count: 6 } }], limits)?.details).toMatchObject({ rule: 'L2' });
    expect(checkRatioCap('targets', [{ name: 'a', pool, quota: { ratio: { numerator: 1, denominator: 2 } } }], limits)).toBeNull();
    expect(checkRatioCap('targets', [{ name: 'a', pool, quota: { ratio: { numerator: 500001, denominator: 1000000 } } }], limits)?.details).toMatchObject({ rule: 'L2' });
    expect(checkRatioCap('targets', [{ name: 'a', pool, quota: { count: 10 } }], { item: 'K', category: 'key' })).toBeNull();
  });

  it('L2/PL4 regression (issue 8 §3): a high-risk class at 1/3 on a general item was refused as "exceeds the cap 500/10000"; the 5% cap bounds the overall ratio', () => {
    const pool = (size: number) => ({ hash: '0'.repeat(64), size, exclusions: [] });
    const limits = { item: 'ITEM-G5', category: 'general' as const, maxRatio: { numerator: 500, denominator: 10000 } };
    const riskD = { name: '风险D', pool: pool(30), quota: { ratio: { numerator: 1, denominator: 3 } } };
    // 10 of 30 high-risk and 5 of 300 low-risk: 15/330 ≈ 4.55% overall, within 5%.
    expect(checkRatioCap('targets', [riskD, { name: '风险A', pool: pool(300), quota: { count: 5 } }], limits)).toBeNull();
    // 10 + 30 of 330 ≈ 12.12% overall: refused, shown as percentages, exact in the details.
    const over = checkRatioCap('targets', [riskD, { name: '风险A', pool: pool(300), quota: { ratio: { numerator: 1, denominator: 10 } } }], limits);
    expect(over?.details).toMatchObject({ rule: 'L2', field: '/classes', reason: 'OVERALL_RATIO_ABOVE_CAP', ratio: { numerator: 4, denominator: 33 }, maxRatio: limits.maxRatio });
    expect(over?.messageZh).toContain('≈12.12%');
    expect(over?.messageZh).toContain('5%');
    expect(over?.messageEn).toContain('exceeds the cap 5%');
    expect(`${over?.messageZh} ${over?.messageEn}`).not.toContain('500/10000');
  });

  it('L2: the overall ratio counts an extension on top of what the classes declared (exactly at the cap passes)', () => {
    const pool = { hash: '0'.repeat(64), size: 100, exclusions: [] };
    const limits = { item: 'I', category: 'general' as const, maxRatio: { numerator: 500, denominator: 10000 } };
    const classes = [{ name: 'a', pool, quota: { count: 3 } }];
    expect(checkOverallRatio(classes, limits, 2)).toBeNull();
    expect(checkOverallRatio(classes, limits, 3, '/additional')?.details).toMatchObject({ rule: 'L2', field: '/additional', ratio: { numerator: 3, denominator: 50 } });
  });

  it('L2: percentages for people: exact where they can be, marked ≈ where not', () => {
    expect(percent(500, 10000)).toBe('5%');
    expect(percent(1, 3)).toBe('≈33.33%');
    expect(percent(1, 8)).toBe('12.5%');
    expect(percent(0, 7)).toBe('0%');
    expect(percent(1, 1)).toBe('100%');
  });

  it('G3, L2, PL5 (pure): an extension is committed by a principal with its approval and the root\'s limits and counting; an operator is refused; past the overall cap is refused', () => {
    const root = commitCommand();
    const three: CommitDraw = { ...root, data: { ...root.data, input: { ...root.data.input, classes: [{ name: 'all', pool: { members }, quota: { count: 3 } }] } as CommitDraw['data']['input'] } };
    const h0 = [...events(decide([], three)), ...revealed('T1.targets.1')];
    const history = [...h0, ...events(decide(h0, { type: 'CompleteDraw', data: { drawId: 'T1.targets.1' }, metadata: meta() }))];
    const extend = (actor: Parameters<typeof meta>[0], count: number) =>
      decide(history, { type: 'CommitExtension', data: { task: 'T1', purpose: 'targets', parent: 'T1.targets.1', source: { ledgerPosition: '50', filter: null }, additional: [{ class: 'all', count }], reason: '追加 / more' }, metadata: meta(actor) });
    const [e] = events(extend(actors.principalA, 2));
    if (e?.type !== 'DrawCommitted') throw new Error('DrawCommitted expected');
    expect(e.payload).toMatchObject({ drawId: 'T1.targets.2', approval: { approvedBy: 'pr-a', reason: '追加 / more' }, limits: three.data.limits, counting: three.data.counting });
    expect(e.payload.commitment).toMatchObject({ kind: 'extension', additional: [{ class: 'all', count: 2 }] });
    expect((extend(actors.opA, 1) as SuijiError).code).toBe('FORBIDDEN');
    // 3 + 3 of 10 = 60 % > the 50 % cap.
    expect((extend(actors.principalA, 3) as SuijiError).details).toMatchObject({ rule: 'L2', reason: 'OVERALL_RATIO_ABOVE_CAP', field: '/additional' });
    // E8/T10 (pure): a target replacement must give an E8 reason.
    const repl = decide(history, { type: 'CommitReplacement', data: { task: 'T1', purpose: 'targets', source: { ledgerPosition: '50', filter: null }, replacements: [{ class: 'all', member: members[0]!, reason: 'health' }] }, metadata: meta(actors.principalA) });
    expect((repl as SuijiError).details).toMatchObject({ rule: 'E8', field: '/replacements/0/reason' });
  });

  it('V3: nothing but abandon leaves a committed draw; after abandoning, the next draw takes the next id', () => {
    const history = [...events(decide([], commitCommand()))];
    const abandoned = events(decide(history, { type: 'AbandonDraw', data: { drawId: 'T1.targets.1', reason: '演练 / rehearsal' }, metadata: meta() }));
    const [next] = events(decide([...history, ...abandoned], commitCommand()));
    expect(next?.type === 'DrawCommitted' && next.payload.drawId).toBe('T1.targets.2');
  });

  it('draw ids name their slot; anything else is not a draw id', () => {
    expect(parseDrawId('T.2026.01.inspectorGroups.3')).toEqual({ task: 'T.2026.01', purpose: 'inspectorGroups', seq: 3 });
    expect(parseDrawId('T1.lottery.1')).toBeNull();
    expect(parseDrawId('T1.targets.0')).toBeNull();
  });
});
