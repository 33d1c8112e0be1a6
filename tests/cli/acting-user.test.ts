/**
 * Issue 8 §2: CLI writes act as a registered user (`--user ID`, or SUIJI_USER) under the same
 * access rules as HTTP; without one they are refused. Real processes on real ledger files; the
 * HTTP side is the real app on a copy of the same ledger.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../../src/api/app.js';
import { openRuntime } from '../../src/cli/runtime.js';
import { cliMetadata } from '../../src/cli/cli-actor.js';
import { userDecider, userStreamId } from '../../src/domain/registers/index.js';
import { usccCheckChar } from '../../src/domain/uscc.js';
import { handleCommand } from '../../src/store/handle-command.js';
import { openStore } from '../../src/store/index.js';
import { adHocTask } from './adhoc-task.js';
import { runCli } from './run-cli.js';
import { SeededLedgers, ledgerHead } from './seeded.js';

const ledgers = new SeededLedgers();
afterAll(() => ledgers.remove());

const uscc = (first17: string): string => first17 + usccCheckChar(first17);
const HEADER = '统一社会信用代码,主体名称,主体类型,经营规模,行业代码,所属区域,管辖部门,风险等级,信用等级,失信,经营异常,重点行业,投诉次数,状态';
/** Row 2 is the operator's own department; row 3 belongs to another department (流通业发展科). */
const CSV = [
  HEADER,
  `${uscc('91370323MA0000011')},沂源县本科室测试超市有限公司,企业,小型,F5212,南麻街道,yy-swj-scyx,B,A,否,否,否,0,存续`,
  `${uscc('91370323MA0000012')},沂源县他科室测试加油站有限公司,企业,小型,F5265,南麻街道,yy-swj-ltfz,B,A,否,否,否,0,存续`,
  '',
].join('\n');

interface Report {
  created: number;
  rejected: number;
  errors: { row: number; column: string | null; code: string; messageZh: string; messageEn: string }[];
}

async function lastEvent(dataDir: string) {
  const store = await openStore({ dataDir });
  try {
    const all = await store.readAll();
    return all[all.length - 1]!;
  } finally {
    await store.close();
  }
}

