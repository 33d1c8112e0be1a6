import { expect } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import { EventCatalogue } from '../../../src/domain/catalogue.js';
import type { Command, Decider, Event } from '../../../src/domain/decider.js';
import { SuijiError } from '../../../src/domain/errors.js';
import { allEventDefinitions } from '../../../src/domain/events.js';
import type { TargetRecord } from '../../../src/domain/registers/index.js';
import { usccCheckChar } from '../../../src/domain/uscc.js';

export const catalogue = new EventCatalogue(allEventDefinitions);

export const actors = {
  admin: { userId: 'admin1', role: 'admin', department: 'bureau' },
  opA: { userId: 'op-a', role: 'operator', department: 'dept-a' },
  principalA: { userId: 'pr-a', role: 'principal', department: 'dept-a' },
  opB: { userId: 'op-b', role: 'operator', department: 'dept-b' },
  inspectorA: { userId: 'in-a', role: 'inspector', department: 'dept-a' },
  auditor: { userId: 'au', role: 'auditor', department: 'bureau' },
} satisfies Record<string, Actor>;

let n = 0;
export const meta = (actor: Actor) => ({ actor, now: '2026-11-25T08:00:00.000Z', commandId: `cmd-${++n}` });

/** given(history) / when(command) / then(events | error); every produced event must pass the catalogue. */
export function decideOn<C extends Command, E extends Event, S>(decider: Decider<C, E, S>, history: readonly E[], command: C): readonly E[] | SuijiError {
  const state = history.reduce(decider.evolve, decider.initialState);
  const out = decider.decide(command, state);
  if (!(out instanceof SuijiError)) for (const e of out) catalogue.validate(e.type, e.payload);
  return out;
}

export function expectEvents<E extends Event>(out: readonly E[] | SuijiError): readonly E[] {
  if (out instanceof SuijiError) throw new Error(`expected events, got ${out.code}: ${out.messageEn}`);
  return out;
}

export function expectError(out: unknown, code: string, rule?: string): SuijiError {
  expect(out).toBeInstanceOf(SuijiError);
  const e = out as SuijiError;
  expect(e.code).toBe(code);
  if (rule) expect(e.details.rule).toBe(rule);
  return e;
}

export const makeUscc = (body17: string): string => body17 + usccCheckChar(body17);
export const USCC1 = makeUscc('91370323MA3C00001');
export const USCC2 = makeUscc('92370323MA3C00002');

export const targetRecord = (over: Partial<TargetRecord> = {}): TargetRecord => ({
  uscc: USCC1,
  name: '沂源县示范加油站有限公司',
  entityType: 'enterprise',
  scale: 'small',
  industry: 'F5265',
  region: '南麻街道',
  jurisdiction: 'dept-a',
  riskLevel: 'B',
  creditLevel: 'A',
  flags: { dishonest: false, abnormalOperation: false, keyIndustry: true, complaintCount: 0 },
  status: 'active',
  ...over,
});
