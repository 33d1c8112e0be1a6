import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/api/app.js';
import { AFTER, DEADLINE, NOW, actors, issueToken, openSeededHarness, withTask, witnessPlan, type Harness } from '../../draws/harness.js';

const REASON = '<script>alert(1)</script> 现场停电';

describe('public draws page: abandoned and overdue draws are marked (V1, V3)', () => {
  let h: Harness;
  let token: string;
  let abandoned: string;
  let open: string;
  const appAt = (instant: string): Promise<FastifyInstance> =>
    buildApp({ store: h.store, projections: h.projections }, { publicRateLimit: false, draws: { clock: () => new Date(instant) } });

  beforeAll(async () => {
    h = await openSeededHarness(8);
    token = await issueToken(h.store, actors.opA);
    const body = await withTask(h, { task: 'T-SITE-1', item: 'ITEM-G1', classes: [{ name: 'all', filter: {}, quota: { count: 3 } }], entropy: witnessPlan(), revealDeadline: DEADLINE });
    await h.projections.catchUp();
    const app = await appAt(NOW);
    const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}` } });
    abandoned = (await post('/draws/targets', body)).json<{ drawId: string }>().drawId;
    expect((await post(`/draws/${abandoned}/abandon`, { reason: REASON })).statusCode).toBe(200);
    open = (await post('/draws/targets', body)).json<{ drawId: string }>().drawId;
    await app.close();
  }, 60_000);
  afterAll(async () => {
    await h.close();
  });

  it('V3: an abandoned draw is listed as 已放弃 with its reason (escaped) and links to its replay page', async () => {
    const app = await appAt(NOW);
    const r = await app.inject('/public/draws?status=abandoned');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain(`<a href="/public/draws/${encodeURIComponent(abandoned)}">${abandoned}</a>`);
    expect(r.body).toContain('<span class="status status-abandoned">已放弃</span>');
    expect(r.body).toContain('原因：&lt;script&gt;alert(1)&lt;/script&gt; 现场停电');
    expect(r.body).not.toContain(open);
    await app.close();
  });

  it('V1: a committed draw is 进行中 before its due time and 逾期未完成 after it, in the overdue filter only then', async () => {
    const before = await appAt(NOW);
    const b = await before.inject('/public/draws');
    expect(b.body).toMatch(new RegExp(`${open}</a></th>(<td>[^]*?</td>){3}<td><span class="status">进行中</span>`));
    expect((await before.inject('/public/draws?status=overdue')).body).not.toContain(open);
    await before.close();
    const after = await appAt(AFTER);
    const a = await after.inject('/public/draws?status=overdue');
    expect(a.body).toContain(`${open}</a>`);
    expect(a.body).toContain('<span class="status status-overdue">逾期未完成</span>');
    expect(a.body).not.toContain(`${abandoned}</a>`);
    await after.close();
  });
});
