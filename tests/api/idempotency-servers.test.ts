/**
 * Two servers over one data directory (two SQLite connections, two projection runners, two
 * fastify apps listening on real ports) receive the same Idempotency-Key at the same time.
 * A gate in front of each store's append holds the first writer until the second has also
 * decided, so the race the issue saw (both had checked, neither had written) happens on every
 * run instead of by luck: a fault injected in ordering only, the store behind it is real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { openRuntime, type Runtime } from '../../src/cli/runtime.js';
import type { EventStore } from '../../src/store/port.js';
import { DEADLINE, NOW, seedItems, seedTargets, target, witnessPlan } from '../draws/harness.js';
import { freshUscc, openHarness, targetBody, type Harness } from './registers/harness.js';
import { testStoreFor } from '../helpers/test-store.js';

/** Releases appends in pairs: each append waits until a second one arrives (or a generous fallback passes). */
class PairGate {
  private waiting: (() => void)[] = [];
  armed = false;
  arrive(): Promise<void> {
    if (!this.armed) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (this.waiting.length >= 2) {
        const all = this.waiting;
        this.waiting = [];
        for (const r of all) r();
      } else {
        // Only a guard against a hang if the other request never appends; not a timing assertion.
        setTimeout(() => {
          this.waiting = this.waiting.filter((w) => w !== resolve);
          resolve();
        }, 5_000).unref();
      }
    });
  }
}

const gated = (store: EventStore, gate: PairGate): EventStore =>
  new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'append' || prop === 'appendMulti') {
        return async (...args: unknown[]) => {
          await gate.arrive();
          return (Reflect.get(target, prop, receiver) as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

describe('the same Idempotency-Key sent to two servers at once (issue 8 §3)', () => {
  let h: Harness;
  let second: Runtime;
  const gate = new PairGate();
  const apps: FastifyInstance[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    h = await openHarness();
    await seedItems(h.rt.store);
    await seedTargets(h.rt.store, Array.from({ length: 6 }, (_, i) => target(i + 1)));
    // The second server opens the same ledger, whichever store the fixture uses.
    const store = await testStoreFor(h.rt.dataDir);
    second = await openRuntime(h.rt.dataDir, store === undefined ? {} : { store });
    const runtimes = [h.rt, second];
    for (const [i, rt] of runtimes.entries()) {
      await rt.projections.catchUp();
      // Distinct clocks: the two servers decide draw payloads that differ in their timestamp.
      const clock = () => new Date(Date.parse(NOW) + i);
      const app = await buildApp({ store: gated(rt.store, gate), projections: rt.projections }, { publicRateLimit: false, draws: { clock } });
      urls.push(await app.listen({ port: 0, host: '127.0.0.1' }));
      apps.push(app);
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await second.close();
    await h.close();
  });

  /** The same request to both servers at the same time, over real HTTP. */
  const both = async (method: string, path: string, body: unknown, key: string): Promise<Answer[]> => {
    for (const rt of [h.rt, second]) await rt.projections.catchUp();
    gate.armed = true;
    try {
      return await Promise.all(
        urls.map(async (base) => {
          const res = await fetch(base + path, {
            method,
            headers: { authorization: h.bearer('opA'), 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify(body),
          });
          return { status: res.status, body: (await res.json()) as Record<string, unknown> };
        }),
      );
    } finally {
      gate.armed = false;
    }
  };

  const eventsOf = async (streamId: string, key: string) =>
    (await h.rt.store.readStream(streamId)).filter((e) => e.correlationId === `idem:op-a:${key}`);

  it('regression (both answered 201 replayed:false): a register creation — exactly one answer wrote, the other replays it with the same body', async () => {
    for (let round = 0; round < 3; round++) {
      const uscc = freshUscc();
      const key = `create-${uscc}`;
      const answers = await both('POST', '/targets', targetBody(uscc, 'dept-a'), key);
      expect(answers.map((a) => a.status).sort(), JSON.stringify(answers)).toEqual([200, 201]);
      const wrote = answers.filter((a) => a.body.replayed === false);
      const replayed = answers.filter((a) => a.body.replayed === true);
      expect(wrote).toHaveLength(1);
      expect(replayed).toHaveLength(1);
      expect(wrote[0]!.status).toBe(201);
      expect({ ...replayed[0]!.body, replayed: false }).toEqual(wrote[0]!.body);
      expect((await eventsOf(`target-${uscc}`, key)).map((e) => e.type)).toEqual(['TargetRegistered']);
    }
  });

  it('regression (once a 409): an update with one key — one answer wrote, the other replays; never 409, one event', async () => {
    const uscc = freshUscc();
    const created = await both('POST', '/targets', targetBody(uscc, 'dept-a'), `setup-${uscc}`);
    expect(created.map((a) => a.status).sort()).toEqual([200, 201]);
    const key = `rename-${uscc}`;
    const answers = await both('PATCH', `/targets/${uscc}`, { changes: { name: '沂源县改名后的加油站' }, reason: '更名' }, key);
    expect(answers.map((a) => a.status), JSON.stringify(answers)).toEqual([200, 200]);
    expect(answers.map((a) => a.body.replayed).sort()).toEqual([false, true]);
    expect(answers[0]!.body.position).toBe(answers[1]!.body.position);
    expect(await eventsOf(`target-${uscc}`, key)).toHaveLength(1);
  });

  it('regression (once a 409): a draw commitment decided by two servers with different clocks — both answer the one draw that was written', async () => {
    const key = 'draw-commit-race-1';
    const classes = [{ name: 'all', filter: {}, quota: { count: 2 } }];
    // T3 (issue 9): the draw serves a task, created first (ad hoc, PL6) through the route.
    const task = await h.call('opA', 'POST', '/tasks', {
      departmentId: 'dept-a', name: '并发承诺任务', items: ['ITEM-G1'], directional: true, classes, window: { from: '2026-01-01', to: '2026-12-31' },
      executingUnits: ['dept-a'], publishList: false, adHoc: true, adHocReason: '测试并发 / race test',
    });
    expect(task.statusCode, task.body).toBe(201);
    const body = { task: task.json<{ taskId: string }>().taskId, item: 'ITEM-G1', classes, entropy: witnessPlan(), revealDeadline: DEADLINE };
    const answers = await both('POST', '/draws/targets', body, key);
    expect(answers.map((a) => a.status), JSON.stringify(answers)).toEqual([201, 201]);
    expect(answers[0]!.body).toEqual(answers[1]!.body);
    const commits = (await h.rt.store.readAll()).filter((e) => e.type === 'DrawCommitted' && e.correlationId === `idem:op-a:${key}`);
    expect(commits).toHaveLength(1);
    expect(commits[0]!.payload).toMatchObject({ drawId: answers[0]!.body.drawId });
  });
});
