import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../../src/api/app.js';
import type { FeedOptions } from '../../../src/api/routes/feed.js';
import { mintToken } from '../../../src/api/tokens.js';
import { openRuntime, type Runtime } from '../../../src/cli/runtime.js';
import type { Actor } from '../../../src/domain/actor.js';
import { tokenDecider, tokenStreamId } from '../../../src/domain/tokens/index.js';
import { handleCommand } from '../../../src/store/handle-command.js';
import type { NewEvent } from '../../../src/store/port.js';
import { tempDir } from '../../helpers/temp-dir.js';

/** Canary values planted in every non-public place; none may reach an anonymous consumer. */
export const CANARY = 'CANARY7f3e';

export const principal: Actor = { userId: `${CANARY}-principal`, role: 'principal', department: 'dept-a' };
const admin: Actor = { userId: 'admin-1', role: 'admin', department: 'bureau' };

export interface FeedServer {
  readonly rt: Runtime;
  readonly app: FastifyInstance;
  readonly url: string;
  close(): Promise<void>;
}

/** A real SQLite ledger and the API listening on a free port. */
export async function startFeedServer(feed: FeedOptions = {}): Promise<FeedServer> {
  const dir = tempDir('suiji-feed-');
  const rt = await openRuntime(dir.path);
  const app = await buildApp({ store: rt.store, projections: rt.projections }, { publicRateLimit: false, feed: { heartbeatMs: 60_000, ...feed } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    rt,
    app,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await rt.close();
      dir.remove();
    },
  };
}

const event = (type: string, payload: unknown, actor: Actor = principal): NewEvent => ({ eventId: randomUUID(), type, actor, correlationId: randomUUID(), payload });

let seq = 0;
/** A public event (V4: a draw's ceremony value) whose actor's user id is a canary. */
export const publicEvent = (size = 16): NewEvent => event('CeremonyValueRecorded', { drawId: 'T1.primary.1', value: `v${++seq}`.padEnd(size, 'x') });
/** Internal events, each with a canary in a payload field. */
export const internalEvents = (): NewEvent[] => [
  event('ObjectionReceived', { visitId: 'v-1', objection: ++seq, channel: 'public', uscc: '91330100MA27XL9K4M', contact: `${CANARY} 13800000000`, statement: `${CANARY} statement`, receivedOn: '2026-11-25', receivedBy: null }),
  event('UserDeactivated', { userId: `u-${seq}`, reason: `${CANARY} reason` }),
  event('TargetStatusChanged', { uscc: '91330100MA27XL9K4M', from: 'active', status: 'deregistered', reason: `${CANARY} target` }),
];

/** A mixed write: one public event, then internal ones, each append its own call (as commands do). */
export async function writeMixed(server: FeedServer, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await server.rt.store.append('draw-T1.primary', [publicEvent()], 'any');
    const [objection, user, target] = internalEvents();
    await server.rt.store.append('result-v-1', [objection!], 'any');
    await server.rt.store.append(`user-${CANARY}`, [user!], 'any');
    await server.rt.store.append('target-91330100MA27XL9K4M', [target!], 'any');
  }
}

/** A token for a registered user (so its standing is checked on the ledger, G3). */
export async function issueToken(server: FeedServer, userId: string, role: 'auditor' | 'inspector' | 'operator', department = 'dept-a'): Promise<{ token: string; tokenId: string }> {
  await server.rt.store.append(`user-${userId}`, [event('UserRegistered', { userId, name: `${CANARY} name`, role, department }, admin)], 'any');
  const t = mintToken();
  await handleCommand(server.rt.store, {
    streamId: tokenStreamId(t.tokenId),
    decider: tokenDecider,
    command: { type: 'IssueToken', data: { tokenId: t.tokenId, userId, role, department, secretHash: t.secretHash }, metadata: { actor: admin, now: '2026-11-25T08:00:00.000Z', commandId: randomUUID() } },
  });
  await server.rt.projections.catchUp();
  return { token: t.token, tokenId: t.tokenId };
}

export async function revokeToken(server: FeedServer, tokenId: string): Promise<void> {
  await handleCommand(server.rt.store, {
    streamId: tokenStreamId(tokenId),
    decider: tokenDecider,
    command: { type: 'RevokeToken', data: { tokenId, reason: 'left' }, metadata: { actor: admin, now: '2026-11-25T09:00:00.000Z', commandId: randomUUID() } },
  });
}
