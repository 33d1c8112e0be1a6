import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { item, openHarness, type Harness } from './harness.js';

describe('L1/L2: the versioned item list over HTTP', () => {
  let h: Harness;
  const url = '/departments/dept-a/item-list';
  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('L1: each publication is a new version carrying the whole list and its visible change; the diff shows what changed', async () => {
    const v1 = await h.call('opA', 'POST', `${url}/versions`, { items: [item('it-1'), item('it-2')], reason: '首版清单' });
    expect(v1.statusCode).toBe(201);
    const v2 = await h.call('principalA', 'POST', `${url}/versions`, {
      items: [item('it-1', { name: '成品油质量检查' }), item('it-3', { category: 'key', maxRatioBp: undefined })],
      reason: '年度调整',
    });
    expect(v2.statusCode).toBe(201);
    expect(v2.json().revision).toBe(1);

    const current = (await h.call('anonymous', 'GET', url)).json();
    expect(current).toMatchObject({ departmentId: 'dept-a', version: 2, reason: '年度调整', changes: { added: ['it-3'], changed: ['it-1'], removed: ['it-2'] } });
    expect(current.items.map((i: { itemId: string }) => i.itemId)).toEqual(['it-1', 'it-3']);

    const first = (await h.call('anonymous', 'GET', `${url}/versions/1`)).json();
    expect(first.items.map((i: { itemId: string }) => i.itemId)).toEqual(['it-1', 'it-2']);
    expect(first.changes).toEqual({ added: ['it-1', 'it-2'], changed: [], removed: [] });

    const versions = (await h.call('anonymous', 'GET', `${url}/versions`)).json().items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions[0]).not.toHaveProperty('items');

    const diff = (await h.call('anonymous', 'GET', `${url}/diff?from=1&to=2`)).json();
    expect(diff.added.map((i: { itemId: string }) => i.itemId)).toEqual(['it-3']);
    expect(diff.removed.map((i: { itemId: string }) => i.itemId)).toEqual(['it-2']);
    expect(diff.changed).toEqual([{ itemId: 'it-1', before: item('it-1'), after: item('it-1', { name: '成品油质量检查' }), fields: ['name'] }]);

    const fromZero = (await h.call('anonymous', 'GET', `${url}/diff?from=0&to=1`)).json();
    expect(fromZero.added).toHaveLength(2);
  });

  it('L1: publishing the same list again adds no version (200, no events)', async () => {
    const current = (await h.call('opA', 'GET', url)).json();
    const res = await h.call('opA', 'POST', `${url}/versions`, { items: current.items, reason: '重复发布' });
    expect(res.statusCode).toBe(200);
    expect(res.json().events).toEqual([]);
    expect((await h.call('opA', 'GET', url)).json().version).toBe(current.version);
  });

  it('L2: a general item without a ratio cap, or a key item with one, is refused naming the field; nothing written', async () => {
    const before = await h.head();
    const general = await h.call('opA', 'POST', `${url}/versions`, { items: [item('g', { maxRatioBp: undefined })], reason: 'r' });
    expect(general.statusCode).toBe(400);
    expect(general.json().details).toMatchObject({ field: '/items/0/maxRatioBp', rule: 'L2' });
    const key = await h.call('opA', 'POST', `${url}/versions`, { items: [item('k', { category: 'key', maxRatioBp: 1000 })], reason: 'r' });
    expect(key.json().details).toMatchObject({ field: '/items/0/maxRatioBp', rule: 'L2' });
    const dup = await h.call('opA', 'POST', `${url}/versions`, { items: [item('d'), item('d')], reason: 'r' });
    expect(dup.json().details).toMatchObject({ field: '/items/1/itemId', rule: 'L1' });
    const ratio = await h.call('opA', 'POST', `${url}/versions`, { items: [item('r', { maxRatioBp: 20000 })], reason: 'r' });
    expect(ratio.statusCode).toBe(400);
    expect(ratio.json().details.field).toBe('body/items/0/maxRatioBp');
    expect(await h.head()).toEqual(before);
  });

  it('L4: another department may not publish this department\'s list', async () => {
    const before = await h.head();
    const res = await h.call('opB', 'POST', `${url}/versions`, { items: [item('x')], reason: 'r' });
    expect(res.statusCode).toBe(403);
    expect(res.json().details).toMatchObject({ rule: 'L4', action: 'itemList.publish', department: 'dept-a' });
    expect(await h.head()).toEqual(before);
  });

  it('L1: a version or list that does not exist is a 404; a malformed version is a 400', async () => {
    expect((await h.call('anonymous', 'GET', `${url}/versions/99`)).statusCode).toBe(404);
    expect((await h.call('anonymous', 'GET', '/departments/dept-z/item-list')).statusCode).toBe(404);
    expect((await h.call('anonymous', 'GET', `${url}/diff?from=1&to=99`)).statusCode).toBe(404);
    expect((await h.call('anonymous', 'GET', `${url}/versions/0`)).statusCode).toBe(400);
    expect((await h.call('anonymous', 'GET', `${url}/diff?from=-1&to=2`)).statusCode).toBe(400);
  });
});
