/**
 * Responsiveness (issue 8 §1): latency of `GET /health` and of a register read (`GET /targets`,
 * first page) on a real server (SQLite ledger, projections following live, HTTP over a socket)
 * while
 *   1. nothing else runs (the same-run baseline),
 *   2. a BENCH_RESP_ROWS-row CSV import runs over HTTP (`POST /imports`),
 *   3. the same size of import runs from the CLI in another process (the server catches up),
 *   4. nothing runs again, with the read models 2 × BENCH_RESP_ROWS targets larger (the read's own cost),
 *   5. hostile XLSX files (417 MB declared, a real deflate bomb) are being refused. Known problem
 *      (imp2): with the province limits this server runs under, the 1,200,000-row "bomb" is within
 *      the limits and is read in full, ten times: scenario 5 then outlasts any session. Give it a
 *      county-limited server (or skip it) before relying on it; scenario 2's result is written first.
 * Goal: p99 ≤ 100 ms and max ≤ 250 ms in every scenario. The client runs in its own process
 * (bench/resp-client.ts), as an outside client would: on 2 cores it competes for CPU with the
 * server (and, in scenario 3, with the importing CLI).
 *
 *   BENCH_RESP_ROWS (default 1000000: issue 13's goal holds while a 1,000,000-row import runs)
 *   BENCH_RESP_CLI (default 1)   0 skips scenario 3 (another 1,000,000-row import, from the CLI)
 *
 * The server runs with the province import limits (SUIJI_IMPORT_LIMITS=province): a
 * 1,000,000-row CSV (~130 MB) is over the county's 20 MiB. The CSV files are written to disk
 * a chunk at a time (bench/import.ts writeCsv), never built in the server's own heap.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/api/app.js';
import { provinceImportLimits } from '../src/app/registers-io/index.js';
import { writeCsv } from './import.js';
import { openRuntime } from '../src/cli/runtime.js';
import { seedDemoAdmin } from './demo-admin.js';
import { envInt, writeResult } from './util.js';

const GOAL = { p99Ms: 100, maxMs: 250 };

interface Stats {
  readonly n: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meetsGoal: boolean;
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number): number => Math.round((s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0) * 10) / 10;
  const r = { n: s.length, p50Ms: q(0.5), p99Ms: q(0.99), maxMs: Math.round((s.at(-1) ?? 0) * 10) / 10 };
  return { ...r, meetsGoal: r.p99Ms <= GOAL.p99Ms && r.maxMs <= GOAL.maxMs };
}

/**
 * Samples both reads one after the other, in the client process, until `until` settles (at
 * least `min` rounds).
 */
async function sample(client: ChildProcess, base: string, bearer: string, until: Promise<unknown>, min = 0): Promise<{ health: Stats; registerRead: Stats }> {
  const reply = new Promise<{ health: number[]; read: number[]; error: string | null }>((resolve) => client.once('message', resolve as (m: unknown) => void));
  client.send({ base, bearer, min });
  await until.finally(() => client.send('stop'));
  const { health, read, error } = await reply;
  if (error) throw new Error(error);
  return { health: stats(health), registerRead: stats(read) };
}


