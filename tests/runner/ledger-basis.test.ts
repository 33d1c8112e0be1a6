/**
 * Issue 7 §4: read models remember the ledger prefix (size and root) they were built from.
 * Ahead of the ledger or from another history → dropped and rebuilt, /health degraded until
 * done, the log says why. Real ledger files, restored and swapped as an operator would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openRuntime, type Runtime } from '../../src/cli/runtime.js';
import { listTokens } from '../../src/projections/tokens/projection.js';
import { buildApp } from '../../src/api/app.js';
import { ProjectionRunner, openProjectionDb, type Projection } from '../../src/projections/index.js';
import { allProjections } from '../../src/projections/catalogue.js';
import { openSqliteStore, type EventStore } from '../../src/store/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { newEvents } from '../helpers/events.js';
import { issueToken, restoreLedger, snapshotLedger } from '../helpers/ledger-files.js';

/** A token the tokens read model lists as active (authentication itself reads the ledger since issue 7 §3). */
const inTokensReadModel = (db: Database.Database, token: string): boolean =>
  listTokens(db).some((t) => t.tokenId === token.slice(3, 19) && t.status === 'active');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const dir = (): string => {
  const d = tempDir('suiji-basis-');
  cleanups.push(d.remove);
  return d.path;
};

interface Logged {
  readonly level: 'warn' | 'info';
  readonly message: string;
  readonly details: Record<string, unknown>;
}

async function open(dataDir: string, logs: Logged[] = []): Promise<Runtime> {
  const rt = await openRuntime(dataDir, {
    acceptRollback: true,
    warn: (message, details) => logs.push({ level: 'warn', message, details }),
    info: (message, details) => logs.push({ level: 'info', message, details }),
  });
  cleanups.push(() => rt.close());
  return rt;
}

/** Tokens `kept` are in the restored copy; tokens `lost` were issued after it and were caught up by the read models. */
async function rolledBackLedger(): Promise<{ data: string; kept: string[]; lost: string[] }> {
  const data = dir();
  const old = dir();
  const rt = await openRuntime(data);
  const kept = [await issueToken(rt.store), await issueToken(rt.store)];
  await rt.projections.catchUp();
  snapshotLedger(data, old);
  const lost = [await issueToken(rt.store), await issueToken(rt.store), await issueToken(rt.store)];
  await rt.projections.catchUp();
  for (const t of lost) expect(inTokensReadModel(rt.projectionDb, t)).toBe(true);
  await rt.close();
  restoreLedger(old, data);
  return { data, kept, lost };
}

