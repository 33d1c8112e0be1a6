/**
 * The reservation protocol (src/store/esdb/protocol.ts) under any interleaving of concurrent
 * draws and injected faults: PL5's cap (≤ 2 per entity per year) and one open draw per slot
 * hold, and no half-done write is ever counted. The log is an in-memory model of EventStoreDB's
 * per-stream optimistic concurrency (fault-log.ts); the protocol code is the adapter's own.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isSuijiError } from '../../../src/domain/errors.js';
import { appendAtomically, streamState, type MultiWrite, type ProtocolOptions, type StreamLog } from '../../../src/store/esdb/protocol.js';
import { FaultLog, type Fault } from './fault-log.js';

interface Body {
  readonly drawId: string;
}

type Action = { kind: 'draw'; slot: number; entities: number[] } | { kind: 'close'; slot: number };

const counter = (e: number): string => `drawcount-e${e}-2026`;
const slotStream = (s: number): string => `slot-${s}`;

type AppendMulti = (log: StreamLog<Body>, writes: MultiWrite<Body>[], txId: string, options: ProtocolOptions) => Promise<unknown>;

const protocol: AppendMulti = (log, writes, txId, options) => appendAtomically(log, writes, txId, options);

/** What a draw's command handler does: read, decide (PL5, free slot), appendMulti at the read revisions, retry on conflict. */
async function runAction(log: StreamLog<Body>, a: Action, drawId: string, options: ProtocolOptions, appendMulti: AppendMulti): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const slot = await streamState(log, slotStream(a.slot), options);
      const last = slot.visible.at(-1)?.type;
      if (a.kind === 'close') {
        if (last !== 'DrawOpened') return 'nothing-open';
        await appendAtomically(log, [{ streamId: slotStream(a.slot), expected: slot.visible.length - 1, events: [{ drawId }], types: ['DrawClosed'] }], drawId, options);
        return 'ok';
      }
      if (last === 'DrawOpened') return 'slot-busy';
      const writes: MultiWrite<Body>[] = [
        { streamId: `draw-${drawId}`, expected: 'noStream', events: [{ drawId }], types: ['DrawRecorded'] },
        { streamId: slotStream(a.slot), expected: slot.visible.length === 0 ? 'noStream' : slot.visible.length - 1, events: [{ drawId }], types: ['DrawOpened'] },
      ];
      for (const e of a.entities) {
        const c = await streamState(log, counter(e), options);
        if (c.visible.length >= 2) return 'capped';
        writes.push({ streamId: counter(e), expected: c.visible.length === 0 ? 'noStream' : c.visible.length - 1, events: [{ drawId }], types: ['DrawCounted'] });
      }
      await appendMulti(log, writes, `${drawId}-${attempt}`, options);
      return 'ok';
    } catch (err) {
      if (isSuijiError(err) && err.code === 'WRONG_EXPECTED_REVISION') continue;
      return 'unknown';
    }
  }
  return 'gave-up';
}

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('draw' as const), slot: fc.integer({ min: 0, max: 1 }), entities: fc.uniqueArray(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const), slot: fc.integer({ min: 0, max: 1 }) }) },
);
const fault: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 10, arbitrary: fc.constant('ok' as const) },
  { weight: 1, arbitrary: fc.constantFrom<Fault>('failBefore', 'failAfter', 'crashBefore', 'crashAfter') },
);
const worker = fc.record({ actions: fc.array(action, { minLength: 1, maxLength: 4 }), faults: fc.array(fault, { maxLength: 30 }) });

/** What the runs exercised, so the property cannot pass by never reaching the hard cases. */
const seen = { crashed: 0, acknowledged: 0, strandedReservations: 0, conflicts: 0 };

interface Outcome {
  readonly log: FaultLog;
  readonly acknowledged: string[];
  readonly options: ProtocolOptions;
}

