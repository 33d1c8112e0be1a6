import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE, openSeededSite, type SeededSite } from './seeded-site.js';

/** The pages' markup must never carry the hostile text unescaped, in any page. */
const assertNoRawHostile = (body: string): void => {
  expect(body).not.toContain(HOSTILE.script);
  expect(body).not.toContain('<img src=x');
  expect(body).not.toContain('<svg');
};

describe('public site pages over the seeded demo county (inject)', () => {
  let s: SeededSite;
  const get = (url: string) => s.app.inject({ method: 'GET', url });
  const one = <T>(sql: string, ...p: unknown[]): T => s.rt.projectionDb.prepare(sql).pluck().get(...p) as T;

  beforeAll(async () => {
    s = await openSeededSite(2000);
  }, 120_000);
  afterAll(async () => {
    await s.close();
  });

  it('P2: every page type is a Chinese HTML document with its h1, nav and no inline script', async () => {
    const result = one<string>("SELECT notice_id FROM notices WHERE kind = 'resultNotice' ORDER BY position LIMIT 1");
    const task = one<string>("SELECT notice_id FROM notices WHERE kind = 'taskNotice' ORDER BY position LIMIT 1");
    const plan = one<string>("SELECT notice_id FROM notices WHERE kind = 'planNotice' ORDER BY position LIMIT 1");
    const uscc = one<string>('SELECT uscc FROM pub_businesses WHERE name IS NOT NULL LIMIT 1');
    const pages: [string, string][] = [
      ['/', '双随机、一公开 公示平台'],
      ['/public/items', '随机抽查事项清单'],
      [`/public/items/${s.hostileList.departmentId}`, '随机抽查事项清单'],
      [`/public/items/${s.hostileList.departmentId}/versions/${s.hostileList.version}`, `第${s.hostileList.version}版`],
      ['/public/plans', '抽查计划公示'],
      [`/public/plans/${plan}`, '双随机抽查工作计划'],
      ['/public/tasks', '抽查任务公告'],
      [`/public/tasks/${task}`, '任务公告'],
      ['/public/results', '抽查结果公示'],
      [`/public/results/${result}`, '抽查结果公示'],
      ['/public/draws', '随机抽取记录'],
      ['/public/search', '查询企业公示信息'],
      [`/public/businesses/${uscc}`, '有限公司'],
      ['/public/objections/new', '提出异议'],
    ];
    for (const [url, h1] of pages) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(r.headers['content-security-policy'], url).toContain("script-src 'self'");
      expect(r.body, url).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
      expect(r.body, url).toMatch(new RegExp(`<h1>[^<]*${h1}`));
      expect(r.body, url).toContain('aria-label="主导航"');
      expect(r.body, url).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      assertNoRawHostile(r.body);
    }
  });

  it('serves the one stylesheet as text/css', async () => {
    const r = await get('/public/assets/site.css');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(r.body).toContain('.table-wrap{overflow-x:auto');
  });

  it('tables have captions and header cells with scope', async () => {
    const r = await get('/public/results');
    expect(r.body).toMatch(/<table><caption>抽查结果公示/);
    expect(r.body).toContain('<th scope="col">统一社会信用代码</th>');
    expect(r.body).toContain('<th scope="row">');
  });

  it('a register entry named <script>alert(1)</script> and an item named "><img onerror=…> render as text', async () => {
    const home = await get('/');
    expect(home.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const v = await get(`/public/items/${s.hostileList.departmentId}/versions/${s.hostileList.version}`);
    expect(v.body).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(v.body).toContain('&#39;&gt;&lt;svg onload=alert(3)&gt;&amp;amp;');
    // The diff shows the renamed item: before struck out, after inserted.
    expect(v.body).toMatch(/<del>[^<]+<\/del>/);
    expect(v.body).toContain('<ins>&quot;&gt;&lt;img src=x onerror=alert(2)&gt;</ins>');
    assertNoRawHostile(v.body);
  });

  it('a hostile search query is echoed escaped, in the field and the title', async () => {
    const q = encodeURIComponent(HOSTILE.attribute);
    const r = await get(`/public/search?q=${q}`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"');
    assertNoRawHostile(r.body);
  });

  it('E6: a correction is marked and linked to what it corrects, and the corrected notice links to its correction', async () => {
    const corr = s.rt.projectionDb.prepare("SELECT notice_id, json_extract(body, '$.correction.corrects') AS corrects FROM notices WHERE kind = 'resultCorrectionNotice' LIMIT 1").get() as { notice_id: string; corrects: string };
    const c = await get(`/public/results/${corr.notice_id}`);
    expect(c.body).toContain('更正公示（第1次更正）');
    expect(c.body).toContain(`href="/public/results/${corr.corrects}"`);
    const o = await get(`/public/results/${corr.corrects}`);
    expect(o.body).toContain('本公示已被更正');
    expect(o.body).toContain(`href="/public/results/${corr.notice_id}"`);
    const list = await get('/public/results');
    expect(list.body).toContain(`更正 <a href="/public/results/${corr.corrects}">原公示</a>`);
  });

  it('P2: a task notice page shows number, items, window, units and count, and the drawn list when published', async () => {
    const id = one<string>("SELECT notice_id FROM notices WHERE kind = 'taskNotice' AND json_extract(body, '$.targets') IS NOT NULL AND json_extract(body, '$.adHoc') = 0 LIMIT 1");
    const body = JSON.parse(one<string>('SELECT body FROM notices WHERE notice_id = ?', id)) as { taskId: string; targets: { uscc: string }[]; window: { from: string; to: string }; planVersion: number; classes: { name: string; quota: { count?: number } }[] };
    const r = await get(`/public/tasks/${id}`);
    expect(r.body).toContain(`<dd>${body.taskId}</dd>`);
    expect(r.body).toContain(`${body.window.from} 至 ${body.window.to}`);
    expect(r.body).toContain('<caption>抽查事项</caption>');
    expect(r.body).toContain('<caption>执行单位与抽取数量</caption>');
    for (const t of body.targets) expect(r.body).toContain(`href="/public/businesses/${t.uscc}"`);
    // A planned task links to the plan notice it belongs to, and names the version it was created under.
    expect(r.body).toMatch(/所属计划：<a href="\/public\/plans\/planNotice-[^"]+">/);
    expect(body.planVersion).toBeGreaterThanOrEqual(1);
    expect(r.body).toContain(`（依据计划第 ${body.planVersion} 版）`);
    // P2/T3: the scope — each class, its conditions and its quota, as the draw took them.
    expect(body.classes.length).toBeGreaterThan(0);
    expect(r.body).toContain('<caption>抽查范围（抽取对象的条件与数量）</caption>');
    for (const c of body.classes) {
      expect(r.body).toContain(`<th scope="row">${c.name}</th>`);
      if (c.quota.count !== undefined) expect(r.body).toContain(`${c.quota.count} 户`);
    }
    expect(r.body).toContain('登记状态：存续');
  });

  it('search finds a business by exact credit code and by part of its name; results link to its page', async () => {
    const b = s.rt.projectionDb.prepare('SELECT uscc, name FROM pub_businesses WHERE name IS NOT NULL LIMIT 1').get() as { uscc: string; name: string };
    const byCode = await get(`/public/search?q=${b.uscc.toLowerCase()}`);
    expect(byCode.body).toContain(`<a href="/public/businesses/${b.uscc}">`);
    const part = [...b.name].slice(3, 7).join('');
    const byName = await get(`/public/search?q=${encodeURIComponent(part)}`);
    expect(byName.body).toContain(`<a href="/public/businesses/${b.uscc}">`);
    const page = await get(`/public/businesses/${b.uscc}`);
    expect(page.body).toContain(`<h1>${b.name}</h1>`);
    const notices = one<number>('SELECT count(*) FROM pub_business_notices WHERE uscc = ?', b.uscc);
    expect(notices).toBeGreaterThan(0);
    expect(page.body).toContain(`共 ${notices} 条`);
  });

  it('an empty, too-short or too-long query gets a clear message, not a scan', async () => {
    expect((await get('/public/search?q=')).body).toContain('请输入企业名称或统一社会信用代码');
    expect((await get('/public/search?q=a')).body).toContain('查询内容过短');
    const long = await get(`/public/search?q=${'有'.repeat(51)}`);
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('查询内容过长');
    const huge = await get(`/public/search?q=${'x'.repeat(20_000)}`);
    expect(huge.statusCode).toBe(400);
    // A repeated key is an array, not a text: refused, not crashed on.
    expect((await get('/public/search?q=ab&q=cd')).statusCode).toBe(400);
    // LIKE wildcards match themselves only.
    expect((await get('/public/search?q=%25%25')).body).toContain('没有找到相关企业');
  });

  it('status codes: unknown /public paths, bad ids, traversal and bad cursors are Chinese 404/400 pages, never 500', async () => {
    const cases: [string, number][] = [
      ['/public/nope', 404],
      ['/public', 404],
      ['/public/results/..%2F..%2Fetc%2Fpasswd', 404],
      ['/public/assets/%2e%2e%2fpackage.json', 404],
      ['/public/businesses/123', 404],
      ['/public/businesses/91370323MA3UU9L44Y', 404],
      ['/public/businesses/%3Cscript%3E', 404],
      ['/public/results/taskNotice-x', 404],
      [`/public/results/${'a'.repeat(99)}`, 404],
      ['/public/items/nobody', 404],
      ['/public/items/%00', 404],
      ['/public/items/x/versions/0', 404],
      ['/public/results?after=-1', 400],
      ['/public/results?after=1e9', 400],
      ['/public/draws?status=%3Cscript%3E', 400],
      ['/public/draws?after=1&after=2', 400],
    ];
    // Dot segments are resolved before routing: no file outside the served assets is reachable.
    const dots = await get('/public/assets/../../package.json');
    expect(dots.statusCode).toBe(404);
    expect(dots.body).not.toContain('"dependencies"');
    // fastify's router refuses a path parameter over 100 characters before any page runs.
    expect((await get(`/public/results/${'a'.repeat(300)}`)).statusCode).toBe(414);
    for (const [url, status] of cases) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(status);
      expect(r.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(r.body, url).toMatch(/<h1>(页面不存在|请求有误)<\/h1>/);
      assertNoRawHostile(r.body);
    }
  });

  it('paging with ?after= walks the list without repeats', async () => {
    const first = await get('/public/results');
    const positions = [...first.body.matchAll(/href="\/public\/results\/([^"]+)"/g)].map((m) => m[1]);
    expect(positions.length).toBeGreaterThan(1);
    const last = one<number>('SELECT position FROM notices WHERE notice_id = ?', decodeURIComponent(positions[1] as string));
    const next = await get(`/public/results?after=${last}`);
    expect(next.body).not.toContain(`/public/results/${positions[0]}"`);
  });

  it('never shows a non-public field: no risk or credit class, no objection contact or statement', async () => {
    const received = (await s.rt.store.readAll()).filter((e) => e.type === 'ObjectionReceived');
    expect(received.length).toBeGreaterThan(0);
    const contact = (received[0]?.payload as { contact: string }).contact;
    const urls = ['/', '/public/results', '/public/tasks', '/public/draws'];
    const uscc = one<string>('SELECT uscc FROM pub_businesses WHERE name IS NOT NULL LIMIT 1');
    urls.push(`/public/businesses/${uscc}`);
    for (const id of s.rt.projectionDb.prepare("SELECT notice_id FROM notices WHERE kind LIKE 'result%'").pluck().all() as string[]) urls.push(`/public/results/${id}`);
    for (const url of urls) {
      const r = await get(url);
      expect(r.body, url).not.toMatch(/风险等级|信用等级|riskLevel|creditLevel/);
      expect(r.body, url).not.toContain(contact);
    }
  });
  describe('E7: the objection form', () => {
    const form = (fields: Record<string, string>) =>
      s.app.inject({ method: 'POST', url: '/public/objections', payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    /** A published result notice whose visit has no public objection yet. */
    const target = () => {
      const rows = s.rt.projectionDb.prepare("SELECT notice_id, json_extract(body, '$.visitId') AS visit, json_extract(body, '$.target.uscc') AS uscc FROM notices WHERE kind = 'resultNotice' ORDER BY position").all() as { notice_id: string; visit: string; uscc: string }[];
      return rows[rows.length - 1] as { notice_id: string; visit: string; uscc: string };
    };

    it('E7: the form page names the notice and its business, with labelled fields', async () => {
      const t = target();
      const r = await get(`/public/objections/new?visit=${encodeURIComponent(t.visit)}&notice=${encodeURIComponent(t.notice_id)}`);
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain(`href="/public/results/${t.notice_id}"`);
      for (const f of ['visit', 'uscc', 'contact', 'statement']) expect(r.body).toContain(`<label for="${f}">`);
      expect(r.body).toContain(`name="visit" value="${t.visit}"`);
    });

    it('E7: missing or malformed fields are shown next to each field (400) and write nothing', async () => {
      const before = (await s.rt.store.head()).size;
      const r = await form({ visit: target().visit, uscc: 'abc', contact: '', statement: HOSTILE.script });
      expect(r.statusCode).toBe(400);
      expect(r.body).toMatch(/<p class="error" id="uscc-error" role="alert">统一社会信用代码应为18位/);
      expect(r.body).toMatch(/<p class="error" id="contact-error" role="alert">请填写联系人/);
      expect(r.body).not.toContain('id="statement-error"');
      // What the business typed comes back in the form, escaped.
      expect(r.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;</textarea>');
      assertNoRawHostile(r.body);
      expect((await s.rt.store.head()).size).toBe(before);
    });

    it('E7: a credit code that is not the visit target\'s is the service\'s coded error, next to the field', async () => {
      const t = target();
      const before = (await s.rt.store.head()).size;
      const other = one<string>('SELECT uscc FROM pub_businesses WHERE uscc <> ? LIMIT 1', t.uscc);
      const r = await form({ visit: t.visit, notice: t.notice_id, uscc: other, contact: '张三 0533-1234567', statement: '结果有误' });
      const json = await s.app.inject({ method: 'POST', url: '/objections', payload: { visitId: t.visit, uscc: other, contact: '张三', statement: '结果有误' } });
      expect(r.statusCode).toBe(json.statusCode);
      expect(r.statusCode).toBe(400);
      expect(r.body).toMatch(/id="uscc-error" role="alert">[^<]*统一社会信用代码与检查对象不符/);
      expect((await s.rt.store.head()).size).toBe(before);
    });

    it('E7: a valid objection is recorded through the same service as POST /objections (confirmation page; a second is refused by both)', async () => {
      const t = target();
      const r = await form({ visit: t.visit, notice: t.notice_id, uscc: t.uscc.toLowerCase(), contact: '张三 0533-1234567', statement: '检查结果与事实不符。' });
      expect(r.statusCode).toBe(201);
      expect(r.body).toContain('<h1>异议已提交</h1>');
      const received = (await s.rt.store.readAll()).filter((e) => e.type === 'ObjectionReceived' && (e.payload as { visitId?: string }).visitId === t.visit);
      expect(received.at(-1)?.payload).toMatchObject({ channel: 'public', uscc: t.uscc, contact: '张三 0533-1234567' });
      // The contact never appears on a public page.
      expect((await get(`/public/results/${t.notice_id}`)).body).not.toContain('0533-1234567');
      const again = await form({ visit: t.visit, notice: t.notice_id, uscc: t.uscc, contact: '李四', statement: '再次提出' });
      const json = await s.app.inject({ method: 'POST', url: '/objections', payload: { visitId: t.visit, uscc: t.uscc, contact: '李四', statement: '再次提出' } });
      expect(again.statusCode).toBe(json.statusCode);
      expect(again.statusCode).toBeGreaterThanOrEqual(400);
      expect(again.body).toContain('role="alert"');
    });

    it('E7: the form route takes urlencoded bodies only there; the JSON API still refuses them', async () => {
      const r = await s.app.inject({ method: 'POST', url: '/objections', payload: 'visitId=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(r.statusCode).toBe(415);
    });
  });
});
