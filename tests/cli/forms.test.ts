/**
 * E2/E3 at the console: `suiji form show|publish` and `suiji visit form|form-choose` over the built
 * binary on a copy of the seeded demo ledger, calling the same FormService and request schemas as
 * the /forms routes; refusals are coded errors (exit 2) that write nothing.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { routeRegisterCommand } from '../../src/domain/registers/index.js';
import { openStore } from '../../src/store/index.js';
import { handleCommand } from '../../src/store/handle-command.js';
import { runCli } from './run-cli.js';
import { SeededLedgers, ledgerHead } from './seeded.js';

const ledgers = new SeededLedgers();
afterAll(() => ledgers.remove());

// SW-01 is inspected by the market office (demo item list), so its operator may publish.
const OFFICE = 'yy-swj-scyx';
const OP = `${OFFICE}-op`;

const template = (over: Record<string, unknown> = {}) => ({
  questions: [
    { questionId: 'q1', text: '是否公示营业执照', legalBasis: '《市场主体登记管理条例》第三十六条', answer: 'conformity', photoRequired: true },
    { questionId: 'q2', text: '预付卡发卡余额', legalBasis: '《单用途商业预付卡管理办法（试行）》第十四条', answer: 'number', unit: '元', photoRequired: false },
  ],
  methods: [{ kind: 'onSite' }, { kind: 'samplingTest', needs: '发卡台账抽取 20 条' }],
  ...over,
});
const fileOf = (data: string, name: string, content: unknown): string => {
  const file = join(data, '..', name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};
const ok = (args: string[], data: string): unknown => {
  const r = runCli([...args, '--data', data]);
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
};
/** A refusal: exit 2, one coded line on stderr, the ledger exactly as before. */
const refused = async (args: string[], data: string, code: string): Promise<Record<string, unknown>> => {
  const before = await ledgerHead(data);
  const r = runCli([...args, '--data', data]);
  expect(r.status, `${args.join(' ')}: ${r.stdout}`).toBe(2);
  expect(r.stdout).toBe('');
  const line = r.stderr.trim();
  expect(line).toMatch(new RegExp(`^错误 / error ${code}: .+ / .+ \\{`));
  expect(await ledgerHead(data)).toEqual(before);
  return JSON.parse(line.slice(line.indexOf(' {"') + 1)) as Record<string, unknown>;
};

