/**
 * The directed special order decider, pure (issue 7 §5 left it untested): given events / when a
 * command / then events or a coded error. Every produced event must pass its schema.
 */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { SuijiError } from '../../src/domain/errors.js';
import {
  directedOrderDecider, type DirectedOrderCommand, type DirectedOrderEvent,
} from '../../src/domain/directed-orders/index.js';
import { DirectedOrderService } from '../../src/app/draws/orders.js';
import { openHarness } from '../draws/harness.js';
import { actors, decideOn, expectEvents } from './registers/helpers.js';

const NOW = '2026-03-02T02:00:00.000Z';
const who = {
  ...actors,
  prA: actors.principalA,
  prA2: { userId: 'pr-a2', role: 'principal', department: 'dept-a' },
  prB: { userId: 'pr-b', role: 'principal', department: 'dept-b' },
} satisfies Record<string, Actor>;

const order = {
  orderId: 'ORD-1',
  documentNumber: '鲁市监函〔2026〕12号',
  issuingAuthority: '山东省市场监督管理局',
  issuedOn: '2026-02-20',
  scope: ['91370323000000003X', '913703230000000010'],
  reason: '食品安全专项整治',
};
const record = (actor: Actor): DirectedOrderCommand => ({ type: 'RecordDirectedOrder', data: order, metadata: { actor, now: NOW, commandId: 'c1' } });
const approve = (actor: Actor): DirectedOrderCommand => ({ type: 'ApproveDirectedOrder', data: { orderId: 'ORD-1' }, metadata: { actor, now: NOW, commandId: 'c2' } });

const decide = (history: readonly DirectedOrderEvent[], command: DirectedOrderCommand) => decideOn(directedOrderDecider, history, command);
const ok = expectEvents<DirectedOrderEvent>;
const recorded = (): readonly DirectedOrderEvent[] => ok(decide([], record(who.opA)));

describe('directed special orders (PL5, pure decider)', () => {
  it('PL5: recording stores the order with the recording department and user, its scope sorted', () => {
    const [e] = recorded();
    expect(e).toEqual({
      type: 'DirectedOrderRecorded',
      payload: { ...order, scope: [...order.scope].sort(), department: 'dept-a', recordedBy: 'op-a' },
    });
  });

  it('PL5: an auditor cannot record an order (FORBIDDEN), and nothing is written', () => {
    const out = decide([], record(who.auditor));
    expect(out).toBeInstanceOf(SuijiError);
    expect((out as SuijiError).code).toBe('FORBIDDEN');
  });

  it('PL5: an order id is recorded once (ALREADY_EXISTS)', () => {
    const out = decide(recorded(), record(who.prA));
    expect((out as SuijiError).code).toBe('ALREADY_EXISTS');
  });

  it('PL5: a principal of the department approves an order recorded by someone else', () => {
    expect(ok(decide(recorded(), approve(who.prA)))).toEqual([{ type: 'DirectedOrderApproved', payload: { orderId: 'ORD-1', approvedBy: 'pr-a' } }]);
  });

  it('PL5: an operator cannot approve (FORBIDDEN)', () => {
    const out = decide(recorded(), approve(who.opA));
    expect((out as SuijiError).code).toBe('FORBIDDEN');
  });

  it("G3: a principal of another department cannot approve the department's order (FORBIDDEN)", () => {
    const out = decide(recorded(), approve(who.prB));
    expect((out as SuijiError).code).toBe('FORBIDDEN');
  });

  it('PL5: admin approves for every department', () => {
    expect(ok(decide(recorded(), approve(who.admin)))).toHaveLength(1);
  });

  it('PL5 (four eyes): the user who recorded an order cannot approve it (SELF_APPROVAL)', () => {
    const history = ok(decide([], record(who.prA)));
    const out = decide(history, approve(who.prA));
    expect((out as SuijiError).details).toMatchObject({ rule: 'PL5', reason: 'SELF_APPROVAL' });
  });

  it('PL5: approving an unknown order is NOT_FOUND', () => {
    expect((decide([], approve(who.prA)) as SuijiError).code).toBe('NOT_FOUND');
  });

  it('PL5: approving twice writes nothing — the first approver stays the approver', () => {
    const history = [...recorded(), ...ok(decide(recorded(), approve(who.prA)))];
    expect(ok(decide(history, approve(who.prA)))).toEqual([]);
    expect(ok(decide(history, approve(who.prA2)))).toEqual([]);
    const state = history.reduce(directedOrderDecider.evolve, directedOrderDecider.initialState);
    expect(state.exists && state.approvedBy).toBe('pr-a');
  });
});

describe('directed special orders through the service (real SQLite store)', () => {
  it('PL5: approving twice writes nothing — the ledger head does not move and the approval position stays', async () => {
    const h = await openHarness();
    try {
      const orders = new DirectedOrderService(h.store);
      await orders.record({ actor: who.opA, now: NOW, commandId: 'rec-1' }, order);
      const first = await orders.approve({ actor: who.prA, now: NOW, commandId: 'appr-1' }, 'ORD-1');
      const head = (await h.store.head()).size;
      const again = await orders.approve({ actor: who.prA2, now: NOW, commandId: 'appr-2' }, 'ORD-1');
      expect((await h.store.head()).size).toBe(head);
      expect(again).toEqual(first);
      expect(again).toMatchObject({ approvedBy: 'pr-a' });
    } finally {
      await h.close();
    }
  });
});
