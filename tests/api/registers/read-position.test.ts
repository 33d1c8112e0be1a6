import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FOREIGN_CATCH_UP_MAX, LEDGER_HEAD_HEADER, READ_POSITION_HEADER } from '../../../src/api/routes/registers/common.js';
import { SuijiError } from '../../../src/domain/errors.js';
import { routeRegisterCommand, type RegisterCommand } from '../../../src/domain/registers/index.js';
import { toNewEvents } from '../../../src/store/handle-command.js';
import { openStore } from '../../../src/store/index.js';
import { testStoreFor } from '../../helpers/test-store.js';
import type { StreamWrite } from '../../../src/store/port.js';
import { freshUscc, openHarness, people, targetBody, type Harness } from './harness.js';

/** Far more than a read applies of other processes' events (FOREIGN_CATCH_UP_MAX). */
const BACKLOG = 20_000;

/** A second store object on the same ledger: to the server's store, exactly another process's appends. */
async function appendElsewhere(h: Harness, targets: number): Promise<void> {
  // Another process on the same ledger, whichever store the fixture uses.
  const other = await openStore({ dataDir: h.rt.dataDir, store: await testStoreFor(h.rt.dataDir) });
  try {
    const writes: StreamWrite[] = [];
    for (let i = 0; i < targets; i++) {
      const command = { type: 'RegisterTarget', data: targetBody(freshUscc(), 'dept-a'), metadata: { actor: people.opA, now: new Date().toISOString(), commandId: randomUUID() } } as RegisterCommand;
      routeRegisterCommand(command, ({ streamId, decider, command: c }) => {
        const decided = decider.decide(c, decider.initialState);
        if (decided instanceof SuijiError) throw decided;
        writes.push({ streamId, events: toNewEvents(c, decided), expected: 'noStream' });
      });
    }
    for (let i = 0; i < writes.length; i += 2_000) await other.appendMulti(writes.slice(i, i + 2_000));
  } finally {
    await other.close();
  }
}

const positionOf = (headers: Record<string, unknown>) => ({ read: Number(headers[READ_POSITION_HEADER]), head: Number(headers[LEDGER_HEAD_HEADER]) });

describe('register reads never wait for a writer (issue 8 §1: a read waited up to 1.2 s for another process\'s import)', () => {
  it('a read issued while another process has appended far ahead is answered before the catch-up finishes, and says how stale it is', async () => {
    const h = await openHarness();
    try {
      const before = (await h.head()).size;
      await appendElsewhere(h, BACKLOG);
      const head = (await h.head()).size;
      expect(head - before).toBe(BACKLOG);
      // h.app.inject directly: the harness's call() would catch up first; the runner is not following.
      const stale = await h.app.inject({ method: 'GET', url: '/targets?limit=1', headers: { authorization: h.bearer('auditor') } });
      expect(stale.statusCode, stale.body).toBe(200);
      const p = positionOf(stale.headers);
      expect(p.head).toBe(head);
      // Nothing of the backlog was waited for: the answer is the read models as they were.
      expect(p.read).toBe(before);
      expect(h.rt.projections.position).toBe(before);

      // Once the read models have caught up, the same read says so.
      await h.rt.projections.catchUp();
      const fresh = await h.app.inject({ method: 'GET', url: '/targets?limit=1', headers: { authorization: h.bearer('auditor') } });
      expect(positionOf(fresh.headers)).toEqual({ read: head, head });
    } finally {
      await h.close();
    }
  });

  it('a client\'s own write through this server is in its next read, even behind another process\'s backlog', async () => {
    const h = await openHarness();
    try {
      await appendElsewhere(h, BACKLOG);
      const uscc = freshUscc();
      const auth = { authorization: h.bearer('opA') };
      const post = await h.app.inject({ method: 'POST', url: '/targets', headers: auth, payload: targetBody(uscc, 'dept-a') });
      expect(post.statusCode, post.body).toBe(201);
      const position = (JSON.parse(post.body) as { position: number }).position;
      const get = await h.app.inject({ method: 'GET', url: `/targets/${uscc}`, headers: auth });
      expect(get.statusCode, get.body).toBe(200);
      expect(positionOf(get.headers).read).toBeGreaterThan(position);
    } finally {
      await h.close();
    }
  });

  it('a few events another process appended (another server\'s write) are in the next read', async () => {
    const h = await openHarness();
    try {
      const before = await h.call('auditor', 'GET', '/targets?limit=1');
      const total = (JSON.parse(before.body) as { total: number }).total;
      await appendElsewhere(h, 3);
      const head = (await h.head()).size;
      expect(head - positionOf(before.headers).head).toBeLessThanOrEqual(FOREIGN_CATCH_UP_MAX);
      const after = await h.app.inject({ method: 'GET', url: '/targets?limit=1', headers: { authorization: h.bearer('auditor') } });
      expect(positionOf(after.headers)).toEqual({ read: head, head });
      expect((JSON.parse(after.body) as { total: number }).total).toBe(total + 3);
    } finally {
      await h.close();
    }
  });

  it('a read with nothing pending answers at the ledger head', async () => {
    const h = await openHarness();
    try {
      const r = await h.call('auditor', 'GET', '/targets?limit=1');
      expect(r.statusCode).toBe(200);
      const head = (await h.head()).size;
      expect(positionOf(r.headers)).toEqual({ read: head, head });
    } finally {
      await h.close();
    }
  });
});
