import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from 'better-sqlite3';
import { isValidUscc } from '../../../domain/uscc.js';
import { likeSubstring } from '../../../projections/registers/query-targets.js';
import { stmt } from '../../../projections/registers/sql.js';
import { PageError, paged, pager, sendPage, table } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { noticesByIds } from '../notices-read.js';
import { noticeTable } from './notices.js';

const USCC = /^[0-9A-Z]{18}$/;
const PAGE = 50;
/** Fewer characters narrow nothing (every name has 有/公/司); more are not a name. Same bounds as GET /targets?name=. */
export const SEARCH_MIN = 2;
export const SEARCH_MAX = 50;

interface Hit { uscc: string; name: string | null; notices: number }

/**
 * The business's name as published: a result notice's, else (a business a task notice listed by
 * credit code only) its registered name — public registration data, read for a code that is already
 * public. Nothing else of the register is read.
 */
const NAME = 'coalesce(b.name, (SELECT t.name FROM reg_targets t WHERE t.uscc = b.uscc))';

function byCode(db: Database, uscc: string): Hit | undefined {
  return stmt(db, `SELECT b.uscc, ${NAME} AS name, (SELECT count(*) FROM pub_business_notices n WHERE n.uscc = b.uscc) AS notices FROM pub_businesses b WHERE b.uscc = ?`).get(uscc) as Hit | undefined;
}

/**
 * Name search over the businesses that appear in a public notice: substring, Latin letters
 * case-insensitive (LIKE), `%` and `_` literal. One pass over pub_businesses in credit-code order,
 * stopping at a page: bounded by the published businesses, never the whole register.
 */
function byName(db: Database, text: string, after: string | undefined, limit: number): Hit[] {
  return stmt(db, `SELECT b.uscc, ${NAME} AS name, (SELECT count(*) FROM pub_business_notices n WHERE n.uscc = b.uscc) AS notices
    FROM pub_businesses b WHERE b.uscc > ? AND ${NAME} LIKE ? ESCAPE '\\' ORDER BY b.uscc LIMIT ?`).all(after ?? '', likeSubstring(text), limit) as Hit[];
}

const searchForm = (q: string, error?: string): SafeHtml => html`<form method="get" action="/public/search" role="search" class="${error === undefined ? '' : 'field-error'}">
<div class="field"><label for="q">企业名称或统一社会信用代码</label>
<input type="search" id="q" name="q" value="${q}" maxlength="${SEARCH_MAX}" autocomplete="off"${error === undefined ? '' : html` aria-invalid="true" aria-describedby="q-error"`}>
${error === undefined ? '' : html`<p class="error" id="q-error">${error}</p>`}</div>
<button type="submit">查询</button></form>`;

function hitsTable(hits: readonly Hit[]): SafeHtml {
  return table('查询结果', ['企业名称', '统一社会信用代码', '相关公示'], hits.map((h) => [
    html`<a href="${`/public/businesses/${h.uscc}`}">${h.name ?? h.uscc}</a>`, h.uscc, `${h.notices} 条`,
  ]), { rowHeader: true, empty: '没有找到相关企业。只能查到在公示中出现过的企业。' });
}

/** Search (by credit code or name) and one page per business with every public notice about it. */
export function businessPages(app: FastifyInstance, db: Database): void {
  app.get('/search', async (request, reply) => {
    const raw = (request.query as Record<string, unknown>).q;
    const q = typeof raw === 'string' ? raw.trim() : '';
    const send = (body: SafeHtml, status = 200) => sendPage(reply, {
      title: q === '' ? '查询' : `查询：${q.slice(0, SEARCH_MAX)}`, current: '/public/search',
      breadcrumbs: [{ label: '首页', href: '/' }, { label: '查询' }],
      body: html`<h1>查询企业公示信息</h1><p>输入统一社会信用代码（18位，精确查询）或企业名称中的连续文字（至少 ${SEARCH_MIN} 个字）。</p>${body}`,
    }, status);
    if (raw !== undefined && typeof raw !== 'string') return send(searchForm('', '查询参数无效。'), 400);
    if (raw === undefined || q === '') return send(searchForm('', raw === undefined ? undefined : '请输入企业名称或统一社会信用代码。'));
    if ([...q].length > SEARCH_MAX) return send(searchForm(q.slice(0, SEARCH_MAX), `查询内容过长：最多 ${SEARCH_MAX} 个字。`), 400);
    if ([...q].length < SEARCH_MIN) return send(searchForm(q, `查询内容过短：至少输入 ${SEARCH_MIN} 个字。`));
    if (/^[0-9A-Za-z]{18}$/.test(q)) {
      const code = q.toUpperCase();
      const hit = byCode(db, code);
      return send(html`${searchForm(q)}${hitsTable(hit === undefined ? [] : [hit])}${hit === undefined && !isValidUscc(code) ? html`<p class="muted">提示：${code} 不是有效的统一社会信用代码（校验位不符）。</p>` : ''}`);
    }
    const afterRaw = (request.query as Record<string, unknown>).after;
    if (afterRaw !== undefined && (typeof afterRaw !== 'string' || !USCC.test(afterRaw))) throw new PageError(400, '翻页参数 after 无效。', 'The paging parameter `after` is invalid.', 'after');
    const p = paged(byName(db, q, afterRaw as string | undefined, PAGE + 1), PAGE, (h) => h.uscc);
    return send(html`${searchForm(q)}${hitsTable(p.rows)}${pager('/public/search', { q }, p.next)}`);
  });

  app.get('/businesses/:uscc', async (request: FastifyRequest, reply) => {
    const code = (request.params as { uscc?: unknown }).uscc;
    const invalid = new PageError(404, '统一社会信用代码无效，没有这个企业的页面。', 'Not a valid unified social credit code.', 'uscc');
    if (typeof code !== 'string' || !USCC.test(code)) throw invalid;
    const hit = byCode(db, code);
    if (hit === undefined && !isValidUscc(code)) throw invalid;
    const ids = hit === undefined ? [] : (stmt(db, 'SELECT notice_id FROM pub_business_notices WHERE uscc = ? ORDER BY position DESC').pluck().all(code) as string[]);
    const notices = [...noticesByIds(db, ids).values()].sort((a, b) => b.position - a.position);
    const name = hit?.name ?? code;
    return sendPage(reply, {
      title: name, current: '/public/search',
      breadcrumbs: [{ label: '首页', href: '/' }, { label: '查询', href: '/public/search' }, { label: name }],
      body: html`<h1>${name}</h1>
<p>统一社会信用代码：${code}</p>
${notices.length === 0 ? html`<p>暂无关于该企业的公示。</p>` : noticeTable(db, `关于该企业的公示（共 ${notices.length} 条，由新到旧）`, notices)}
<p class="muted">列出公布了抽取名单的抽查任务公告、抽查结果公示及其更正公示。</p>`,
    });
  });
}
