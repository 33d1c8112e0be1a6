import { randomUUID } from 'node:crypto';
import type { Actor } from '../../src/domain/actor.js';
import type { NewEvent } from '../../src/store/port.js';

export const testActor: Actor = { userId: 'u-001', role: 'operator', department: 'dept-a' };

/** A valid NewEvent with a fresh UUID; `overrides` replace any member. */
export function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'TestHappened',
    actor: testActor,
    correlationId: 'corr-1',
    payload: { n: 1, text: '测试' },
    ...overrides,
  };
}

export const newEvents = (n: number, make: (i: number) => Partial<NewEvent> = (i) => ({ payload: { i } })): NewEvent[] =>
  Array.from({ length: n }, (_, i) => newEvent(make(i)));