/** A sheet of `rows` one-cell rows, deflated: under the size limit, so it is the row limit that stops it while streaming. */
function realBomb(rows: number): { zip: Uint8Array; inflated: number } {
  const row = (r: number): string => `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>x</t></is></c></row>`;
  const sheet = Buffer.from(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${Array.from({ length: rows }, (_, i) => row(i + 1)).join('')}</sheetData></worksheet>`);
  return { zip: zipOne('xl/worksheets/sheet1.xml', deflateRawSync(sheet, { level: 9 }), sheet.length), inflated: sheet.length };
}

/** One-entry zip (APPNOTE.TXT §4.3) with the given compressed body and declared size. */
function zipOne(name: string, body: Uint8Array, size: number): Uint8Array {
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(n.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + n.length, 12);
  end.writeUInt32LE(30 + n.length + body.length, 16);
  return new Uint8Array(Buffer.concat([local, n, body, central, n, end]));
}

/** One POST with no response deadline (the import's own time is what is measured). */
function postLong(url: string, headers: Record<string, string>, body: Uint8Array): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(0);
    req.on('error', reject);
    req.end(body);
  });
}

export async function benchResponsiveness(): Promise<object> {
  const rows = envInt('BENCH_RESP_ROWS', 1_000_000);
  const withCli = envInt('BENCH_RESP_CLI', 1) !== 0;
  const dir = mkdtempSync(join(tmpdir(), 'suiji-bench-resp-'));
  const loadBefore = loadavg().map((l) => Math.round(l * 100) / 100);
  const rt = await openRuntime(join(dir, 'data'));
  try {
    const bearer = await seedDemoAdmin(rt.store);
    await rt.projections.start();
    const app = await buildApp({ store: rt.store, projections: rt.projections, importLimits: provinceImportLimits }, { publicRateLimit: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const client = fork(join(process.cwd(), 'dist', 'bench', 'resp-client.js'), [], { stdio: 'ignore', serialization: 'json' });
    try {
      const idle = await sample(client, base, bearer, Promise.resolve(), 300);

      const httpFile = join(dir, 'http.csv');
      writeCsv(httpFile, 1, rows);
      const httpCsv = readFileSync(httpFile);
      const t0 = performance.now();
      // node:http, not fetch: fetch gives up on a response whose headers take over 300 s (undici's
      // headersTimeout), and a 1,000,000-row import answers only when it is done.
      const httpImport = postLong(`${base}/imports?kind=targets&fileName=bench.csv`, { authorization: bearer, 'content-type': 'text/csv' }, httpCsv).then(({ status, body }) => {
        const report = JSON.parse(body) as { created?: number };
        return { status, created: report.created ?? 0, ms: Math.round(performance.now() - t0) };
      });
      const duringHttp = await sample(client, base, bearer, httpImport);
      const httpResult = await httpImport;
      // Kept at once: the later scenarios take as long again on a busy machine.
      writeResult('responsiveness', { goal: GOAL, rows, partial: 'scenario 2 (POST /imports) done; later scenarios still running', loadAverage: { before: loadBefore, now: loadavg().map((l) => Math.round(l * 100) / 100) }, scenarios: { idle, httpImport: { ...duringHttp, import: httpResult } } });

      let duringCli: Awaited<ReturnType<typeof sample>> | 'skipped (BENCH_RESP_CLI=0)' = 'skipped (BENCH_RESP_CLI=0)';
      let cliResult: { exitCode: number | null; ms: number } | null = null;
      if (withCli) {
        const cliFile = join(dir, 'cli.csv');
        writeCsv(cliFile, 2, rows);
        const t1 = performance.now();
        // CLI writes act as a registered user (issue 8 §2): the demo county's admin.
        const cli = new Promise<{ exitCode: number | null; ms: number }>((resolve) => {
          const child = spawn(process.execPath, [join(process.cwd(), 'dist', 'src', 'cli', 'main.js'), 'import', 'targets', cliFile, '--user', 'yy-admin', '--data', join(dir, 'data')], { stdio: 'ignore', env: { ...process.env, SUIJI_IMPORT_LIMITS: 'province' } });
          child.on('exit', (code) => resolve({ exitCode: code, ms: Math.round(performance.now() - t1) }));
        }).then(async (r) => {
          // The server's catch-up on the other process's events is part of the scenario.
          while ((await rt.projections.lag()) > 0) await new Promise((res) => setTimeout(res, 20));
          return r;
        });
        duringCli = await sample(client, base, bearer, cli);
        cliResult = await cli;
      }

      // Quiet again, with the read models 1–2 × BENCH_RESP_ROWS targets larger: what the read itself costs now.
      const idleAfterImports = await sample(client, base, bearer, Promise.resolve(), 300);

      const liar = zipOne('xl/worksheets/sheet1.xml', new Uint8Array(1000).fill(0xab), 417 * 1024 * 1024);
      const { zip: bomb, inflated } = realBomb(1_200_000);
      const hostile = (async () => {
        const statuses: number[] = [];
        for (let i = 0; i < 10; i++) {
          for (const file of [liar, bomb]) {
            const r = await fetch(`${base}/imports`, { method: 'POST', headers: { authorization: bearer, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'targets', format: 'xlsx', contentBase64: Buffer.from(file).toString('base64') }) });
            await r.arrayBuffer();
            statuses.push(r.status);
          }
        }
        return statuses;
      })();
      const duringHostile = await sample(client, base, bearer, hostile, 50);
      const hostileStatuses = await hostile;

      const result = {
        goal: GOAL,
        rows,
        // The machine is shared (2 cores): latencies mean little without the load they were taken under.
        loadAverage: { before: loadBefore, after: loadavg().map((l) => Math.round(l * 100) / 100) },
        scenarios: {
          idle,
          httpImport: { ...duringHttp, import: httpResult },
          cliImportOtherProcess: typeof duringCli === 'string' ? duringCli : { ...duringCli, import: cliResult },
          idleAfterImports,
          hostileXlsx: { ...duringHostile, files: { liarBytes: liar.length, liarDeclaredBytes: 417 * 1024 * 1024, bombBytes: bomb.length, bombInflatedBytes: inflated, bombRows: 1_200_000 }, statuses: [...new Set(hostileStatuses)] },
        },
      };
      writeResult('responsiveness', result);
      return result;
    } finally {
      client.kill();
      await app.close();
    }
  } finally {
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