describe('issue 7 §4: read models ahead of the ledger', () => {
  it('regression (read models at 5, ledger rolled back to 2): start rebuilds them, tokens issued in the lost events stop working, the log says why', async () => {
    const { data, kept, lost } = await rolledBackLedger();
    const logs: Logged[] = [];
    const rt = await open(data, logs);
    await rt.projections.start();
    expect(rt.projections.status).toMatchObject({ state: 'rebuilding', reason: 'ahead-of-ledger' });
    await rt.projections.whenCurrent();
    expect(rt.projections.status).toEqual({ state: 'current' });

    for (const t of lost) expect(inTokensReadModel(rt.projectionDb, t)).toBe(false);
    for (const t of kept) expect(inTokensReadModel(rt.projectionDb, t)).toBe(true);
    const warn = logs.find((l) => l.level === 'warn' && l.message.startsWith('rebuilding read models'));
    expect(warn?.message).toContain('read models are at 5 events but the ledger has 2');
    expect(warn?.details).toMatchObject({ reason: 'ahead-of-ledger', basisSize: 5, ledgerSize: 2 });
    expect(logs.some((l) => l.level === 'info' && l.message === 'read models rebuilt from the ledger')).toBe(true);
  });

  it('regression (a write after the rollback answered 201 then 404): new events at the lost positions are applied', async () => {
    const { data } = await rolledBackLedger();
    const rt = await open(data);
    await rt.projections.start();
    await rt.projections.whenCurrent();
    const fresh = await issueToken(rt.store); // position 2: a position the old read models had already passed
    await rt.projections.catchUp();
    expect(inTokensReadModel(rt.projectionDb, fresh)).toBe(true);
  });

  it('regression (/health said lag 0 while read models were ahead): /health is 503 degraded with the reason until the rebuild is done', async () => {
    const { data, lost } = await rolledBackLedger();
    const rt = await open(data);
    // The ledger's reads wait at a gate, so the rebuild is observably under way (a fault injected into timing only).
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = new Proxy(rt.store, {
      get(target, key) {
        if (key === 'forEachEvent') return undefined;
        if (key === 'readAll') return async (o: Parameters<EventStore['readAll']>[0]) => (await gate, target.readAll(o));
        const v: unknown = Reflect.get(target, key);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const runner = new ProjectionRunner(slow, rt.projectionDb, allProjections(), { warn: () => undefined, info: () => undefined });
    const app = await buildApp({ store: rt.store, projections: runner });
    cleanups.push(() => app.close());
    await runner.start();

    const during = await app.inject({ method: 'GET', url: '/health' });
    expect(during.statusCode).toBe(503);
    expect(during.json()).toMatchObject({ status: 'degraded', store: 'reachable', ledger: { size: 2 }, projections: { state: 'rebuilding', reason: 'ahead-of-ledger' } });
    expect(during.json().projections.detail).toContain('read models are at 5 events but the ledger has 2');
    // Dropped at once: nothing from the lost events is served while the rebuild runs.
    expect(inTokensReadModel(rt.projectionDb, lost[0]!)).toBe(false);

    release();
    await runner.whenCurrent();
    const after = await app.inject({ method: 'GET', url: '/health' });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({ status: 'ok', projections: { lag: 0, state: 'current' } });
    await runner.stop();
  });
});

describe('issue 7 §4: read models from another history', () => {
  it('a ledger of the same size but another history is detected at start (different-history) and rebuilt', async () => {
    const data = dir();
    const other = dir();
    const a = await openRuntime(data);
    const tokenA = await issueToken(a.store);
    await a.projections.catchUp();
    await a.close();
    const b = await openRuntime(other);
    const tokenB = await issueToken(b.store);
    await b.close();
    restoreLedger(other, data);
    rmSync(join(data, 'checkpoint')); // the swap also removed the kept checkpoint
    const logs: Logged[] = [];
    const rt = await open(data, logs);
    await rt.projections.start();
    expect(rt.projections.status).toMatchObject({ state: 'rebuilding', reason: 'different-history' });
    await rt.projections.whenCurrent();
    expect(inTokensReadModel(rt.projectionDb, tokenA)).toBe(false);
    expect(inTokensReadModel(rt.projectionDb, tokenB)).toBe(true);
  });

  it('on catch-up in a running process: a consistent rollback under it is detected and rebuilt (tokens of the lost events refused)', async () => {
    const data = dir();
    const old = dir();
    const rt = await open(data);
    const kept = await issueToken(rt.store);
    await rt.projections.catchUp();
    await rt.checkpoint.flush();
    const db = new Database(join(data, 'suiji.db'));
    cleanups.push(() => void db.close());
    db.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(join(data, 'suiji.db'), join(old, 'suiji.db'));
    const lost = await issueToken(rt.store);
    await rt.projections.catchUp();
    expect(inTokensReadModel(rt.projectionDb, lost)).toBe(true);
    db.exec(`ATTACH '${join(old, 'suiji.db')}' AS old`);
    db.transaction(() => {
      for (const t of ['events', 'streams', 'ledger_head', 'checkpoints']) db.exec(`DELETE FROM main.${t}; INSERT INTO main.${t} SELECT * FROM old.${t};`);
    })();

    await rt.projections.catchUp();
    expect(inTokensReadModel(rt.projectionDb, lost)).toBe(false);
    expect(inTokensReadModel(rt.projectionDb, kept)).toBe(true);
  });
});

describe('issue 7 §4: read models without a recorded basis', () => {
  it('read models built before the basis was recorded are rebuilt once, then resume normally', async () => {
    const data = dir();
    const first = await openRuntime(data);
    const token = await issueToken(first.store);
    await first.projections.catchUp();
    await first.close();
    const pdb = openProjectionDb(data);
    pdb.exec('DROP TABLE projection_basis');
    pdb.close();

    const logs: Logged[] = [];
    const rt = await open(data, logs);
    await rt.projections.start();
    expect(rt.projections.status).toMatchObject({ state: 'rebuilding', reason: 'no-basis' });
    await rt.projections.whenCurrent();
    expect(inTokensReadModel(rt.projectionDb, token)).toBe(true);
    await rt.close();

    const again = await open(data, logs);
    await again.projections.start();
    expect(again.projections.status).toEqual({ state: 'current' });
    expect(logs.filter((l) => l.message.startsWith('rebuilding'))).toHaveLength(1);
  });
});

describe('issue 7 §4: a rebuild that fails', () => {
  it('stays degraded (rebuilding) and logs it, until a later catch-up completes the read models', async () => {
    const data = dir();
    const store = openSqliteStore({ dataDir: data });
    cleanups.push(() => store.close());
    await store.append('s', newEvents(4), 'noStream');
    let failing = false;
    const applied: number[] = [];
    const flaky: Projection = {
      name: 'flaky',
      version: 1,
      setup: () => undefined,
      reset: () => void applied.splice(0),
      apply: (_db, e) => {
        if (failing) throw new Error('disk full (injected)');
        applied.push(e.position);
      },
    };
    const db = openProjectionDb(data);
    cleanups.push(() => void db.close());
    await new ProjectionRunner(store, db, [flaky]).catchUp();
    db.exec('DROP TABLE projection_basis');

    const logs: Logged[] = [];
    const runner = new ProjectionRunner(store, db, [flaky], {
      warn: (message, details) => logs.push({ level: 'warn', message, details }),
      info: (message, details) => logs.push({ level: 'info', message, details }),
    });
    failing = true;
    await runner.start();
    await expect(runner.whenCurrent()).rejects.toThrow('disk full (injected)');
    expect(runner.status).toMatchObject({ state: 'rebuilding', reason: 'no-basis' });
    expect(logs.some((l) => l.message === 'rebuild failed')).toBe(true);

    failing = false;
    await runner.catchUp();
    expect(runner.status).toEqual({ state: 'current' });
    expect(applied).toEqual([0, 1, 2, 3]);
    await runner.stop();
  });
});
