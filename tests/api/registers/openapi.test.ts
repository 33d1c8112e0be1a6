import { afterEach, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from './harness.js';

describe('OpenAPI at /docs and the public rate limit', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('/docs/json is an OpenAPI 3.1 document listing every register route with its schemas; /docs serves the UI', async () => {
    h = await openHarness();
    const res = await h.call('anonymous', 'GET', '/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const expected: [string, string][] = [
      ['/departments', 'post'],
      ['/departments/{departmentId}', 'patch'],
      ['/users', 'post'],
      ['/users/{userId}/role', 'put'],
      ['/users/{userId}/deactivation', 'post'],
      ['/departments/{departmentId}/item-list/versions', 'post'],
      ['/departments/{departmentId}/item-list/versions/{version}', 'get'],
      ['/departments/{departmentId}/item-list/diff', 'get'],
      ['/targets', 'post'],
      ['/targets', 'get'],
      ['/targets/{uscc}', 'put'],
      ['/targets/{uscc}', 'patch'],
      ['/targets/{uscc}/status', 'post'],
      ['/targets/{uscc}/transfer', 'post'],
      ['/targets/{uscc}/special-registers', 'post'],
      ['/targets/{uscc}/special-registers/{registerId}/removal', 'post'],
      ['/targets/{uscc}/history', 'get'],
      ['/special-registers', 'post'],
      ['/special-registers/{registerId}/standard', 'put'],
      ['/inspectors', 'post'],
      ['/inspectors/{inspectorId}/conflicts/{uscc}/withdrawal', 'post'],
      ['/experts/{expertId}/conflicts', 'post'],
      ['/experts/{expertId}/history', 'get'],
      ['/imports', 'post'],
      ['/tokens', 'get'],
      ['/tokens/{tokenId}/revocation', 'post'],
    ];
    for (const [path, method] of expected) expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    // The request schema is the domain's: the credit code pattern (L6) and the 201/4xx responses are documented.
    const post = doc.paths['/targets'].post;
    expect(post.requestBody.content['application/json'].schema.properties.uscc.pattern).toBe('^[0-9A-Z]{18}$');
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['200', '201', '4XX']));
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const ui = await h.call('anonymous', 'GET', '/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });

  it('anonymous requests beyond the configured limit get 429 in the one error shape; signed-in requests are not limited', async () => {
    h = await openHarness({ publicRateLimit: { max: 3, timeWindow: 60_000 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await h.call('anonymous', 'GET', '/docs/json')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await h.call('anonymous', 'GET', '/docs/json');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: 'RATE_LIMITED' });
    for (let i = 0; i < 5; i++) expect((await h.call('auditor', 'GET', '/health')).statusCode).toBe(200);
  });
});
