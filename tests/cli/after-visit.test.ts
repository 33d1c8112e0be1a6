/**
 * `suiji visit outcome|transfer|accept-transfer`, `suiji followup …`, `suiji report` (E8, E9, A1):
 * the console runs the same services, schemas and access checks as HTTP, on the harness's ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { runProgram } from '../../src/cli/program.js';
import { SuijiError } from '../../src/domain/errors.js';
import { openRuntime } from '../../src/cli/runtime.js';
import { openResultsWorld, type ResultsWorld } from '../api/results/fixtures.js';

describe('suiji visit outcome, followup, report (E8, E9, A1)', () => {
  let w: ResultsWorld;
  beforeAll(async () => {
    w = await openResultsWorld();
  });
  afterAll(async () => {
    await w.h.close();
  });
  const run = async (args: string[]) => {
    const out: string[] = [];
    try {
      const code = await runProgram([...args, '--data', w.h.rt.dataDir], { out: (l) => void out.push(l), write: (t) => void out.push(t), err: () => undefined, openDraw: openRuntime });
      return { code, out: out.join('\n'), err: '' };
    } catch (e) {
      if (!(e instanceof SuijiError)) throw e;
      return { code: 2, out: out.join('\n'), err: `${e.code} ${JSON.stringify(e.details)}` };
    }
  };

  it('E8/E9/A1: outcome by the leader, a follow-up on a result without a problem (已注销) refused with nothing written, and the report as CSV and XLSX with the same rows', async () => {
    const v = w.visits[0]!;
    const o = await run(['visit', 'outcome', v, '--outcome', 'deregistered', '--basis', '登记机关已核准注销', '--user', 'in-a']);
    expect(o.code, o.err).toBe(0);
    expect((await w.h.call('principalA', 'POST', `/visits/${v}/results/review`, { decision: 'approve' })).statusCode).toBe(201);
    // 已注销 shows no problem: no follow-up.
    const before = await w.h.head();
    const f = await run(['followup', 'open', v, '--item', 'SW-02', '--kind', 'handover', '--handled-by', '日常监管科', '--user', 'op-a']);
    expect(f.err).toContain('NO_PROBLEM');
    expect(await w.h.head()).toEqual(before);
    const dir = w.h.rt.dataDir;
    const csv = await run(['report', '--department', 'dept-a', '--from', '2026-09-01', '--to', '2026-09-30', '--out', join(dir, 'r.csv'), '--user', 'au-1']);
    expect(csv.code, csv.err).toBe(0);
    const x = await run(['report', '--department', 'dept-a', '--from', '2026-09-01', '--to', '2026-09-30', '--format', 'xlsx', '--out', join(dir, 'r.xlsx'), '--user', 'au-1']);
    expect(x.code, x.err).toBe(0);
    const lines = readFileSync(join(dir, 'r.csv'), 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines.some((l) => l.includes(v) && l.includes('未检查（视为完成）') && l.includes('已注销'))).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'r.xlsx'));
    expect(wb.worksheets[0]!.rowCount).toBe(lines.length);
  });
});
