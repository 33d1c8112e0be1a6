import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expertBody, freshUscc, inspectorBody, openHarness, targetBody, type Harness } from './harness.js';

describe('register queries: name search and paging (issue 8 §4)', () => {
  let h: Harness;
  const names = ['沂源县鲁村加油站', '沂源县南麻加油站', 'ACME Trading Co.', 'acme foods', '100%_Pure 商贸', '100 Pure 商贸'];
  const codes = new Map<string, string>();
  beforeAll(async () => {
    h = await openHarness();
    for (const name of names) {
      const uscc = freshUscc();
      codes.set(name, uscc);
      const res = await h.call('opA', 'POST', '/targets', { ...targetBody(uscc, 'dept-a'), name });
      expect(res.statusCode, res.body).toBe(201);
    }
    for (const id of ['p-1', 'p-2', 'p-3']) {
      expect((await h.call('opA', 'POST', '/inspectors', inspectorBody(id, 'dept-a'))).statusCode).toBe(201);
      expect((await h.call('opA', 'POST', '/experts', expertBody(`x-${id}`, 'dept-a'))).statusCode).toBe(201);
    }
  });
  afterAll(async () => {
    await h.close();
  });

  const namesOf = (body: { items: { name: string }[] }): string[] => body.items.map((t) => t.name).sort();
  const search = async (text: string, extra = ''): Promise<{ statusCode: number; json: () => { items: { name: string }[]; total: number; nextCursor: string | null } }> =>
    h.call('auditor', 'GET', `/targets?name=${encodeURIComponent(text)}${extra}`);

  it('regression (GET /targets could not search by name): ?name= finds every target whose name contains the text', async () => {
    const res = await search('加油站');
    expect(res.statusCode).toBe(200);
    expect(namesOf(res.json())).toEqual(['沂源县南麻加油站', '沂源县鲁村加油站']);
    expect(res.json().total).toBe(2);
  });

  it('name search ignores the case of Latin letters', async () => {
    expect(namesOf((await search('acme')).json())).toEqual(['ACME Trading Co.', 'acme foods']);
    expect(namesOf((await search('TRADING')).json())).toEqual(['ACME Trading Co.']);
  });

  it('% and _ typed in a search match themselves, not any text (LIKE wildcards are escaped)', async () => {
    expect(namesOf((await search('0%_P')).json())).toEqual(['100%_Pure 商贸']);
    expect(namesOf((await search('%%')).json())).toEqual([]);
    expect(namesOf((await search('__')).json())).toEqual([]);
    expect(namesOf((await search('\\%')).json())).toEqual([]);
  });

  it('a search of one character or over 50 is refused with a coded 400 naming querystring/name', async () => {
    for (const text of ['油', 'x'.repeat(51)]) {
      const res = await search(text);
      expect(res.statusCode, text).toBe(400);
      expect(res.json(), text).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: 'querystring/name' } });
    }
  });

  it('a name search combines with the pool filter and pages like any query (limit, after, total)', async () => {
    const first = await search('沂源县', '&jurisdiction=dept-a&limit=1');
    expect(first.json().items).toHaveLength(1);
    expect(first.json().total).toBe(2);
    const cursor = first.json().nextCursor;
    expect(cursor).not.toBeNull();
    const second = await search('沂源县', `&jurisdiction=dept-a&limit=1&after=${cursor}`);
    expect(second.json().items).toHaveLength(1);
    expect(second.json().nextCursor).toBeNull();
    expect(namesOf({ items: [...first.json().items, ...second.json().items] })).toEqual(['沂源县南麻加油站', '沂源县鲁村加油站']);
    expect((await search('沂源县', '&jurisdiction=dept-b')).json().total).toBe(0);
  });

  it('regression (GET /inspectors had no paging): ?limit and ?after page the inspectors, with total and nextCursor as for targets', async () => {
    const first = await h.call('auditor', 'GET', '/inspectors?limit=2');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ total: 3, nextCursor: 'p-2' });
    expect(first.json().items.map((i: { inspectorId: string }) => i.inspectorId)).toEqual(['p-1', 'p-2']);
    const second = await h.call('auditor', 'GET', '/inspectors?limit=2&after=p-2');
    expect(second.json()).toMatchObject({ total: 3, nextCursor: null });
    expect(second.json().items.map((i: { inspectorId: string }) => i.inspectorId)).toEqual(['p-3']);
    const all = await h.call('auditor', 'GET', '/inspectors');
    expect(all.json()).toMatchObject({ total: 3, nextCursor: null });
  });

  it('experts page the same way; a bad page size is a coded 400 naming querystring/limit', async () => {
    const page = await h.call('auditor', 'GET', '/experts?limit=1&after=x-p-1');
    expect(page.json()).toMatchObject({ total: 3, nextCursor: 'x-p-2' });
    expect(page.json().items.map((e: { expertId: string }) => e.expertId)).toEqual(['x-p-2']);
    for (const bad of ['0', '1001', 'ten']) {
      const res = await h.call('auditor', 'GET', `/inspectors?limit=${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().details.field, bad).toBe('querystring/limit');
    }
  });
});