/** Runs the workers concurrently, every log operation scheduled by fast-check. */
async function runWorkers(
  s: fc.Scheduler,
  workers: { actions: Action[]; faults: Fault[] }[],
  leaseMs: number,
  appendMulti: AppendMulti,
): Promise<Outcome> {
  const log = new FaultLog();
  const acknowledged: string[] = [];
  // Each worker is its own process: its own decision cache.
  const optionsOf = (): ProtocolOptions => ({ leaseMs, decisions: new Map() });
  const runs = workers.map(async (w, wi) => {
    const session = log.session(w.faults, (f) => s.schedule(Promise.resolve()).then(f));
    const options = optionsOf();
    for (const [ai, a] of w.actions.entries()) {
      const drawId = `w${wi}a${ai}`;
      const r = await runAction(session as StreamLog<Body>, a, drawId, options, appendMulti);
      if (r === 'ok' && a.kind === 'draw') acknowledged.push(drawId);
      if (r === 'gave-up' || r === 'capped') seen.conflicts += 1;
    }
    if (session.crashed) seen.crashed += 1;
  });
  await s.waitFor(Promise.all(runs));
  seen.acknowledged += acknowledged.length;
  // Reservations left undecided by a crash (tagged events without a decision stream).
  const decided = new Set([...log.streams.keys()].filter((k) => k.startsWith('suiji~tx-')).map((k) => k.slice('suiji~tx-'.length)));
  for (const events of log.streams.values()) for (const e of events) if (e.tx && !decided.has(e.tx.id)) seen.strandedReservations += 1;
  return { log, acknowledged, options: optionsOf() };
}

/** After the dust settles (every lease run out), the state as any reader counts it. */
async function checkInvariants({ log, acknowledged, options }: Outcome, workers: { actions: Action[] }[]): Promise<void> {
  log.skew = 1e12;
  const reader = log.session() as StreamLog<Body>;
  const visibleIn = new Map<string, Set<string>>();
  for (const stream of [...log.streams.keys()].filter((k) => !k.startsWith('suiji~tx-'))) {
    const st = await streamState(reader, stream, options);
    expect(st.lockedBy).toBeNull();
    if (stream.startsWith('drawcount-')) expect(st.visible.length, `PL5 cap on ${stream}`).toBeLessThanOrEqual(2);
    if (stream.startsWith('slot-')) {
      const types = st.visible.map((e) => e.type);
      types.forEach((t, i) => i > 0 && t === 'DrawOpened' && expect(types[i - 1], `two open draws in ${stream}`).toBe('DrawClosed'));
    }
    for (const e of st.visible) {
      if (e.type === 'DrawClosed') continue;
      const set = visibleIn.get(e.body.drawId) ?? new Set<string>();
      expect(set.has(stream), `${e.body.drawId} counted twice in ${stream}`).toBe(false);
      visibleIn.set(e.body.drawId, set.add(stream));
    }
  }
  // All or nothing: a draw visible anywhere is visible in its draw stream, its slot and every counter.
  for (const [drawId, streams] of visibleIn) {
    const [, wi, ai] = /^w(\d+)a(\d+)$/.exec(drawId)!;
    const a = workers[Number(wi)]!.actions[Number(ai)] as Extract<Action, { kind: 'draw' }>;
    const want = [`draw-${drawId}`, slotStream(a.slot), ...a.entities.map(counter)].sort();
    expect([...streams].sort(), `half-done write of ${drawId} is counted`).toEqual(want);
  }
  // Every acknowledged draw is there.
  for (const id of acknowledged) expect(visibleIn.has(id), `acknowledged ${id} lost`).toBe(true);
}

const params = { seed: 20261202, numRuns: 300 };

