import type { FastifyInstance } from 'fastify';
import type { Database } from 'better-sqlite3';
import { afterParam, beijingTime, departmentNames, PageError, paged, pager, queryParam, sendPage, table } from '../components.js';
import { html, type SafeHtml } from '../html.js';

const PAGE = 50;
const kindLabel: Record<string, string> = {
  targets: '抽取检查对象', experts: '抽取专家', batchOrder: '批次顺序', inspectorGroups: '抽取执法检查人员', extension: '追加抽取', replacement: '替换抽取',
};
const filters = { all: '全部', abandoned: '已放弃', overdue: '逾期未完成', completed: '已完成', committed: '进行中' } as const;
type Filter = keyof typeof filters;

interface Row {
  draw_id: string; task: string; kind: string; department: string; status: 'committed' | 'completed' | 'abandoned'; committed_at: string; due_at: string;
  pool_size: number; completed_at: string | null; abandoned_at: string | null; abandon_reason: string | null; committed_position: number;
}

/** V1/V3: the status as the public reads it; abandoned (放弃) and overdue (逾期) are marked, never hidden. */
export function drawStatus(r: { status: Row['status']; due_at: string; abandon_reason: string | null }, now: string): SafeHtml {
  if (r.status === 'abandoned') return html`<span class="status status-abandoned">已放弃</span>${r.abandon_reason === null ? '' : html` <span class="muted">原因：${r.abandon_reason}</span>`}`;
  if (r.status === 'completed') return html`<span class="status status-ok">已完成</span>`;
  if (Date.parse(now) >= Date.parse(r.due_at)) return html`<span class="status status-overdue">逾期未完成</span>`;
  return html`<span class="status">进行中</span>`;
}

function where(filter: Filter): string {
  switch (filter) {
    case 'all': return '1';
    case 'abandoned': return "status = 'abandoned'";
    case 'completed': return "status = 'completed'";
    case 'committed': return "status = 'committed' AND julianday(due_at) > julianday(@now)";
    case 'overdue': return "status = 'committed' AND julianday(due_at) <= julianday(@now)";
  }
}

/** V1, V3, V4: every draw with its status; each links to its replay page (/public/draws/:drawId). */
export function drawPages(app: FastifyInstance, db: Database, clock: () => Date): void {
  app.get('/draws', async (request, reply) => {
    const f = queryParam(request, 'status', 20) ?? 'all';
    if (!(f in filters)) throw new PageError(400, '状态筛选无效。', 'Unknown status filter.', 'status');
    const filter = f as Filter;
    const now = clock().toISOString();
    const after = afterParam(request);
    // Dynamic only among the five fixed WHERE texts above, so at most five prepared shapes.
    const rows = db.prepare(`SELECT draw_id, task, kind, department, status, committed_at, due_at, pool_size, completed_at, abandoned_at, abandon_reason, committed_position
      FROM draws WHERE committed_position < @after AND ${where(filter)} ORDER BY committed_position DESC LIMIT @limit`)
      .all({ after: after ?? Number.MAX_SAFE_INTEGER, now, limit: PAGE + 1 }) as Row[];
    const p = paged(rows, PAGE, (r) => r.committed_position);
    const names = departmentNames(db, p.rows.map((r) => r.department));
    const tabs = html`<nav aria-label="按状态筛选"><p>${(Object.keys(filters) as Filter[]).map((k, i) => html`${i > 0 ? ' · ' : ''}${k === filter ? html`<strong aria-current="true">${filters[k]}</strong>` : html`<a href="${k === 'all' ? '/public/draws' : `/public/draws?status=${k}`}">${filters[k]}</a>`}`)}</p></nav>`;
    return sendPage(reply, {
      title: '随机抽取记录', current: '/public/draws',
      breadcrumbs: [{ label: '首页', href: '/' }, { label: '随机抽取记录' }],
      body: html`<h1>随机抽取记录</h1>
<p>每一次随机抽取都先公开承诺、再揭示随机源、最后公开结果；放弃或逾期的抽取同样公开，不能悄悄重抽。点击抽取编号可在浏览器中独立复核。</p>
${tabs}
${table(`随机抽取记录（${filters[filter]}，按承诺时间由新到旧）`, ['抽取编号', '任务', '类型', '部门', '状态', '承诺时间', '应完成时间', '对象池'], p.rows.map((r) => [
        html`<a href="${`/public/draws/${encodeURIComponent(r.draw_id)}`}">${r.draw_id}</a>`, r.task, kindLabel[r.kind] ?? r.kind, names.get(r.department) ?? r.department,
        drawStatus(r, now), beijingTime(r.committed_at), beijingTime(r.due_at), `${r.pool_size}`,
      ]), { rowHeader: true, empty: '没有符合条件的抽取记录。' })}
${pager('/public/draws', { status: filter === 'all' ? undefined : filter }, p.next)}`,
    });
  });
}
