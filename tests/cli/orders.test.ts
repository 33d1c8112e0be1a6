/**
 * PL5 at the console: `suiji order record|approve|show` act as POST /directed-orders, its
 * approval and GET: recorded and approved by registered users, four eyes, department-bound.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { usccCheckChar } from '../../src/domain/uscc.js';
import { runCli } from './run-cli.js';
import { SeededLedgers, ledgerHead } from './seeded.js';

const ledgers = new SeededLedgers();
afterAll(() => ledgers.remove());

const uscc = (first17: string): string => first17 + usccCheckChar(first17);
const order = {
  orderId: 'ZX-2026-01',
  documentNumber: '淄商函〔2026〕12号',
  issuingAuthority: '淄博市商务局',
  issuedOn: '2026-02-01',
  scope: [uscc('91370323MA0000021'), uscc('91370323MA0000022')],
  reason: '预付卡专项整治',
};

describe('PL5: suiji order record|approve|show', () => {
  it('PL5: an operator records; an operator cannot approve, another department\'s principal cannot, a principal never approves their own order (four eyes), the department\'s principal does; show prints it', async () => {
    const data = ledgers.copy();
    const file = join(data, 'order.json');
    writeFileSync(file, JSON.stringify(order));
    const recorded = runCli(['order', 'record', '--file', file, '--user', 'yy-swj-scyx-op', '--data', data]);
    expect(recorded.status, recorded.stderr).toBe(0);
    expect(JSON.parse(recorded.stdout)).toMatchObject({ orderId: order.orderId, department: 'yy-swj-scyx', recordedBy: 'yy-swj-scyx-op', approvedBy: null });

    const before = await ledgerHead(data);
    const operator = runCli(['order', 'approve', order.orderId, '--user', 'yy-swj-scyx-op', '--data', data]);
    expect(operator.status).toBe(2);
    expect(operator.stderr).toContain('FORBIDDEN');
    const other = runCli(['order', 'approve', order.orderId, '--user', 'yy-swj-ltfz-pr', '--data', data]);
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('只能审批本部门的指令');
    expect(await ledgerHead(data)).toEqual(before);

    const approved = runCli(['order', 'approve', order.orderId, '--user', 'yy-swj-scyx-pr', '--data', data]);
    expect(approved.status, approved.stderr).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ approvedBy: 'yy-swj-scyx-pr', approvedAt: expect.stringMatching(/^\d+$/) });

    const own = join(data, 'own.json');
    writeFileSync(own, JSON.stringify({ ...order, orderId: 'ZX-2026-02' }));
    expect(runCli(['order', 'record', '--file', own, '--user', 'yy-swj-scyx-pr', '--data', data]).status).toBe(0);
    const self = runCli(['order', 'approve', 'ZX-2026-02', '--user', 'yy-swj-scyx-pr', '--data', data]);
    expect(self.status).toBe(2);
    expect(self.stderr).toContain('SELF_APPROVAL');

    const shown = runCli(['order', 'show', order.orderId, '--data', data]);
    expect(shown.status).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual({ ...order, scope: [...order.scope].sort(), department: 'yy-swj-scyx', recordedBy: 'yy-swj-scyx-op', approvedBy: 'yy-swj-scyx-pr', approvedAt: expect.any(String) });
  });

  it('PL5: an order file that breaks the schema, a duplicate key or an unknown order are coded errors (exit 2) that write nothing', async () => {
    const data = ledgers.copy();
    const before = await ledgerHead(data);
    const bad = join(data, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...order, scope: ['not-a-credit-code'] }));
    const invalid = runCli(['order', 'record', '--file', bad, '--user', 'yy-swj-scyx-op', '--data', data]);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain('VALIDATION_FAILED');
    expect(invalid.stderr).toContain('/scope/0');
    const dup = join(data, 'dup.json');
    writeFileSync(dup, `{"orderId":"A","orderId":"B"}`);
    const repeated = runCli(['order', 'record', '--file', dup, '--user', 'yy-swj-scyx-op', '--data', data]);
    expect(repeated.status).toBe(2);
    expect(repeated.stderr).toContain('DUPLICATE_KEY');
    const unknown = runCli(['order', 'show', 'NO-SUCH', '--data', data]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('NOT_FOUND');
    expect(await ledgerHead(data)).toEqual(before);
  });
});
