/**
 * `suiji result …` (E5, P2): the console runs the same ResultService, schemas and access check as
 * HTTP, on the same ledger (a second runtime on the harness's data directory, as a console
 * beside a running server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProgram } from '../../src/cli/program.js';
import { SuijiError } from '../../src/domain/errors.js';
import { openRuntime } from '../../src/cli/runtime.js';
import { closeRecord, openResultsWorld, type ResultsWorld } from '../api/results/fixtures.js';

describe('suiji result (E5, P2)', () => {
  let w: ResultsWorld;
  beforeAll(async () => {
    w = await openResultsWorld();
    await closeRecord(w.h, w.visits[0]!);
  });
  afterAll(async () => {
    await w.h.close();
  });
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    // A coded error leaves runProgram as a SuijiError; main.ts prints it and exits 2.
    try {
      const code = await runProgram([...args, '--data', w.h.rt.dataDir], { out: (l) => void out.push(l), write: (t) => void out.push(t), err: (t) => void err.push(t), openDraw: openRuntime });
      return { code, out: out.join('\n'), err: err.join('') };
    } catch (e) {
      if (!(e instanceof SuijiError)) throw e;
      return { code: 2, out: out.join('\n'), err: `${e.code} ${JSON.stringify(e.details)}` };
    }
  };

  it('E5/P2: the leader submits, an operator cannot approve (coded refusal, nothing written), the principal approves and it is published', async () => {
    const v = w.visits[0]!;
    const s = await run(['result', 'submit', v, '--results', '[{"itemId":"SW-02","category":"noProblem"}]', '--user', 'in-a']);
    expect(s.code, s.err).toBe(0);
    expect(JSON.parse(s.out)).toMatchObject({ events: ['ResultsSubmitted'] });
    const before = await w.h.head();
    const refused = await run(['result', 'review', v, '--decision', 'approve', '--user', 'op-a']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('FORBIDDEN');
    expect(await w.h.head()).toEqual(before);
    const a = await run(['result', 'review', v, '--decision', 'approve', '--user', 'pr-a']);
    expect(a.code, a.err).toBe(0);
    expect(JSON.parse(a.out)).toMatchObject({ events: ['ResultsApproved', 'NoticePublished'], noticeId: `resultNotice-${v}` });
    const shown = await run(['result', 'show', v, '--user', 'au-1']);
    expect(JSON.parse(shown.out)).toMatchObject({ status: 'published', deadline: { date: '2026-10-22' } });
    const bad = await run(['result', 'submit', v, '--results', 'not json[', '--user', 'in-a']);
    expect(bad.code).toBe(2);
  });
});