describe('issue 8 §2: CLI writes act as a registered user', () => {
  it('issue 8 §2 regression (a row of another department was accepted by the CLI and refused over HTTP): the CLI refuses it exactly as POST /imports does', async () => {
    const viaCli = ledgers.copy();
    const viaHttp = ledgers.copy();
    const file = join(viaCli, 'mixed.csv');
    writeFileSync(file, CSV);

    const r = runCli(['import', 'targets', file, '--user', 'yy-swj-scyx-op', '--data', viaCli]);
    expect(r.status, r.stderr).toBe(1);
    const cli = JSON.parse(readFileSync(`${file}.report.json`, 'utf8')) as Report;

    const token = runCli(['token', 'create', '--user', 'yy-swj-scyx-op', '--role', 'operator', '--department', 'yy-swj-scyx', '--by', 'yy-admin', '--data', viaHttp]);
    expect(token.status, token.stderr).toBe(0);
    const rt = await openRuntime(viaHttp);
    const app = await buildApp({ store: rt.store, projections: rt.projections }, { publicRateLimit: false });
    try {
      await rt.projections.catchUp();
      const res = await app.inject({
        method: 'POST',
        url: '/imports?kind=targets&fileName=mixed.csv',
        headers: { authorization: `Bearer ${token.stdout.trim()}`, 'content-type': 'text/csv' },
        payload: CSV,
      });
      expect(res.statusCode, res.body).toBe(200);
      const http = res.json<Report>();
      expect(http.errors).toHaveLength(1);
      expect(http.errors[0]).toMatchObject({ row: 3, code: 'FORBIDDEN' });
      // The same rows refused for the same reason, in the same words.
      expect({ created: cli.created, rejected: cli.rejected, errors: cli.errors }).toEqual({ created: http.created, rejected: http.rejected, errors: http.errors });
    } finally {
      await app.close();
      await rt.close();
    }
    const e = await lastEvent(viaCli);
    expect(e.actor).toEqual({ userId: 'yy-swj-scyx-op', role: 'operator', department: 'yy-swj-scyx' });
  });

  it('issue 8 §2: without --user every write is refused with a coded error naming --user, and the ledger is unchanged', async () => {
    const data = ledgers.copy();
    const file = join(data, 'rows.csv');
    writeFileSync(file, CSV);
    const request = join(data, 'request.json');
    writeFileSync(request, '{}');
    const before = await ledgerHead(data);
    const writes = [
      ['import', 'targets', file],
      ['draw', 'commit-targets', '--file', request],
      ['draw', 'reveal', 'T.targets.1', '--witness', 'w1', '--secret', 's'],
      ['draw', 'ceremony', 'T.targets.1', '--value', 'v'],
      ['draw', 'complete', 'T.targets.1'],
      ['draw', 'abandon', 'T.targets.1', '--reason', 'r'],
      ['order', 'record', '--file', request],
      ['order', 'approve', 'ORDER-1'],
      ['token', 'revoke', 'abcdefghijklmnop', '--reason', 'r'],
      ['token', 'create', '--user', 'yy-swj-scyx-op', '--role', 'operator', '--department', 'yy-swj-scyx'],
    ];
    for (const args of writes) {
      const r = runCli([...args, '--data', data], { SUIJI_USER: '' });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('USER_REQUIRED');
      expect(r.stderr, args.join(' ')).toMatch(/"field":"--(user|by)"/);
    }
    expect(await ledgerHead(data)).toEqual(before);
  });

  it('G3: an unregistered or deactivated --user is refused (UNAUTHENTICATED naming --user), writing nothing', async () => {
    const data = ledgers.copy();
    const rt = await openRuntime(data);
    await handleCommand(rt.store, {
      streamId: userStreamId('yy-swj-scyx-op'),
      decider: userDecider,
      command: { type: 'DeactivateUser', data: { userId: 'yy-swj-scyx-op', reason: '调离' }, metadata: cliMetadata() },
    });
    await rt.close();
    const file = join(data, 'rows.csv');
    writeFileSync(file, CSV);
    const before = await ledgerHead(data);
    for (const [user, reason] of [['nobody', 'userUnregistered'], ['yy-swj-scyx-op', 'userDeactivated']] as const) {
      const r = runCli(['import', 'targets', file, '--user', user, '--data', data]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('错误 / error UNAUTHENTICATED');
      expect(r.stderr).toContain(`"reason":"${reason}"`);
      expect(r.stderr).toContain('"field":"--user"');
    }
    expect(await ledgerHead(data)).toEqual(before);
  });

  it('L4: an auditor cannot import at all (FORBIDDEN, as POST /imports), and --department other than the registered one is refused', async () => {
    const data = ledgers.copy();
    const file = join(data, 'rows.csv');
    writeFileSync(file, CSV);
    const before = await ledgerHead(data);
    const auditor = runCli(['import', 'targets', file, '--user', 'yy-audit', '--data', data]);
    expect(auditor.status).toBe(2);
    expect(auditor.stderr).toContain('错误 / error FORBIDDEN');
    expect(auditor.stderr).toContain('target.write');
    const other = runCli(['import', 'targets', file, '--user', 'yy-swj-scyx-op', '--department', 'yy-swj-ltfz', '--data', data]);
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('"field":"--department"');
    expect(await ledgerHead(data)).toEqual(before);
  });

  it('issue 8 §2: SUIJI_USER stands in for --user, and --user wins over it; the console account is kept in the command id', async () => {
    const data = ledgers.copy();
    const file = join(data, 'own.csv');
    writeFileSync(file, `${HEADER}\n${CSV.split('\n')[1]}\n`);
    const viaEnv = runCli(['import', 'targets', file, '--data', data], { SUIJI_USER: 'yy-swj-scyx-op' });
    expect(viaEnv.status, viaEnv.stderr).toBe(0);
    expect((await lastEvent(data)).actor.userId).toBe('yy-swj-scyx-op');

    const order = join(data, 'order.json');
    writeFileSync(order, JSON.stringify({ orderId: 'ORDER-ENV-1', documentNumber: '鲁商函〔2026〕1号', issuingAuthority: '淄博市商务局', issuedOn: '2026-02-01', scope: [uscc('91370323MA0000011')], reason: '专项整治' }));
    const wins = runCli(['order', 'record', '--file', order, '--user', 'yy-swj-scyx-pr', '--data', data], { SUIJI_USER: 'nobody' });
    expect(wins.status, wins.stderr).toBe(0);
    const e = await lastEvent(data);
    expect(e.actor).toEqual({ userId: 'yy-swj-scyx-pr', role: 'principal', department: 'yy-swj-scyx' });
    expect(e.correlationId).toMatch(/^cli:[A-Za-z0-9_.@-]+:[0-9a-f-]{36}$/);
  });

  it('G2 as over HTTP: an operator cannot commit a draw on an item their department is not the inspecting body of; nothing is written', async () => {
    const data = ledgers.copy();
    // Issue 9: a draw serves a task, and a task names only items its department inspects (G2 at
    // creation, as POST /tasks). SW-03 is inspected by 流通业发展科 (yy-swj-ltfz), not by the
    // operator's 市场运行和消费促进科: the task is refused, and the draw cannot borrow SW-03 onto
    // a task of the operator's own item (T3: the draw's item is one of its task's).
    const classes = [{ name: 'all', filter: {}, quota: { count: 1 } }];
    const own = adHocTask(data, 'yy-swj-scyx-op', 'yy-swj-scyx', 'SW-01', classes);
    const before = await ledgerHead(data);
    let refusal = '';
    try {
      adHocTask(data, 'yy-swj-scyx-op', 'yy-swj-scyx', 'SW-03', classes);
    } catch (e) {
      refusal = (e as Error).message;
    }
    expect(refusal).toContain('"rule":"G2"');
    expect(refusal).toContain('"field":"/items/0"');
    const request = join(data, 'draw.json');
    writeFileSync(request, JSON.stringify({
      task: own, item: 'SW-03', classes,
      entropy: { witnesses: { members: [{ id: 'w1', commitment: 'a'.repeat(64) }], minReveals: 1, onMissing: 'abandon' } },
      revealDeadline: '2099-01-01T00:00:00.000Z',
    }));
    const r = runCli(['draw', 'commit-targets', '--file', request, '--user', 'yy-swj-scyx-op', '--data', data]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('"rule":"T3"');
    expect(r.stderr).toContain('"field":"/item"');
    expect(await ledgerHead(data)).toEqual(before);
  });
});
