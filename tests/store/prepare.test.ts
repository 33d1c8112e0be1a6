/** Adapter-independent write checks (src/store/prepare.ts): bad input names its field (brief: errors). */
import { describe, it, expect } from 'vitest';
import { prepareWrites } from '../../src/store/prepare.js';
import { SuijiError } from '../../src/domain/errors.js';
import { newEvent } from '../helpers/events.js';
import type { StreamWrite } from '../../src/store/port.js';

const refusal = (writes: readonly StreamWrite[]): { code: string; field: unknown } => {
  try {
    prepareWrites(writes);
  } catch (err) {
    if (err instanceof SuijiError) return { code: err.code, field: err.details.field };
    throw err;
  }
  throw new Error('accepted');
};
const one = (overrides: Parameters<typeof newEvent>[0]): StreamWrite[] => [{ streamId: 's', expected: 'any', events: [newEvent(overrides)] }];

describe('write checks before anything is stored', () => {
  it('names the offending field of a bad payload, deep inside it', () => {
    expect(refusal(one({ payload: { a: [1, { b: NaN }] } }))).toEqual({ code: 'VALIDATION_FAILED', field: 'events[0].payload/a/1/b' });
    expect(refusal(one({ payload: { s: 'x\udc00' } }))).toEqual({ code: 'VALIDATION_FAILED', field: 'events[0].payload/s' });
    expect(refusal(one({ payload: { m: new Map() } }))).toEqual({ code: 'VALIDATION_FAILED', field: 'events[0].payload/m' });
    expect(refusal(one({ payload: { n: 1n } }))).toEqual({ code: 'VALIDATION_FAILED', field: 'events[0].payload/n' });
    expect(refusal(one({ payload: [undefined] }))).toEqual({ code: 'VALIDATION_FAILED', field: 'events[0].payload/0' });
    expect(refusal(one({ payload: undefined }))).toEqual({ code: 'VALIDATION_FAILED', field: 'events[0].payload' });
  });

  it('P1: the actor must be complete and have a known role', () => {
    expect(refusal(one({ actor: { userId: 'u', role: 'king' as 'admin', department: 'd' } }))).toEqual({ code: 'VALIDATION_FAILED', field: 'events[0].actor.role' });
    expect(refusal(one({ actor: { userId: '', role: 'admin', department: 'd' } }))).toEqual({ code: 'VALIDATION_FAILED', field: 'events[0].actor.userId' });
  });

  it('in appendMulti, names the write; a stream may appear once; ids are unique across writes', () => {
    const e = newEvent();
    expect(refusal([{ streamId: 'a', expected: 'any', events: [newEvent()] }, { streamId: 'a', expected: 'any', events: [newEvent()] }])).toEqual({
      code: 'VALIDATION_FAILED',
      field: 'writes[1].streamId',
    });
    expect(refusal([{ streamId: 'a', expected: 'any', events: [e] }, { streamId: 'b', expected: 'any', events: [e] }])).toEqual({
      code: 'VALIDATION_FAILED',
      field: 'writes[1].events[0].eventId',
    });
    expect(refusal([{ streamId: 'a', expected: 'sometimes' as 'any', events: [e] }])).toEqual({ code: 'VALIDATION_FAILED', field: 'expected' });
  });

  it('records the JCS text of payload and actor, lowercase ids and schema version 1 by default', () => {
    const [w] = prepareWrites([{ streamId: 's', expected: 'any', events: [newEvent({ eventId: 'ABCDEF00-0000-4000-8000-000000000000', payload: { b: -0, a: 1e21 } })] }]);
    expect(w!.events[0]).toMatchObject({
      eventId: 'abcdef00-0000-4000-8000-000000000000',
      schemaVersion: 1,
      payloadJson: '{"a":1e+21,"b":0}',
      actorJson: '{"department":"dept-a","role":"operator","userId":"u-001"}',
      causationId: null,
    });
  });
});
