import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventCatalogue } from '../../src/domain/catalogue.js';
import { defineEvent } from '../../src/domain/event-definition.js';
import { SuijiError } from '../../src/domain/errors.js';
import { freshUscc, openHarness, targetBody, type Harness } from './registers/harness.js';

const CJK = /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/;

describe('coded validation errors and query strings (issue 8 §3, §4)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  describe('query strings are coerced, bodies are not', () => {
    it('regression (query strings were not coerced): GET /draws?limit=5 answers 200, not "must be integer"', async () => {
      const res = await h.call('anonymous', 'GET', '/draws?limit=5');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual([]);
    });

    it('a query value that is not an integer is still refused, naming querystring/limit in both languages', async () => {
      const res = await h.call('anonymous', 'GET', '/draws?limit=five');
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: 'querystring/limit', keyword: 'type' } });
      expect(body.messageZh).toContain('querystring/limit');
      expect(body.messageZh).toContain('应当是 integer 类型');
      expect(body.messageEn).toContain('must be integer');
      expect(body.messageEn).not.toMatch(CJK);
    });

    it('a count in a register query string is an integer: ?limit=2 pages, ?limit=-1 is refused', async () => {
      expect((await h.call('auditor', 'GET', '/targets?limit=2')).statusCode).toBe(200);
      const res = await h.call('auditor', 'GET', '/targets?limit=-1');
      expect(res.statusCode).toBe(400);
      expect(res.json().details.field).toBe('querystring/limit');
    });

    it('a JSON body is typed by its sender: a number sent as a string is refused (bodies are not coerced)', async () => {
      const good = targetBody(freshUscc(), 'dept-a');
      const before = await h.head();
      const res = await h.call('opA', 'POST', '/targets', { ...good, flags: { ...good.flags, complaintCount: '0' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toMatchObject({ field: 'body/flags/complaintCount', keyword: 'type' });
      expect(await h.head()).toEqual(before);
    });
  });

  describe('messages', () => {
    it('regression (messageZh carried Ajv English and no allowed values): an enum error is Chinese via ajv-i18n and lists the allowed values in both languages', async () => {
      const before = await h.head();
      const res = await h.call('opA', 'POST', '/targets', { ...targetBody(freshUscc(), 'dept-a'), scale: 'huge' });
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.details).toMatchObject({ field: 'body/scale', keyword: 'enum' });
      expect(body.details.allowedValues).toContain('small');
      expect(body.messageZh).toContain('应当是预设定的枚举值之一');
      expect(body.messageZh).not.toContain('must be');
      expect(body.messageZh).toMatch(/允许的值：.*small/);
      expect(body.messageEn).toMatch(/must be equal to one of the allowed values \(allowed: .*small/);
      expect(await h.head()).toEqual(before);
    });

    it('regression (unknown query parameters were not named): GET /targets?nmae=x is refused naming nmae and the allowed parameters', async () => {
      const res = await h.call('auditor', 'GET', '/targets?nmae=x');
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.details).toMatchObject({ field: 'querystring/nmae', parameter: 'nmae', keyword: 'additionalProperties' });
      expect(body.details.allowedParameters).toContain('limit');
      expect(body.messageZh).toContain('未知的查询参数 nmae');
      expect(body.messageEn).toContain('unknown query parameter nmae');
    });

    it('an unknown query parameter on a public route is named too (GET /draws?page=2)', async () => {
      const res = await h.call('anonymous', 'GET', '/draws?page=2');
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toMatchObject({ field: 'querystring/page', parameter: 'page' });
    });

    it('a route that takes no query string refuses one by name (GET /targets/:uscc?foo=1, GET /health?x=1)', async () => {
      const one = await h.call('auditor', 'GET', `/targets/${freshUscc()}?foo=1`);
      expect(one.statusCode).toBe(400);
      expect(one.json().details).toMatchObject({ field: 'querystring/foo', parameter: 'foo', allowedParameters: [] });
      expect(one.json().messageZh).toContain('不接受任何参数');
      const health = await h.call('anonymous', 'GET', '/health?x=1');
      expect(health.json().details).toMatchObject({ parameter: 'x' });
      expect((await h.call('anonymous', 'GET', '/health')).statusCode).toBe(200);
    });

    it('regression (messageEn sometimes carried Chinese): no validation or not-found error has Chinese in messageEn', async () => {
      const good = targetBody(freshUscc(), 'dept-a');
      const cases: [string, string, unknown][] = [
        ['POST', '/targets', { ...good, scale: 'huge' }],
        ['POST', '/targets', { ...good, extra: 1 }],
        ['POST', '/targets', { ...good, name: undefined }],
        ['POST', '/targets', { ...good, uscc: 'x' }],
        ['GET', '/targets?status=', undefined],
        ['GET', '/targets/91370323MA3C0000XX', undefined],
        ['GET', `/targets/${freshUscc()}`, undefined],
        ['GET', '/inspectors/nobody', undefined],
        ['GET', '/experts/nobody', undefined],
        ['GET', '/departments/nowhere', undefined],
      ];
      for (const [method, url, body] of cases) {
        const res = await h.call('opA', method as 'GET', url, body);
        expect(res.statusCode, `${method} ${url}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${method} ${url}`).toBeLessThan(500);
        const json = res.json();
        expect(json.messageZh, `${method} ${url}`).toMatch(CJK);
        expect(json.messageEn, `${method} ${url}: ${json.messageEn}`).not.toMatch(CJK);
      }
    });

    it('a missing body field is named with its property (body/name)', async () => {
      const { name: _drop, ...rest } = targetBody(freshUscc(), 'dept-a');
      const res = await h.call('opA', 'POST', '/targets', rest);
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toMatchObject({ field: 'body/name', keyword: 'required' });
      expect(res.json().messageZh).toContain('应当有必需属性 name');
    });
  });
});

describe('event payload validation speaks the same way (issue 8 §4)', () => {
  const catalogue = new EventCatalogue([
    defineEvent('ProbeRecorded', 1, { type: 'object', additionalProperties: false, required: ['level'], properties: { level: { enum: ['A', 'B', 'C', 'D'] } } }),
  ]);
  const refusal = (payload: unknown): SuijiError => {
    try {
      catalogue.validate('ProbeRecorded', payload);
    } catch (e) {
      if (e instanceof SuijiError) return e;
      throw e;
    }
    throw new Error('accepted');
  };

  it('an enum in an event payload is refused in Chinese (ajv-i18n) and English, listing A, B, C, D', () => {
    const e = refusal({ level: 'E' });
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.details).toMatchObject({ field: '/level', allowedValues: ['A', 'B', 'C', 'D'] });
    expect(e.messageZh).toContain('应当是预设定的枚举值之一（允许的值：A、B、C、D）');
    expect(e.messageEn).toContain('must be equal to one of the allowed values (allowed: A, B, C, D)');
    expect(e.messageEn).toContain('payload of ProbeRecorded');
  });

  it('an unknown payload field is named, with the allowed ones', () => {
    const e = refusal({ level: 'A', colour: 'red' });
    expect(e.details).toMatchObject({ field: '/colour', parameter: 'colour', allowedParameters: ['level'] });
    expect(e.messageZh).toContain('未知的字段 colour');
    expect(e.messageEn).not.toMatch(CJK);
  });
});
