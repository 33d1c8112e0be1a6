/**
 * `suiji inspect …` over the built binary on a copy of the seeded demo ledger (E1, E4): the
 * console's wiring of the on-site record. The record's rules themselves are tested over HTTP
 * (tests/api/inspections), on the same service.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { SeededLedgers, ledgerHead } from './seeded.js';

const ledgers = new SeededLedgers();
afterAll(() => ledgers.remove());
const OP = 'yy-swj-ltfz-op';
const VISIT = 'yy-swj-ltfz-20260301-91370323MA00000017';

describe('suiji inspect (E1, E4)', () => {
  it('E1: inspect pre-check on a visit that does not exist → coded refusal (exit 2), nothing written', async () => {
    const data = ledgers.copy();
    const before = await ledgerHead(data);
    const file = join(data, '..', 'pre-check.json');
    writeFileSync(file, JSON.stringify({ consulted: ['企业信用信息公示系统'], found: '无异常', method: 'onSite' }));
    const r = runCli(['inspect', 'pre-check', VISIT, '--file', file, '--user', OP, '--data', data]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('NOT_FOUND');
    // A body the HTTP route refuses is refused before the ledger opens, naming the field.
    writeFileSync(file, JSON.stringify({ consulted: [], found: '无异常', method: 'guess' }));
    const bad = runCli(['inspect', 'pre-check', VISIT, '--file', file, '--user', OP, '--data', data]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('VALIDATION_FAILED');
    const anon = runCli(['inspect', 'sign', VISIT, '--data', data], { SUIJI_USER: '' });
    expect(anon.status).toBe(2);
    expect(await ledgerHead(data)).toEqual(before);
  });

  it('E4: inspect show of an unknown visit is NOT_FOUND; a malformed visit id names the field', () => {
    const data = ledgers.copy();
    const unknown = runCli(['inspect', 'show', VISIT, '--data', data]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('NOT_FOUND');
    const malformed = runCli(['inspect', 'show', 'not a visit', '--data', data]);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain('visitId');
  });
});
