import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';

export const resultsDir = join(process.cwd(), 'bench', 'results');

/** Writes `bench/results/<name>.json` with the machine it ran on, and returns the path. */
export function writeResult(name: string, result: object): string {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.json`);
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30) };
  writeFileSync(path, `${JSON.stringify({ name, at: new Date().toISOString(), machine, ...result }, null, 2)}\n`);
  return path;
}

export const envInt = (name: string, fallback: number): number => {
  const v = process.env[name];
  return v && /^\d+$/.test(v) ? Number(v) : fallback;
};

export const rate = (count: number, ms: number): number => Math.round((count / ms) * 1000);
