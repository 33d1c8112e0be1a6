import { afterEach, describe, expect, it } from 'vitest';
import { SERVER_IMPORT_BATCH, TARGET_COLUMNS } from '../../../src/app/registers-io/index.js';
import type { StreamWrite } from '../../../src/store/port.js';
import { yieldToEventLoop } from '../../../src/store/time-slice.js';
import { makeZip, xlsxParts } from '../../helpers/zip.js';
import { freshUscc, openHarness, type Harness } from './harness.js';

const headers = Object.values(TARGET_COLUMNS);
const row = (uscc: string, jurisdiction = 'dept-a'): string[] => [uscc, '沂源县示范加油站有限公司', '企业', '小型', 'F5265', '南麻街道', jurisdiction, 'B', 'A', '否', '否', '是', '0', '存续'];
const csv = (rows: string[][]): string => [headers, ...rows].map((r) => r.join(',')).join('\r\n');
const csvHeaders = { 'content-type': 'text/csv; charset=utf-8' };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('POST /imports does not freeze the server (issue 8 §1: /health waited 46.5 s for a 40,000-row import)', () => {
  it('a GET /health sent while a large import is being written is answered before the import finishes', async () => {
    h = await openHarness();
    const before = (await h.head()).size;
    const order: string[] = [];
    const body = csv(Array.from({ length: 3_000 }, () => row(freshUscc())));
    const importing = h.call('opA', 'POST', '/imports?kind=targets', body, csvHeaders).then((res) => {
      order.push('import');
      return res;
    });
    // Wait, turn by turn, until the import has written its first batch: it is under way.
    while ((await h.head()).size === before) await yieldToEventLoop();
    const health = await h.app.inject({ method: 'GET', url: '/health' });
    order.push('health');
    expect(health.statusCode).toBe(200);
    const res = await importing;
    expect(res.json()).toMatchObject({ total: 3_000, created: 3_000 });
    expect(order).toEqual(['health', 'import']);
  });

  it('regression (a 200-row ledger append held every register read up to 65 ms on the server thread): POST /imports appends at most SERVER_IMPORT_BATCH rows at a time', async () => {
    h = await openHarness();
    const store = h.rt.store;
    const appendMulti = store.appendMulti.bind(store);
    const sizes: number[] = [];
    // Observes the real store (nothing faked): how many events each ledger transaction carries.
    store.appendMulti = async (writes: readonly StreamWrite[]) => {
      sizes.push(writes.reduce((n, w) => n + w.events.length, 0));
      return appendMulti(writes);
    };
    const rows = 2 * SERVER_IMPORT_BATCH + 20;
    const res = await h.call('opA', 'POST', '/imports?kind=targets', csv(Array.from({ length: rows }, () => row(freshUscc()))), csvHeaders);
    expect(res.json()).toMatchObject({ total: rows, created: rows });
    expect(sizes).toEqual([SERVER_IMPORT_BATCH, SERVER_IMPORT_BATCH, 20]);
  });

  it('a hostile XLSX (417 MB declared) over HTTP is a 413 naming maxUncompressedBytes, and writes nothing', async () => {
    h = await openHarness();
    const before = await h.head();
    const bomb = makeZip(xlsxParts({ raw: new Uint8Array(1000).fill(0xab), declaredSize: 417 * 1024 * 1024 }));
    const res = await h.call('opA', 'POST', '/imports', { kind: 'targets', format: 'xlsx', contentBase64: Buffer.from(bomb).toString('base64') });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'PAYLOAD_TOO_LARGE', details: { field: 'file', limit: 'maxUncompressedBytes' } });
    expect(res.json().messageZh).toContain('maxUncompressedBytes');
    expect(await h.head()).toEqual(before);
  });
});

describe('POST /imports returns the CSV report too (issue 8 §2)', () => {
  it('the JSON report carries reportCsv; Accept: text/csv answers with the CSV itself', async () => {
    h = await openHarness();
    const body = csv([row(freshUscc()), row(freshUscc(), 'dept-b')]);
    const json = await h.call('opA', 'POST', '/imports?kind=targets', body, csvHeaders);
    expect(json.statusCode).toBe(200);
    const lines = json.json().reportCsv.split('\r\n');
    expect(lines[0]).toBe('\uFEFF行号,列,错误代码,原值,错误说明,Error');
    expect(lines[1]).toMatch(/^3,管辖部门,FORBIDDEN,/);
    const asCsv = await h.call('opA', 'POST', '/imports?kind=targets', body, { ...csvHeaders, accept: 'text/csv' });
    expect(asCsv.statusCode).toBe(200);
    expect(asCsv.headers['content-type']).toContain('text/csv');
    expect(asCsv.body).toBe(json.json().reportCsv);
  });
});

describe('rate limit and proxies (issue 8 §1)', () => {
  it('GET /health is not behind the anonymous rate limit', async () => {
    h = await openHarness({ publicRateLimit: { max: 2, timeWindow: 60_000 } });
    for (let i = 0; i < 6; i++) expect((await h.call('anonymous', 'GET', '/health')).statusCode).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await h.call('anonymous', 'GET', '/docs/json')).statusCode);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('with trustProxy, anonymous clients behind one proxy are limited each on their own address', async () => {
    h = await openHarness({ publicRateLimit: { max: 1, timeWindow: 60_000 }, trustProxy: true });
    const from = (ip: string) => h!.call('anonymous', 'GET', '/docs/json', undefined, { 'x-forwarded-for': ip });
    expect((await from('203.0.113.1')).statusCode).toBe(200);
    expect((await from('203.0.113.2')).statusCode).toBe(200);
    expect((await from('203.0.113.1')).statusCode).toBe(429);
  });

  it('without trustProxy, X-Forwarded-For is ignored: the clients are one (the default, safe when not behind a proxy)', async () => {
    h = await openHarness({ publicRateLimit: { max: 1, timeWindow: 60_000 } });
    const from = (ip: string) => h!.call('anonymous', 'GET', '/docs/json', undefined, { 'x-forwarded-for': ip });
    expect((await from('203.0.113.1')).statusCode).toBe(200);
    expect((await from('203.0.113.2')).statusCode).toBe(429);
  });
});
