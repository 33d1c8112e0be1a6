/**
 * V3: a drand round fetched from an HTTP relay is trusted only after its BLS signature
 * verifies against the pinned quicknet key. The relay here is a real HTTP server on loopback
 * serving real quicknet rounds (tests/vectors/lottery/drand-quicknet.json) — and, to inject
 * faults, rounds it has tampered with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchDrandRound } from '../../src/cli/drand-fetch.js';
import { QUICKNET_CHAIN_HASH } from '../../src/verify/index.js';

interface Round {
  readonly round: number;
  readonly signature: string;
  readonly randomness: string;
}
const rounds = (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'vectors', 'lottery', 'drand-quicknet.json'), 'utf8')) as { rounds: Round[] }).rounds;
const flip = (hex: string): string => (hex[5] === '0' ? `${hex.slice(0, 5)}1` : `${hex.slice(0, 5)}0`) + hex.slice(6);

describe('V3: fetching a drand round from a relay', () => {
  let server: Server;
  let relay: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const m = /^\/(lying\/|wrong-round\/)?([0-9a-f]{64})\/public\/(\d+)$/.exec(req.url ?? '');
      const r = m && m[2] === QUICKNET_CHAIN_HASH ? rounds.find((x) => x.round === Number(m[3])) : undefined;
      if (!m || !r) return void res.writeHead(404).end('{"error":"not found"}');
      const body = m[1] === 'lying/' ? { ...r, signature: flip(r.signature) } : m[1] === 'wrong-round/' ? { ...r, round: r.round + 1 } : r;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    relay = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('V3: a real round from the relay verifies and is returned', async () => {
    const r = rounds[3]!;
    expect(await fetchDrandRound(relay, r.round)).toEqual({ round: r.round, signature: r.signature });
  });

  it('V3: a relay that alters the signature is refused (BLS check), nothing returned', async () => {
    await expect(fetchDrandRound(`${relay}/lying`, rounds[0]!.round)).rejects.toMatchObject({ code: 'DRAND_RELAY_UNAVAILABLE', status: 502, details: { field: '--relay', reason: 'unverified' } });
  });

  it('V3: a relay that answers another round than asked is refused', async () => {
    await expect(fetchDrandRound(`${relay}/wrong-round`, rounds[0]!.round)).rejects.toMatchObject({ code: 'DRAND_RELAY_UNAVAILABLE', details: { reason: 'unverified' } });
  });

  it('regression (a relay fetch failure was called STORE_UNAVAILABLE): a missing round or an unreachable relay is DRAND_RELAY_UNAVAILABLE (502), never STORE_UNAVAILABLE', async () => {
    await expect(fetchDrandRound(relay, 999_999_999)).rejects.toMatchObject({ code: 'DRAND_RELAY_UNAVAILABLE', status: 502, details: { field: '--relay', round: 999_999_999, reason: 'http-status' } });
    await expect(fetchDrandRound('http://127.0.0.1:9', rounds[0]!.round, QUICKNET_CHAIN_HASH, 2_000)).rejects.toMatchObject({
      code: 'DRAND_RELAY_UNAVAILABLE',
      details: { reason: 'unreachable' },
    });
    await expect(fetchDrandRound('not a url', 1)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