describe('suiji form / visit form (E2, E3)', () => {
  it('E2: form publish then form show round-trips the template, version by version, as the --user', async () => {
    const data = ledgers.copy();
    const v1 = fileOf(data, 'v1.json', template());
    expect(ok(['form', 'publish', 'SW-01', '--file', v1, '--reason', '首版', '--user', OP], data)).toMatchObject({ streamId: 'form-SW-01', version: 1, events: ['FormVersionPublished'], replayed: false });
    // The same content again adds no version (a retried publish writes nothing).
    const head = await ledgerHead(data);
    expect(ok(['form', 'publish', 'SW-01', '--file', v1, '--reason', '首版', '--user', OP], data)).toMatchObject({ events: [], position: null });
    expect(await ledgerHead(data)).toEqual(head);
    const v2 = fileOf(data, 'v2.json', template({ methods: [{ kind: 'written' }] }));
    expect(ok(['form', 'publish', 'SW-01', '--file', v2, '--reason', '改为书面检查', '--user', OP], data)).toMatchObject({ version: 2 });

    expect(ok(['form', 'show', 'SW-01'], data)).toMatchObject({
      itemId: 'SW-01',
      currentVersion: 2,
      current: { version: 2, methods: [{ kind: 'written' }] },
      versions: [{ version: 1, reason: '首版' }, { version: 2, reason: '改为书面检查' }],
    });
    const first = ok(['form', 'show', 'SW-01', '--version', '1'], data) as Record<string, unknown>;
    expect(first).toEqual({ itemId: 'SW-01', version: 1, reason: '首版', ...template() });
    expect((await refused(['form', 'show', 'SW-01', '--version', '3'], data, 'NOT_FOUND')).id).toBe('SW-01/3');
    expect((await refused(['form', 'show', 'SW-01', '--version', '0'], data, 'VALIDATION_FAILED')).field).toBe('/version');

    const store = await openStore({ dataDir: data });
    try {
      expect((await store.readStream('form-SW-01')).map((e) => e.actor.userId)).toEqual([OP, OP]);
    } finally {
      await store.close();
    }
  });

  it('E2/L4: a publish by an inspector of the item\'s own inspecting body is refused (FORBIDDEN), nothing written', async () => {
    const data = ledgers.copy();
    const store = await openStore({ dataDir: data });
    try {
      const admin = { userId: 'yy-admin', role: 'admin' as const, department: 'yy-swj' };
      await routeRegisterCommand(
        { type: 'RegisterUser', data: { userId: 'yy-insp', name: '检查员', role: 'inspector', department: OFFICE }, metadata: { actor: admin, now: new Date().toISOString(), commandId: randomUUID() } },
        (r) => handleCommand(store, r),
      );
    } finally {
      await store.close();
    }
    const file = fileOf(data, 't.json', template());
    const e = await refused(['form', 'publish', 'SW-01', '--file', file, '--reason', '首版', '--user', 'yy-insp'], data, 'FORBIDDEN');
    expect(e).toMatchObject({ rule: 'L4', action: 'form.publish', role: 'inspector' });
    // Another unit's operator is refused by the decider (not the item's inspecting body or list keeper).
    await refused(['form', 'publish', 'SW-01', '--file', file, '--reason', '首版', '--user', 'yy-swj-ltfz-op'], data, 'FORBIDDEN');
    expect(ok(['form', 'show', 'SW-01'], data)).toMatchObject({ currentVersion: null, versions: [] });
  });

  it('E3: a bad template file is a coded error naming the field, nothing written', async () => {
    const data = ledgers.copy();
    const publish = (name: string, content: unknown) => ['form', 'publish', 'SW-01', '--file', fileOf(data, name, content), '--reason', '首版', '--user', OP];
    const [q1] = template().questions;
    // Schema: an unknown answer kind.
    expect((await refused(publish('answer.json', template({ questions: [{ ...q1, answer: 'yesno' }] })), data, 'VALIDATION_FAILED')).field).toBe('/questions/0/answer');
    // Decider (E3): a sampling test must name what it needs; a reuse must cite the document.
    expect(await refused(publish('needs.json', template({ methods: [{ kind: 'onSite' }, { kind: 'samplingTest' }] })), data, 'VALIDATION_FAILED')).toMatchObject({ field: '/methods/1/needs', rule: 'E3' });
    expect(await refused(publish('reuse.json', template({ methods: [{ kind: 'reuse' }] })), data, 'VALIDATION_FAILED')).toMatchObject({ field: '/methods/0/citedDocument', rule: 'E3' });
    // The reason comes from --reason only; a second one in the file is refused, not chosen between.
    expect((await refused(publish('reason.json', template({ reason: '文件里的理由' })), data, 'VALIDATION_FAILED')).field).toBe('/reason');
    expect((await refused(publish('broken.json', '{"questions": ['), data, 'BAD_REQUEST')).field).toBe('FILE');
    expect((await refused(publish('dup.json', '{"questions": [], "questions": []}'), data, 'BAD_REQUEST')).reason).toBe('DUPLICATE_KEY');
    // E2: an item on no current list.
    expect(await refused(['form', 'publish', 'SW-99', '--file', fileOf(data, 'ok.json', template()), '--reason', '首版', '--user', OP], data, 'NOT_FOUND')).toMatchObject({ rule: 'E2' });
  });

  it('E2: visit form and form-choose check the visit id and the --forms list as the route does, writing nothing on refusal', async () => {
    const data = ledgers.copy();
    expect(await refused(['visit', 'form', 'no-such-visit'], data, 'NOT_FOUND')).toMatchObject({ field: 'visitId' });
    const choose = (forms: string, reason = '沿用旧版') => ['visit', 'form-choose', 'no-such-visit', '--forms', forms, '--reason', reason, '--user', OP];
    expect((await refused(choose('SW-01:1,SW-02'), data, 'VALIDATION_FAILED')).field).toBe('/forms/1/version');
    expect((await refused(choose('SW-01:x'), data, 'VALIDATION_FAILED')).field).toBe('/forms/0/version');
    expect(await refused(choose('SW-01:1'), data, 'NOT_FOUND')).toMatchObject({ field: 'visitId' });
    const anon = runCli(['visit', 'form-choose', 'v', '--forms', 'SW-01:1', '--reason', 'r', '--data', data], { SUIJI_USER: '' });
    expect(anon.status).toBe(2);
  });
});