describe('EventStoreDB reservation protocol (appendMulti without multi-stream transactions)', () => {
  it('PL5: under any interleaving of concurrent draws and injected failures/crashes between any two writes, no entity is counted more than twice, one draw per slot is open, and no half-done draw is counted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(worker, { minLength: 2, maxLength: 4 }), fc.constantFrom(0, 5, 40, 1e9), async (s, workers, leaseMs) => {
        const outcome = await runWorkers(s, workers, leaseMs, protocol);
        await checkInvariants(outcome, workers);
      }),
      params,
    );
    expect(seen.crashed, 'workers crashed').toBeGreaterThan(0);
    expect(seen.strandedReservations, 'reservations left undecided by a crash').toBeGreaterThan(0);
    expect(seen.acknowledged, 'draws acknowledged').toBeGreaterThan(0);
    expect(seen.conflicts, 'draws refused by the cap or by conflicts').toBeGreaterThan(0);
  });

  it('PL5: without faults, racing draws reach the cap and stop there (the property is not vacuous)', async () => {
    const [s] = fc.sample(fc.scheduler(), { seed: 7, numRuns: 1 });
    const workers = Array.from({ length: 3 }, () => ({ actions: Array.from({ length: 2 }, (_, i) => ({ kind: 'draw' as const, slot: i % 2, entities: [0] })), faults: [] as Fault[] }));
    // Close slots in between so the slot rule is not what limits the count.
    const closers = [{ actions: [{ kind: 'close' as const, slot: 0 }, { kind: 'close' as const, slot: 1 }, { kind: 'close' as const, slot: 0 }], faults: [] as Fault[] }];
    const outcome = await runWorkers(s!, [...workers, ...closers], 1e9, protocol);
    await checkInvariants(outcome, [...workers, ...closers]);
    const st = await streamState(outcome.log.session() as StreamLog<Body>, counter(0), outcome.options);
    expect(st.visible.length).toBe(2);
  });

  it('a crash after some reservations leaves them invisible, locks the streams until the lease runs out, then releases them', async () => {
    const log = new FaultLog();
    const options: ProtocolOptions = { leaseMs: 100, decisions: new Map() };
    // Reservations go in call order (the two counters, then draw-d1); the process dies right
    // after the third lands, before it could write the decision.
    const crashing = log.session(['ok', 'ok', 'crashAfter']) as StreamLog<Body>;
    const writes: MultiWrite<Body>[] = [
      { streamId: counter(0), expected: 'noStream', events: [{ drawId: 'd1' }], types: ['DrawCounted'] },
      { streamId: counter(1), expected: 'noStream', events: [{ drawId: 'd1' }], types: ['DrawCounted'] },
      { streamId: 'draw-d1', expected: 'noStream', events: [{ drawId: 'd1' }], types: ['DrawRecorded'] },
    ];
    await expect(appendAtomically(crashing, writes, 'tx-d1', options)).rejects.toThrow(/crashed/);
    const other = log.session() as StreamLog<Body>;
    const fresh: ProtocolOptions = { leaseMs: 100, decisions: new Map() };
    const before = await streamState(other, counter(1), fresh);
    expect(before.visible).toHaveLength(0);
    expect(before.lockedBy).toBe('tx-d1');
    let attempt = 0;
    // A fresh transaction id per call, as the adapter does: a released one stays released.
    const retry = (): Promise<unknown> =>
      appendAtomically(other, [{ ...writes[1]!, events: [{ drawId: 'd2' }] }, { ...writes[2]!, streamId: 'draw-d2', events: [{ drawId: 'd2' }] }], `tx-d2-${attempt++}`, fresh);
    await expect(retry()).rejects.toMatchObject({ code: 'WRONG_EXPECTED_REVISION', details: { reason: 'reserved' } });
    log.skew = 1000;
    await retry();
    expect((await streamState(other, counter(0), fresh)).visible).toHaveLength(0);
    expect((await streamState(other, counter(1), fresh)).visible.map((e) => e.body.drawId)).toEqual(['d2']);
  });

  it('regression guard: appending the streams one by one without the protocol is caught by the same property (a half-done draw is counted)', async () => {
    const naive: AppendMulti = async (log, writes, _txId, options) => {
      for (const w of writes) await appendAtomically(log, [w], 'single', options);
    };
    const result = await fc.check(
      fc.asyncProperty(fc.scheduler(), fc.array(worker, { minLength: 2, maxLength: 4 }), async (s, workers) => {
        const outcome = await runWorkers(s, workers, 1e9, naive);
        await checkInvariants(outcome, workers);
      }),
      params,
    );
    expect(result.failed).toBe(true);
  });
});
