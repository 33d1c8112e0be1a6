import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../api/registers/harness.js';
import { drawBody, drawToCompletion, openTaskHarness, seedWorld, taskBody } from '../api/tasks/fixtures.js';
import { filesUnder, jpeg, sha256 } from './fixtures.js';

/** Evidence that cites a visit: the visit must exist, and the uploader belong to the unit that executes it (E10, L4). */
describe('evidence of a visit (E10)', () => {
  let h: Harness;
  let visitId = '';
  beforeAll(async () => {
    h = await openTaskHarness();
    await seedWorld(h);
    const pool = [{ name: '南麻', filter: { region: ['南麻街道'], jurisdiction: ['dept-a'] }, quota: { count: 4 } }];
    const c = await h.call('opA', 'POST', '/tasks', taskBody({ classes: pool, executingUnits: ['dept-a'] }));
    if (c.statusCode !== 201) throw new Error(c.body);
    const taskId = (c.json() as { taskId: string }).taskId;
    const drawId = await drawToCompletion(h, h.bearer('opA'), drawBody(taskId, pool));
    expect((await h.call('principalA', 'POST', `/tasks/${taskId}/lock`, { drawId })).statusCode).toBe(201);
    expect((await h.call('principalA', 'POST', `/tasks/${taskId}/dispatch`)).statusCode).toBe(201);
    const visits = (await h.call('opA', 'GET', '/visits?unit=dept-a')).json() as { items: { visitId: string }[] };
    visitId = visits.items[0]!.visitId;
  });
  afterAll(async () => {
    await h.close();
  });

  const upload = (who: 'inspectorA' | 'opB', bytes: Buffer) =>
    h.app.inject({ method: 'POST', url: `/evidence?visitId=${visitId}`, headers: { authorization: h.bearer(who), 'content-type': 'application/octet-stream' }, payload: bytes });

  it('E10: an upload that names an existing visit records the visit and its executing unit', async () => {
    const bytes = jpeg('on site');
    const res = await upload('inspectorA', bytes);
    expect(res.statusCode, res.body).toBe(201);
    const [event] = await h.rt.store.readStream(`evidence-${sha256(bytes)}`);
    expect(event?.payload).toMatchObject({ visitId, department: 'dept-a' });
  });

  it('E10/L4: someone of another unit cannot file evidence for the visit; nothing is stored', async () => {
    const blobs = filesUnder(h.rt.dataDir, 'sha256');
    const before = await h.head();
    const res = await upload('opB', jpeg('not my visit'));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'FORBIDDEN', details: { field: 'visitId', action: 'evidence.write' } });
    expect(filesUnder(h.rt.dataDir, 'sha256')).toEqual(blobs);
    expect(filesUnder(h.rt.dataDir, 'tmp')).toEqual([]);
    expect(await h.head()).toEqual(before);
  });
});
