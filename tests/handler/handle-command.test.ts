import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Command, Decider } from '../../src/domain/decider.js';
import { SuijiError } from '../../src/domain/errors.js';
import { deriveEventId } from '../../src/store/event-id.js';
import { handleCommand } from '../../src/store/handle-command.js';
import { openStore } from '../../src/store/index.js';
import type { EventStore } from '../../src/store/port.js';
import { newEvent, testActor } from '../helpers/events.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A counter that refuses to go above a limit: enough to exercise load → decide → append. */
type Add = Command<'Add', { readonly n: number }>;
type Added = { readonly type: 'Added'; readonly payload: { readonly n: number } };
const LIMIT = 10;
const counter: Decider<Add, Added, number> = {
  initialState: 0,
  decide: (c, total) =>
    total + c.data.n > LIMIT ? new SuijiError('RULE_VIOLATION', { field: 'n' }, { zh: '超出上限', en: 'over the limit' }) : c.data.n === 0 ? [] : [{ type: 'Added', payload: { n: c.data.n } }],
  evolve: (total, e) => total + e.payload.n,
};
const add = (n: number, commandId: string): Add => ({ type: 'Add', data: { n }, metadata: { actor: testActor, now: '2026-11-25T08:00:00.000Z', commandId } });

describe('handleCommand', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: EventStore;
  beforeEach(async () => {
    dir = tempDir();
    store = await openStore({ dataDir: dir.path });
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('appends the decided events with the actor, correlation id and derived event ids', async () => {
    const r = await handleCommand(store, { streamId: 'counter-1', decider: counter, command: add(3, 'cmd-1') });
    expect(r.appended).toMatchObject({ streamId: 'counter-1', nextRevision: 0, position: 0 });
    const [e] = await store.readStream('counter-1');
    expect(e).toMatchObject({ type: 'Added', payload: { n: 3 }, actor: testActor, correlationId: 'cmd-1', eventId: deriveEventId('cmd-1', 0) });
    expect(e!.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('a refused command throws its coded error and writes nothing', async () => {
    await handleCommand(store, { streamId: 'counter-1', decider: counter, command: add(8, 'cmd-1') });
    const before = await store.head();
    await expect(handleCommand(store, { streamId: 'counter-1', decider: counter, command: add(3, 'cmd-2') })).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    expect(await store.head()).toEqual(before);
  });

  it('a command that decides nothing appends nothing', async () => {
    const r = await handleCommand(store, { streamId: 'counter-1', decider: counter, command: add(0, 'cmd-1') });
    expect(r.appended).toBeNull();
    expect((await store.head()).size).toBe(0);
  });

  it('on a conflict it reloads, decides again on the new state, and still enforces the rule', async () => {
    // Fault injection: another writer appends between our read and our append, once.
    let injected = false;
    const racing: EventStore = Object.create(store);
    racing.readStream = async (id, from) => {
      const events = await store.readStream(id, from);
      if (!injected) {
        injected = true;
        await store.append(id, [newEvent({ type: 'Added', payload: { n: 6 } })], events.length === 0 ? 'noStream' : events.length - 1);
      }
      return events;
    };
    await expect(handleCommand(racing, { streamId: 'counter-1', decider: counter, command: add(5, 'cmd-1') })).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    expect((await store.readStream('counter-1')).map((e) => e.payload)).toEqual([{ n: 6 }]);
  });

  it('gives up with WRONG_EXPECTED_REVISION after the bounded number of retries', async () => {
    let reads = 0;
    const busy: EventStore = Object.create(store);
    busy.readStream = async (id, from) => {
      const events = await store.readStream(id, from);
      reads++;
      await store.append(id, [newEvent({ type: 'Added', payload: { n: 0 } })], 'any');
      return events;
    };
    await expect(handleCommand(busy, { streamId: 'counter-1', decider: counter, command: add(1, 'cmd-1'), maxRetries: 2 })).rejects.toMatchObject({ code: 'WRONG_EXPECTED_REVISION' });
    expect(reads).toBe(3);
  });

  it('the same command id retried after success is idempotent at the store', async () => {
    await handleCommand(store, { streamId: 'counter-1', decider: counter, command: add(2, 'cmd-1') });
    // A client that lost the answer replays the append with the same derived ids: nothing new.
    const again = await store.append('counter-1', [{ ...newEvent({ type: 'Added', payload: { n: 2 } }), eventId: deriveEventId('cmd-1', 0), correlationId: 'cmd-1', causationId: 'cmd-1' }], 'noStream');
    expect(again.position).toBe(0);
    expect((await store.head()).size).toBe(1);
  });
});
