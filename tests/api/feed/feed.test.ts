import { afterEach, describe, expect, it } from 'vitest';
import { mayRead } from '../../../src/domain/publicity.js';
import { FeedClient } from './sse-client.js';
import { CANARY, issueToken, principal, publicEvent, revokeToken, startFeedServer, writeMixed, type FeedServer } from './fixture.js';

let server: FeedServer | undefined;
const clients: FeedClient[] = [];
const open = async (url: string, headers: Record<string, string> = {}): Promise<FeedClient> => {
  const c = await FeedClient.open(url, headers);
  clients.push(c);
  return c;
};
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = undefined;
});

const positionsReadableBy = async (s: FeedServer, reader: Parameters<typeof mayRead>[0]): Promise<number[]> =>
  (await s.rt.store.readAll()).filter((e) => mayRead(reader, e.type)).map((e) => e.position);

describe('GET /feed (P2, V4)', () => {
  it('P2: an anonymous consumer gets the public events only, as CloudEvents 1.0, and never a non-public value (canaries)', async () => {
    server = await startFeedServer({ source: 'urn:suiji:test.example/ledger' });
    await writeMixed(server, 5);
    const expected = await positionsReadableBy(server, null);
    const c = await open(`${server.url}/feed`);
    expect(c.status).toBe(200);
    expect(c.headers['content-type']).toContain('text/event-stream');
    await c.until((x) => x.lastId() === expected.at(-1), 'the last public event');
    expect(c.ids()).toEqual(expected);
    const [first] = c.events();
    const recorded = (await server.rt.store.readAll({ from: expected[0]!, limit: 1 }))[0]!;
    expect(first).toEqual({
      specversion: '1.0',
      id: String(recorded.position),
      source: 'urn:suiji:test.example/ledger',
      type: 'cn.suiji.CeremonyValueRecorded',
      subject: 'draw-T1.primary',
      time: recorded.recordedAt,
      datacontenttype: 'application/json',
      schemaversion: 1,
      actordepartment: principal.department,
      data: recorded.payload,
    });
    // Live: a public event written now arrives, and still no canary in the raw bytes.
    await writeMixed(server, 1);
    const last = (await positionsReadableBy(server, null)).at(-1);
    await c.until((x) => x.lastId() === last, 'the live event');
    expect(c.raw).not.toContain(CANARY);
  });

  it('P2: an auditor gets every event its role may read, with the actor, and never a token secret hash', async () => {
    server = await startFeedServer();
    const { token } = await issueToken(server, 'aud-1', 'auditor');
    await writeMixed(server, 2);
    const auditor = { userId: 'aud-1', role: 'auditor', department: 'dept-a' } as const;
    const expected = await positionsReadableBy(server, auditor);
    expect(expected.length).toBe((await server.rt.store.head()).size);
    const c = await open(`${server.url}/feed`, { authorization: `Bearer ${token}` });
    await c.until((x) => x.lastId() === expected.at(-1), 'the last event');
    expect(c.ids()).toEqual(expected);
    const objection = c.events().find((e) => e.type === 'cn.suiji.ObjectionReceived')!;
    expect(objection).toMatchObject({ actoruserid: principal.userId, actorrole: 'principal', actordepartment: 'dept-a' });
    expect(JSON.stringify(objection.data)).toContain(CANARY);
    const issued = c.events().find((e) => e.type === 'cn.suiji.TokenIssued')!;
    expect(issued.data).not.toHaveProperty('secretHash');
  });

  it('P2: an inspector gets register and result events but no user or token event', async () => {
    server = await startFeedServer();
    const { token } = await issueToken(server, 'insp-1', 'inspector');
    await writeMixed(server, 1);
    const expected = await positionsReadableBy(server, { userId: 'insp-1', role: 'inspector', department: 'dept-a' });
    const c = await open(`${server.url}/feed`, { authorization: `Bearer ${token}` });
    await c.until((x) => x.lastId() === expected.at(-1), 'the last readable event');
    expect(c.ids()).toEqual(expected);
    expect(c.events().map((e) => e.type)).not.toContain('cn.suiji.UserRegistered');
    expect(c.events().map((e) => e.type)).toContain('cn.suiji.TargetStatusChanged');
  });

  it('filters: ?type=A,B and ?stream=prefix deliver only matching events', async () => {
    server = await startFeedServer();
    const { token } = await issueToken(server, 'aud-1', 'auditor');
    await writeMixed(server, 3);
    const all = await server.rt.store.readAll();
    const byType = all.filter((e) => e.type === 'ObjectionReceived' || e.type === 'CeremonyValueRecorded').map((e) => e.position);
    const c1 = await open(`${server.url}/feed?type=ObjectionReceived,CeremonyValueRecorded`, { authorization: `Bearer ${token}` });
    await c1.until((x) => x.lastId() === byType.at(-1), 'the last matching event');
    expect(c1.ids()).toEqual(byType);
    const byStream = all.filter((e) => e.streamId.startsWith('target-')).map((e) => e.position);
    const c2 = await open(`${server.url}/feed?stream=target-`, { authorization: `Bearer ${token}` });
    await c2.until((x) => x.lastId() === byStream.at(-1), 'the last target event');
    expect(c2.ids()).toEqual(byStream);
  });

  it('filters: an unknown type is a 400 naming the field; a type the reader may not read is a 403', async () => {
    server = await startFeedServer();
    const bad = await open(`${server.url}/feed?type=NoSuchEvent`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(await bad.body())).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: 'type' } });
    const forbidden = await open(`${server.url}/feed?type=NoticePublished,TokenIssued`);
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(await forbidden.body())).toMatchObject({ error: 'FORBIDDEN', details: { field: 'type', type: 'TokenIssued' } });
  });

  it('resume: a bad Last-Event-ID or ?after= is a 400 naming it, and so is a position past the head', async () => {
    server = await startFeedServer();
    await writeMixed(server, 1);
    for (const [headers, url, field] of [
      [{ 'last-event-id': 'abc' }, '/feed', 'last-event-id'],
      [{}, '/feed?after=-1', 'after'],
      [{}, '/feed?after=1e3', 'after'],
      [{}, '/feed?after=4', 'after'],
      [{ 'last-event-id': '999' }, '/feed?after=0', 'last-event-id'],
    ] as const) {
      const c = await open(`${server.url}${url}`, headers);
      expect(c.status, url).toBe(400);
      expect(JSON.parse(await c.body())).toMatchObject({ error: 'VALIDATION_FAILED', details: { field } });
    }
  });

  it('resume: Last-Event-ID wins over ?after= and the stream goes on right after it', async () => {
    server = await startFeedServer();
    await writeMixed(server, 3);
    const expected = await positionsReadableBy(server, null);
    const c = await open(`${server.url}/feed?after=0`, { 'last-event-id': String(expected[1]) });
    await c.until((x) => x.lastId() === expected.at(-1), 'the last event');
    expect(c.ids()).toEqual(expected.slice(2));
  });

  it('heartbeats: an idle stream carries SSE comment lines', async () => {
    server = await startFeedServer({ heartbeatMs: 20 });
    const c = await open(`${server.url}/feed`);
    await c.until((x) => x.frames.some((f) => f.comments.includes('heartbeat')), 'a heartbeat');
    expect(c.ids()).toEqual([]);
  });

  it('G3: a bad or revoked token is refused with 401', async () => {
    server = await startFeedServer();
    const { token, tokenId } = await issueToken(server, 'aud-1', 'auditor');
    const bad = await open(`${server.url}/feed`, { authorization: 'Bearer sj_nope' });
    expect(bad.status).toBe(401);
    await revokeToken(server, tokenId);
    const revoked = await open(`${server.url}/feed`, { authorization: `Bearer ${token}` });
    expect(revoked.status).toBe(401);
    expect(JSON.parse(await revoked.body())).toMatchObject({ error: 'UNAUTHENTICATED' });
  });

  it('G3: a token revoked while its stream is open ends the stream at the revocation, before any later event', async () => {
    server = await startFeedServer();
    const { token, tokenId } = await issueToken(server, 'aud-1', 'auditor');
    const c = await open(`${server.url}/feed`, { authorization: `Bearer ${token}` });
    await writeMixed(server, 1);
    const before = (await server.rt.store.head()).size - 1;
    await c.until((x) => x.lastId() === before, 'the events before the revocation');
    await revokeToken(server, tokenId);
    await writeMixed(server, 1);
    await c.until((x) => x.ended, 'the end of the stream');
    const error = c.frames.find((f) => f.event === 'error');
    expect(JSON.parse(error!.data!)).toMatchObject({ error: 'UNAUTHENTICATED', details: { lastEventId: String(before) } });
    expect(c.lastId()).toBe(before);
  });

  it('limits: a client gets at most maxConnectionsPerClient open streams (429 RATE_LIMITED), and a slot comes back when one closes', async () => {
    server = await startFeedServer({ maxConnectionsPerClient: 2 });
    const a = await open(`${server.url}/feed`);
    await open(`${server.url}/feed`);
    const third = await open(`${server.url}/feed`);
    expect(third.status).toBe(429);
    expect(JSON.parse(await third.body())).toMatchObject({ error: 'RATE_LIMITED', details: { field: 'ip', limit: 2 } });
    a.close();
    // The slot is given back when the server sees the close; retry until it has.
    let again = await open(`${server.url}/feed`);
    while (again.status === 429) {
      await again.body();
      again = await open(`${server.url}/feed`);
    }
    expect(again.status).toBe(200);
  });

  it('a public event with a user id canary in its actor shows the department only', async () => {
    server = await startFeedServer();
    await server.rt.store.append('draw-T1.primary', [publicEvent()], 'any');
    const c = await open(`${server.url}/feed`);
    await c.until((x) => x.lastId() === 0, 'the event');
    expect(c.events()[0]).not.toHaveProperty('actoruserid');
    expect(c.events()[0]).not.toHaveProperty('actorrole');
    expect(c.raw).not.toContain(CANARY);
  });

  it('shutdown: closing the server ends open streams with event: error SERVER_CLOSING instead of hanging', async () => {
    const s = await startFeedServer();
    await writeMixed(s, 1);
    const c = await open(`${s.url}/feed`);
    await c.until((x) => x.lastId() === 0, 'the first event');
    await s.close();
    await c.until((x) => x.ended, 'the end');
    expect(JSON.parse(c.frames.find((f) => f.event === 'error')!.data!)).toMatchObject({ error: 'SERVER_CLOSING', details: { lastEventId: '0' } });
  });

  it('a client that refuses text/event-stream still gets the stream (no uncoded 406)', async () => {
    server = await startFeedServer();
    const c = await open(`${server.url}/feed`, { accept: 'application/json' });
    expect(c.status).toBe(200);
    expect(c.headers['content-type']).toContain('text/event-stream');
  });

  it('limits: anonymous connections have a pool of their own, so they cannot lock token holders out', async () => {
    server = await startFeedServer({ maxConnectionsPerClient: 10, maxAnonymousConnections: 1 });
    const { token } = await issueToken(server, 'aud-1', 'auditor');
    expect((await open(`${server.url}/feed`)).status).toBe(200);
    const crowd = await open(`${server.url}/feed`);
    expect(crowd.status).toBe(429);
    expect(JSON.parse(await crowd.body())).toMatchObject({ error: 'RATE_LIMITED', details: { field: 'ip', limit: 1 } });
    expect((await open(`${server.url}/feed`, { authorization: `Bearer ${token}` })).status).toBe(200);
  });
});
