/**
 * Shared parts of the reliability suite (issue 12): real `suiji serve` processes, a seeded RNG
 * (the seed is printed so a failing run can be repeated with RELIABILITY_SEED), and the one
 * results file the full form writes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cliPath, runCli } from '../cli/run-cli.js';
import { usccCheckChar } from '../../src/domain/uscc.js';

export const FULL = process.env.RELIABILITY === 'full';
export const root = join(import.meta.dirname, '..', '..');
export const resultsFile = join(root, 'bench', 'results', 'reliability.json');

/** mulberry32: small, deterministic, good enough to pick kill moments. */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const seed = Number(process.env.RELIABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31));

export const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

export interface Served {
  readonly child: ChildProcess;
  readonly port: number;
  readonly base: string;
  stderr(): string;
  kill9(): Promise<void>;
}

/** `suiji serve` as a separate process; `env` carries SUIJI_STORE for PostgreSQL. */
export async function serve(data: string, env: Record<string, string>, port?: number, extra: readonly string[] = []): Promise<Served> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, [cliPath, 'serve', '--data', data, '--port', String(p), ...extra], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  // Logs (pino, stdout) and errors together, the last 256 KB: what a failing check prints.
  let err = '';
  const keep = (d: Buffer): void => {
    err = (err + d.toString()).slice(-256 * 1024);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    port: p,
    base: `http://127.0.0.1:${p}`,
    stderr: () => err,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Polls GET /health until 200 (the server may be starting or rebuilding read models). */
export async function healthy(base: string, tries = 600): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    const res = await fetch(`${base}/health`).catch(() => undefined);
    if (res?.status === 200) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

export function adminToken(data: string, env: Record<string, string>, user: string): string {
  const r = runCli(['token', 'create', '--user', user, '--role', 'admin', '--department', 'bureau', '--data', data], env);
  if (r.status !== 0) throw new Error(`token create failed: ${r.stderr}`);
  return r.stdout.split('\n')[0]!.trim();
}

let serial = 0;
export const freshUscc = (prefix: number): string => {
  serial += 1;
  const body17 = `91370323MA${String((prefix % 90) * 100_000 + serial).padStart(7, '0')}`;
  return body17 + usccCheckChar(body17);
};

export const bureau = { departmentId: 'bureau', name: '沂源县市场监督管理局', kind: 'bureau', parentDepartment: null, regionCode: '370323', neighbouringRegions: [] };
export const officeBody = (departmentId: string): Record<string, unknown> => ({
  departmentId,
  name: `科室 ${departmentId}`,
  kind: 'office',
  parentDepartment: 'bureau',
  regionCode: '370323',
  neighbouringRegions: [],
});
export const targetBody = (uscc: string): Record<string, unknown> => ({
  uscc,
  name: `沂源县示范加油站 ${uscc.slice(-6)}`,
  entityType: 'enterprise',
  scale: 'small',
  industry: 'F5265',
  region: '南麻街道',
  jurisdiction: 'bureau',
  riskLevel: 'B',
  creditLevel: 'A',
  flags: { dishonest: false, abnormalOperation: false, keyIndustry: true, complaintCount: 0 },
  status: 'active',
});

/** Merges one section into bench/results/reliability.json (full form only). */
export function recordResult(section: string, value: unknown): void {
  console.log(`reliability ${section}: ${JSON.stringify(value)}`);
  if (!FULL) return;
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  const prior = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>) : {};
  prior[section] = value;
  prior.updatedAt = new Date().toISOString();
  writeFileSync(resultsFile, `${JSON.stringify(prior, null, 2)}\n`);
}

export const loadAverage = async (): Promise<number[]> => (await import('node:os')).loadavg().map((x) => Math.round(x * 100) / 100);
