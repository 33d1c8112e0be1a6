/**
 * The EventStore contract (docs/store-port.md). Every adapter runs it:
 *
 *   describeEventStoreContract('sqlite', async (opts) => ({ store, cleanup }));
 *
 * Nothing here knows which adapter it tests; adapter-specific checks (files, processes,
 * reopening) live next to the adapter's own test file.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fc from 'fast-check';
import { hexToBytes } from '@noble/hashes/utils.js';
import { envelopeLeafHashHex } from '../../../src/verify/ledger.js';
import { merkleRoot } from '../../../src/verify/merkle.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { SuijiError } from '../../../src/domain/errors.js';
import type { EventStore, EventValidator, ExpectedRevision, RecordedEvent } from '../../../src/store/port.js';
import { verifyLedger } from '../../../src/store/verify-ledger.js';
import { newEvent, newEvents, testActor } from '../../helpers/events.js';

export interface ContractStoreOptions {
  readonly validate?: EventValidator;
}

export type MakeStore = (options?: ContractStoreOptions) => Promise<{ store: EventStore; cleanup: () => Promise<void> }>;

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof SuijiError) return err.code;
    throw err;
  }
  return 'no error';
};

const waitFor = async (cond: () => boolean, ms = 10_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

const envelopeOf = (e: RecordedEvent): Record<string, unknown> => ({ ...e });

export function describeEventStoreContract(name: string, makeStore: MakeStore): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    describe('expected revision (optimistic concurrency)', () => {
      it('noStream on an existing stream is WRONG_EXPECTED_REVISION naming stream, expected and actual', async () => {
        await store.append('s-1', [newEvent()], 'noStream');
        const err = await store.append('s-1', [newEvent()], 'noStream').catch((e: unknown) => e);
        expect(err).toBeInstanceOf(SuijiError);
        expect((err as SuijiError).code).toBe('WRONG_EXPECTED_REVISION');
        expect((err as SuijiError).details).toMatchObject({ streamId: 's-1', expected: 'noStream', actual: 0 });
      });

      it('streamExists on a missing stream is refused; on an existing one accepted', async () => {
        expect(await codeOf(store.append('s-2', [newEvent()], 'streamExists'))).toBe('WRONG_EXPECTED_REVISION');
        expect(await store.streamRevision('s-2')).toBe(-1);
        await store.append('s-2', [newEvent()], 'noStream');
        expect(await store.append('s-2', [newEvent()], 'streamExists')).toMatchObject({ nextRevision: 1 });
      });

      it('an exact revision must equal the current one', async () => {
        await store.append('s-3', newEvents(3), 'noStream');
        expect(await codeOf(store.append('s-3', [newEvent()], 1))).toBe('WRONG_EXPECTED_REVISION');
        expect(await codeOf(store.append('s-3', [newEvent()], 3))).toBe('WRONG_EXPECTED_REVISION');
        expect(await codeOf(store.append('s-new', [newEvent()], 0))).toBe('WRONG_EXPECTED_REVISION');
        expect(await store.append('s-3', [newEvent()], 2)).toMatchObject({ streamId: 's-3', nextRevision: 3, position: 3 });
      });

      it('any never conflicts', async () => {
        expect(await store.append('s-4', [newEvent()], 'any')).toMatchObject({ nextRevision: 0 });
        expect(await store.append('s-4', [newEvent()], 'any')).toMatchObject({ nextRevision: 1 });
      });

      it('a refused append writes nothing', async () => {
        await store.append('s-5', [newEvent()], 'noStream');
        await codeOf(store.append('s-5', newEvents(2), 'noStream'));
        expect(await store.readAll()).toHaveLength(1);
        expect((await store.head()).size).toBe(1);
      });
    });

    describe('atomicity', () => {
      it('a batch with one invalid event (bad UUID) writes nothing', async () => {
        const batch = [newEvent(), newEvent({ eventId: 'not-a-uuid' }), newEvent()];
        const err = await store.append('a-1', batch, 'any').catch((e: unknown) => e);
        expect((err as SuijiError).code).toBe('VALIDATION_FAILED');
        expect((err as SuijiError).details.field).toBe('events[1].eventId');
        expect(await store.readAll()).toEqual([]);
        expect(await store.streamRevision('a-1')).toBe(-1);
      });

      it('a batch with a payload JCS cannot encode (non-finite number) writes nothing', async () => {
        const batch = [newEvent(), newEvent({ payload: { x: Number.NaN } })];
        expect(await codeOf(store.append('a-2', batch, 'any'))).toBe('VALIDATION_FAILED');
        expect(await codeOf(store.append('a-2', [newEvent({ payload: { x: Infinity } })], 'any'))).toBe('VALIDATION_FAILED');
        expect(await codeOf(store.append('a-2', [newEvent({ payload: { d: new Date(0) } })], 'any'))).toBe('VALIDATION_FAILED');
        expect(await codeOf(store.append('a-2', [newEvent({ payload: { s: '\ud800' } })], 'any'))).toBe('VALIDATION_FAILED');
        expect(await store.readAll()).toEqual([]);
      });

      it('ids and stream ids are checked: empty or oversized stream id, duplicate id in one batch', async () => {
        expect(await codeOf(store.append('', [newEvent()], 'any'))).toBe('VALIDATION_FAILED');
        expect(await codeOf(store.append('x'.repeat(1000), [newEvent()], 'any'))).toBe('VALIDATION_FAILED');
        const e = newEvent();
        expect(await codeOf(store.append('a-3', [e, { ...e }], 'any'))).toBe('VALIDATION_FAILED');
        expect(await codeOf(store.append('a-3', [], 'any'))).toBe('VALIDATION_FAILED');
        expect(await codeOf(store.append('a-3', [newEvent()], -1))).toBe('VALIDATION_FAILED');
        expect(await store.readAll()).toEqual([]);
      });

      it('the validator sees every event before anything is written; its refusal writes nothing', async () => {
        const seen: string[] = [];
        const validating = await makeStore({
          validate: (e) => {
            seen.push(e.type);
            if (e.type === 'Bad') throw new SuijiError('UNKNOWN_EVENT_TYPE', { field: 'type', type: e.type });
          },
        });
        try {
          const err = await validating.store
            .appendMulti([
              { streamId: 'v-1', events: [newEvent({ type: 'Good' })], expected: 'any' },
              { streamId: 'v-2', events: [newEvent({ type: 'Good' }), newEvent({ type: 'Bad' })], expected: 'any' },
            ])
            .catch((e: unknown) => e);
          expect((err as SuijiError).code).toBe('UNKNOWN_EVENT_TYPE');
          expect(seen).toEqual(['Good', 'Good', 'Bad']);
          expect(await validating.store.readAll()).toEqual([]);
        } finally {
          await validating.cleanup();
        }
      });

      it('PL5: appendMulti where one stream conflicts writes nothing in any stream', async () => {
        await store.append('draw-counter', [newEvent()], 'noStream');
        const code = await codeOf(
          store.appendMulti([
            { streamId: 'draw-1', events: newEvents(2), expected: 'noStream' },
            { streamId: 'draw-counter', events: [newEvent()], expected: 'noStream' },
          ]),
        );
        expect(code).toBe('WRONG_EXPECTED_REVISION');
        expect(await store.streamRevision('draw-1')).toBe(-1);
        expect(await store.readAll()).toHaveLength(1);
      });

      it('PL5: of two concurrent appendMulti on the same counter revision, exactly one wins', async () => {
        await store.append('drawcount-91350100M000100Y43-2026', [newEvent()], 'noStream');
        const attempt = (draw: string) =>
          store.appendMulti([
            { streamId: draw, events: [newEvent({ type: 'TargetDrawn' })], expected: 'noStream' },
            { streamId: 'drawcount-91350100M000100Y43-2026', events: [newEvent({ type: 'DrawCounted' })], expected: 0 },
          ]);
        const outcomes = await Promise.allSettled([attempt('draw-a'), attempt('draw-b')]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const rejected = outcomes.find((o) => o.status === 'rejected');
        expect((rejected as PromiseRejectedResult).reason).toMatchObject({ code: 'WRONG_EXPECTED_REVISION' });
        expect(await store.readAll()).toHaveLength(3);
      });

      it('appendMulti returns one result per stream, positions in call order', async () => {
        const results = await store.appendMulti([
          { streamId: 'm-1', events: newEvents(2), expected: 'noStream' },
          { streamId: 'm-2', events: newEvents(1), expected: 'any' },
        ]);
        expect(results).toEqual([
          { streamId: 'm-1', nextRevision: 1, position: 1 },
          { streamId: 'm-2', nextRevision: 0, position: 2 },
        ]);
      });
    });

    describe('idempotency', () => {
      it('retrying the same ids returns the original result and writes nothing, whatever expected says', async () => {
        const batch = newEvents(3);
        await store.append('i-0', [newEvent()], 'noStream');
        const first = await store.append('i-1', batch, 'noStream');
        expect(first.replayed).toBeUndefined();
        await store.append('i-1', [newEvent()], 2);
        // `replayed` tells the caller it wrote nothing (an Idempotency-Key answer depends on it).
        const replay = { ...first, replayed: true };
        expect(await store.append('i-1', batch, 'noStream')).toEqual(replay);
        expect(await store.append('i-1', batch, 'any')).toEqual(replay);
        expect(await store.append('i-1', batch.map((e) => ({ ...e, eventId: e.eventId.toUpperCase() })), 5)).toEqual(replay);
        expect(await store.readAll()).toHaveLength(5);
      });

      it('an appendMulti retried is idempotent as a whole', async () => {
        const writes = [
          { streamId: 'im-1', events: newEvents(1), expected: 'noStream' as const },
          { streamId: 'im-2', events: newEvents(2), expected: 'noStream' as const },
        ];
        const first = await store.appendMulti(writes);
        expect(first.every((r) => r.replayed === undefined)).toBe(true);
        expect(await store.appendMulti(writes)).toEqual(first.map((r) => ({ ...r, replayed: true })));
        expect(await store.readAll()).toHaveLength(3);
      });

      it('the same id with a different payload, type or stream is IDEMPOTENCY_CONFLICT', async () => {
        const e = newEvent({ payload: { v: 1 } });
        await store.append('i-2', [e], 'noStream');
        expect(await codeOf(store.append('i-2', [{ ...e, payload: { v: 2 } }], 'any'))).toBe('IDEMPOTENCY_CONFLICT');
        expect(await codeOf(store.append('i-2', [{ ...e, type: 'Other' }], 'any'))).toBe('IDEMPOTENCY_CONFLICT');
        expect(await codeOf(store.append('i-3', [e], 'any'))).toBe('IDEMPOTENCY_CONFLICT');
        expect(await store.readAll()).toHaveLength(1);
      });

      it('a partial overlap with recorded ids is IDEMPOTENCY_CONFLICT and writes nothing', async () => {
        const [a, b] = newEvents(2) as [ReturnType<typeof newEvent>, ReturnType<typeof newEvent>];
        await store.append('i-4', [a], 'noStream');
        expect(await codeOf(store.append('i-4', [a, b], 'any'))).toBe('IDEMPOTENCY_CONFLICT');
        expect(await codeOf(store.append('i-4', [a, b], 'noStream'))).toBe('IDEMPOTENCY_CONFLICT');
        expect(await store.readAll()).toHaveLength(1);
      });
    });

    describe('global order and reads', () => {
      it('positions are 0..n-1 without gaps across streams; readAll pages by from/limit', async () => {
        for (let i = 0; i < 10; i++) await store.append(`o-${i % 3}`, newEvents(1 + (i % 2)), 'any');
        const all = await store.readAll();
        expect(all.map((e) => e.position)).toEqual([...all.keys()]);
        expect(all).toHaveLength(15);
        expect(await store.readAll({ from: 4, limit: 3 })).toEqual(all.slice(4, 7));
        expect(await store.readAll({ from: 14 })).toEqual(all.slice(14));
        expect(await store.readAll({ from: 15 })).toEqual([]);
        expect(await store.readAll({ limit: 0 })).toEqual([]);
      });

      it('readStream returns revisions 0..n-1 in order, from a revision; [] for a missing stream', async () => {
        await store.append('r-1', newEvents(2), 'noStream');
        await store.append('r-2', newEvents(1), 'noStream');
        await store.append('r-1', newEvents(2), 1);
        const s = await store.readStream('r-1');
        expect(s.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
        expect(s.map((e) => e.position)).toEqual([0, 1, 3, 4]);
        expect((await store.readStream('r-1', 2)).map((e) => e.revision)).toEqual([2, 3]);
        expect(await store.readStream('nope')).toEqual([]);
        expect(await store.streamRevision('r-1')).toBe(3);
      });

      it('P1: the recorded envelope carries actor, correlation, causation, UTC time and schema version 1 by default', async () => {
        const e = newEvent({ causationId: 'cause-1', payload: { a: [1, 'two', null, true, { b: -0 }] } });
        await store.append('p-1', [e], 'noStream');
        const [r] = await store.readAll();
        expect(r).toMatchObject({
          position: 0,
          streamId: 'p-1',
          revision: 0,
          eventId: e.eventId,
          type: 'TestHappened',
          schemaVersion: 1,
          actor: testActor,
          correlationId: 'corr-1',
          causationId: 'cause-1',
          payload: { a: [1, 'two', null, true, { b: 0 }] },
        });
        expect(r!.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(Object.keys(r!).sort()).toEqual(
          ['actor', 'causationId', 'correlationId', 'eventId', 'hash', 'payload', 'position', 'recordedAt', 'revision', 'schemaVersion', 'streamId', 'type'],
        );
      });

      it('P1: every read envelope rehashes to its stored hash, including awkward numbers and text', async () => {
        const payloads: unknown[] = [
          { big: 2 ** 64, neg0: -0, tiny: 5e-324, max: Number.MAX_VALUE, e21: 1e21, frac: 0.1 + 0.2 },
          { text: '\u20ac\r\n\u0000"\\/ 汉字 😀', '\u00f6': 1, '\ufb33': 2, '1': 3 },
          [],
          'just a string',
          12345678901234567890,
          { nested: { deeper: [[[{}]]] }, skip: undefined },
        ];
        for (const payload of payloads) await store.append('h-1', [newEvent({ payload, schemaVersion: 3 })], 'any');
        for (const r of await store.readAll()) expect(envelopeLeafHashHex(envelopeOf(r))).toBe(r.hash);
      });
    });

    describe('ledger head and checkpoints', () => {
      it('the empty ledger has size 0 and the RFC 6962 empty root', async () => {
        expect(await store.head()).toEqual({ size: 0, root: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
        expect(await store.checkpoints()).toEqual([]);
      });

      it('P1: head and every checkpoint equal the Merkle root over the leaf hashes up to their size', async () => {
        const sizes = [1, 3, 2, 5, 1, 8];
        for (const [i, n] of sizes.entries()) await store.append(`c-${i % 2}`, newEvents(n), 'any');
        const leaves = (await store.readAll()).map((e) => hexToBytes(e.hash));
        const head = await store.head();
        expect(head).toEqual({ size: 20, root: bytesToHex(merkleRoot(leaves)) });
        const cps = await store.checkpoints();
        expect(cps.map((c) => c.size)).toEqual([1, 4, 6, 11, 12, 20]);
        for (const c of cps) expect(c.root).toBe(bytesToHex(merkleRoot(leaves.slice(0, c.size))));
        expect((await store.checkpoints({ from: 5, limit: 2 })).map((c) => c.size)).toEqual([6, 11]);
        expect(await verifyLedger(store)).toEqual({ ok: true, size: 20, root: head.root, checkpoints: 6 });
      });

      it('verifyLedger accepts a matching trusted checkpoint and names the range of a mismatching one', async () => {
        for (let i = 0; i < 4; i++) await store.append('t-1', newEvents(2), 'any');
        const cps = await store.checkpoints();
        expect(await verifyLedger(store, { trusted: [cps[1]!] })).toMatchObject({ ok: true });
        const forged = { size: 6, root: '00'.repeat(32) };
        expect(await verifyLedger(store, { trusted: [forged] })).toMatchObject({
          ok: false,
          reason: 'trusted-checkpoint-mismatch',
          position: 6,
          until: 6,
        });
      });
    });

    describe('subscriptions', () => {
      it('catches up from a position, then delivers live appends, in order, without gaps or duplicates', async () => {
        for (let i = 0; i < 30; i++) await store.append(`sub-${i % 4}`, newEvents(2), 'any');
        const got: number[] = [];
        const sub = store.subscribe(10, async (e) => {
          got.push(e.position);
          if (e.position % 7 === 0) await new Promise((r) => setTimeout(r, 1));
        });
        // Appends race the catch-up: they must be neither lost nor repeated.
        const writer = (async () => {
          for (let i = 0; i < 40; i++) {
            await store.append(`sub-live-${i % 3}`, newEvents(1 + (i % 3)), 'any');
            if (i % 5 === 0) await new Promise((r) => setTimeout(r, 0));
          }
        })();
        await writer;
        const total = (await store.head()).size;
        await waitFor(() => got.length >= total - 10);
        await sub.close();
        expect(got).toEqual(Array.from({ length: total - 10 }, (_, i) => i + 10));
      });

      it('delivers one event at a time: the next handler call waits for the previous one', async () => {
        await store.append('one', newEvents(5), 'any');
        let inFlight = 0;
        let maxInFlight = 0;
        let count = 0;
        const sub = store.subscribe(0, async () => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((r) => setTimeout(r, 2));
          inFlight -= 1;
          count += 1;
        });
        await waitFor(() => count === 5);
        await sub.close();
        expect(maxInFlight).toBe(1);
      });

      it('close() resolves only after the in-flight handler call has finished', async () => {
        await store.append('close', newEvents(1), 'any');
        let started = false;
        let finished = false;
        const sub = store.subscribe(0, async () => {
          started = true;
          await new Promise((r) => setTimeout(r, 50));
          finished = true;
        });
        await waitFor(() => started);
        await sub.close();
        expect(finished).toBe(true);
        await expect(sub.done).resolves.toBeUndefined();
      });

      it('a throwing handler rejects done and stops the subscription', async () => {
        await store.append('boom', newEvents(3), 'any');
        const seen: number[] = [];
        const sub = store.subscribe(0, (e) => {
          seen.push(e.position);
          if (e.position === 1) throw new Error('handler failed');
        });
        await expect(sub.done).rejects.toThrow('handler failed');
        await store.append('boom', newEvents(2), 'any');
        await new Promise((r) => setTimeout(r, 50));
        expect(seen).toEqual([0, 1]);
        await sub.close();
      });
    });

    describe('property: any sequence of appends', () => {
      type Expect = 'noStream' | 'streamExists' | 'any' | { exact: number };
      type Write = { stream: number; expected: Expect; size: number };
      const expectArb: fc.Arbitrary<Expect> = fc.oneof(
        fc.constant('noStream' as const),
        fc.constant('streamExists' as const),
        fc.constant('any' as const),
        fc.integer({ min: -1, max: 4 }).map((exact) => ({ exact })),
      );
      const writeArb: fc.Arbitrary<Write> = fc.record({ stream: fc.integer({ min: 0, max: 3 }), expected: expectArb, size: fc.integer({ min: 1, max: 4 }) });
      // One op = one append (1 write) or one appendMulti over distinct streams (2–3 writes).
      const opArb = fc.oneof(
        { weight: 3, arbitrary: writeArb.map((w) => [w]) },
        { weight: 1, arbitrary: fc.uniqueArray(writeArb, { minLength: 2, maxLength: 3, selector: (w) => w.stream }) },
      );

      it('leaves readAll gap-free, ordered, and equal to exactly the acknowledged appends (conflicts write nothing)', async () => {
        let run = 0;
        await fc.assert(
          fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
            run += 1;
            const fresh = await makeStore();
            try {
              const model = new Map<string, number>();
              const acknowledged: { id: string; streamId: string; revision: number }[] = [];
              for (const op of ops) {
                const writes = op.map((w) => {
                  const streamId = `prop-${run}-${w.stream}`;
                  const actual = model.get(streamId) ?? -1;
                  const expected: ExpectedRevision =
                    typeof w.expected === 'object' ? (w.expected.exact < 0 ? 'any' : w.expected.exact) : w.expected;
                  const holds =
                    expected === 'any' ||
                    (expected === 'noStream' && actual === -1) ||
                    (expected === 'streamExists' && actual >= 0) ||
                    expected === actual;
                  return { streamId, expected, events: newEvents(w.size), actual, holds };
                });
                const call = writes.length === 1
                  ? fresh.store.append(writes[0]!.streamId, writes[0]!.events, writes[0]!.expected).then((r) => [r])
                  : fresh.store.appendMulti(writes.map(({ streamId, events, expected }) => ({ streamId, events, expected })));
                const outcome = await call.then((r) => r, (e: unknown) => e);
                if (writes.every((w) => w.holds)) {
                  let position = acknowledged.length - 1;
                  expect(outcome).toEqual(
                    writes.map((w) => {
                      position += w.events.length;
                      return { streamId: w.streamId, nextRevision: w.actual + w.events.length, position };
                    }),
                  );
                  for (const w of writes) {
                    w.events.forEach((e, i) => acknowledged.push({ id: e.eventId, streamId: w.streamId, revision: w.actual + 1 + i }));
                    model.set(w.streamId, w.actual + w.events.length);
                  }
                } else {
                  expect(outcome).toMatchObject({ code: 'WRONG_EXPECTED_REVISION' });
                }
              }
              const all = await fresh.store.readAll();
              expect(all.map((e) => e.position)).toEqual([...acknowledged.keys()]);
              expect(all.map((e) => ({ id: e.eventId, streamId: e.streamId, revision: e.revision }))).toEqual(acknowledged);
              expect((await fresh.store.head()).size).toBe(acknowledged.length);
              for (const [streamId, revision] of model) expect(await fresh.store.streamRevision(streamId)).toBe(revision);
            } finally {
              await fresh.cleanup();
            }
          }),
          { seed: 20261125, numRuns: 40 },
        );
      });
    });
  });
}
