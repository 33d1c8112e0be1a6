/**
 * Defensive readers for attacker-controlled JSON (a published record is hostile input):
 * each returns the typed value or throws a coded LotteryError naming the JSON path.
 */
import { fail } from './errors.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(v: unknown, path: string, allowed: readonly string[]): Record<string, unknown> {
  if (!isObject(v)) fail('MALFORMED', path, 'expected an object');
  for (const k of Object.keys(v)) if (!allowed.includes(k)) fail('MALFORMED', `${path}.${k}`, 'unknown member');
  return v;
}

export function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail('MALFORMED', path, 'expected an array');
  return v;
}

export function str(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.length === 0) fail('MALFORMED', path, 'expected a non-empty string');
  if (/\p{Surrogate}/u.test(v)) fail('MALFORMED', path, 'lone surrogate');
  return v;
}

export function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    fail('MALFORMED', path, `expected an integer in [${min}, ${max}]`);
  }
  return v;
}

export function oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T {
  const found = values.find((x) => x === v);
  if (found === undefined) fail('MALFORMED', path, `expected one of ${values.join(', ')}`);
  return found;
}

const HEX = /^[0-9a-f]*$/;

/** Lower-case hex of exactly `bytes` bytes (spec §1: all hashes are lower-case hex). */
export function hex(v: unknown, path: string, bytes: number): string {
  if (typeof v !== 'string' || v.length !== bytes * 2 || !HEX.test(v)) fail('MALFORMED', path, `expected ${bytes} bytes of lower-case hex`);
  return v;
}

/** Spec §3.1: RFC 3339 UTC with an optional millisecond part. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

export function timestamp(v: unknown, path: string): number {
  if (typeof v !== 'string' || !TIMESTAMP.test(v)) fail('MALFORMED', path, 'expected YYYY-MM-DDTHH:MM:SS[.sss]Z');
  const ms = Date.parse(v);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 19) !== v.slice(0, 19)) fail('MALFORMED', path, 'not a real UTC time');
  return ms;
}

/** Any JSON value (what JCS can encode): null, boolean, finite number, string, array, plain object. */
export function json(v: unknown, path: string): Json {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (Array.isArray(v)) return v.map((x, i) => json(x, `${path}[${i}]`));
  if (isObject(v)) {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = json(x, `${path}.${k}`);
    return out;
  }
  return fail('MALFORMED', path, 'not a JSON value');
}
