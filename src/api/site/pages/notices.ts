import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from 'better-sqlite3';
import type { Notice, PlanNoticeBody, ResultNoticeBody, TaskNoticeBody } from '../../../domain/notices/index.js';
import { afterParam, beijingTime, departmentNames, facts, PageError, paged, pager, sendPage, table } from '../components.js';
import { html, raw, type SafeHtml } from '../html.js';
import { describeFilter, describeQuota } from '../scope.js';
import { correctionsOf, latestPlanNotice, noticeById, noticesByIds, noticesNewestFirst, resultNoticesNewestFirst, type NoticeFull, type NoticeSummary, type ResultRow } from '../notices-read.js';

const NOTICE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const PAGE = 50;
/** A task notice's drawn list is shown up to this many rows; the whole list is in the JSON notice. */
const TARGETS_SHOWN = 2000;

interface Section {
  readonly path: string;
  readonly title: string;
  readonly kinds: readonly Notice['kind'][];
  readonly intro: string;
}

export const SECTIONS = {
  plans: { path: '/public/plans', title: '抽查计划公示', kinds: ['planNotice'], intro: '各部门年度双随机抽查工作计划，每次备案的版本都在此公示，含每个抽查事项的时间、比例与预计数量。' },
  tasks: { path: '/public/tasks', title: '抽查任务公告', kinds: ['taskNotice'], intro: '每个抽查任务派发时自动公告：任务编号、抽查事项、时间、执行单位与抽取数量；任务要求随公告公布名单时，同时公布抽取名单。' },
  results: { path: '/public/results', title: '抽查结果公示', kinds: ['resultNotice', 'resultCorrectionNotice'], intro: '检查结果经审核后自动公示；更正公示标明所更正的原公示。' },
} as const satisfies Record<string, Section>;

export const noticePath = (n: { kind: Notice['kind']; noticeId: string }): string =>
  `${n.kind === 'planNotice' ? SECTIONS.plans.path : n.kind === 'taskNotice' ? SECTIONS.tasks.path : SECTIONS.results.path}/${encodeURIComponent(n.noticeId)}`;

export const kindLabel: Record<Notice['kind'], string> = {
  planNotice: '计划公示', taskNotice: '任务公告', resultNotice: '结果公示', resultCorrectionNotice: '更正公示',
};

/** The rows of a notice list: title (linked), kind, department, time. */
export function noticeTable(db: Database, caption: string, notices: readonly NoticeSummary[]): SafeHtml {
  const depts = departmentNames(db, notices.map((n) => n.department));
  return table(caption, ['标题', '类别', '发布部门', '发布时间'], notices.map((n) => [
    html`<a href="${noticePath(n)}">${n.title}</a>`,
    n.kind === 'resultCorrectionNotice' ? html`<span class="status status-overdue">${kindLabel[n.kind]}</span>` : kindLabel[n.kind],
    depts.get(n.department) ?? n.department,
    beijingTime(n.publishedAt),
  ]), { empty: '暂无公示。' });
}

/** E5: the result list shows what the national platforms show — name, credit code, date, result, remarks. */
function resultTable(rows: readonly ResultRow[]): SafeHtml {
  return table('抽查结果公示（按发布时间由新到旧）', ['企业名称', '统一社会信用代码', '公示日期', '检查结果', '备注'], rows.map((r) => [
    html`<a href="${noticePath(r)}">${r.name}</a>`,
    html`<a href="${`/public/businesses/${r.uscc}`}">${r.uscc}</a>`,
    r.approvedOn,
    r.results.map((x, i) => html`${i > 0 ? raw('<br>') : ''}${x.itemName}：${x.category}${x.kind === null ? '' : `（${x.kind}${x.detail === null ? '' : `：${x.detail}`}）`}`),
    r.corrects === null ? '' : html`<span class="status status-overdue">更正</span> 更正 <a href="${`${SECTIONS.results.path}/${encodeURIComponent(r.corrects)}`}">原公示</a>`,
  ]), { rowHeader: true, empty: '暂无公示。' });
}

function listPage(app: FastifyInstance, db: Database, s: Section): void {
  app.get(s.path.replace('/public', ''), async (request, reply) => {
    const after = afterParam(request);
    let list: SafeHtml;
    let next: string | number | null;
    if (s === SECTIONS.results) {
      const p = paged(resultNoticesNewestFirst(db, after, PAGE + 1), PAGE, (n) => n.position);
      list = resultTable(p.rows);
      next = p.next;
    } else {
      const p = paged(noticesNewestFirst(db, s.kinds, after, PAGE + 1), PAGE, (n) => n.position);
      list = noticeTable(db, `${s.title}（按发布时间由新到旧）`, p.rows);
      next = p.next;
    }
    return sendPage(reply, {
      title: s.title,
      current: s.path,
      breadcrumbs: [{ label: '首页', href: '/' }, { label: s.title }],
      body: html`<h1>${s.title}</h1><p>${s.intro}</p>${list}${pager(s.path, {}, next)}`,
    });
  });
}

function ratio(r: { numerator: number; denominator: number }): string {
  return `${r.numerator}/${r.denominator}（${((100 * r.numerator) / r.denominator).toFixed(2).replace(/\.?0+$/, '')}%）`;
}

function planBody(b: PlanNoticeBody): SafeHtml {
  const changed = (ids: readonly string[]): string => (ids.length === 0 ? '无' : ids.join('、'));
  return html`${facts([['部门', b.departmentName], ['年度', `${b.year}年`], ['版本', `第${b.version}版`],
    ['本版调整', html`新增：${changed(b.changes.added)}；调整：${changed(b.changes.changed)}；删除：${changed(b.changes.removed)}`]])}
${table('本版计划的抽查事项', ['抽查事项', '类别', '时间', '抽查比例', '预计抽查数量'], b.items.map((i) => [
    html`${i.name}<br><span class="muted">${i.itemId}</span>`, i.category === 'key' ? '重点' : '一般', `${i.window.from} 至 ${i.window.to}`, ratio(i.ratio), i.estimatedCount,
  ]), { rowHeader: true })}`;
}

function taskBody(db: Database, b: TaskNoticeBody, listed: number | null): SafeHtml {
  const units = departmentNames(db, [b.departmentId, ...(b.delegate === null ? [] : [b.delegate]), ...b.units.map((u) => u.executingUnit)]);
  const unitName = (id: string): string => units.get(id) ?? id;
  const total = b.units.reduce((n, u) => n + u.count, 0);
  const list = b.targets;
  // A planned task's items come from the plan in force in its year: link the department's latest
  // plan notice of that year; notices since issue 11 also say which version the task was created under.
  const plan = b.adHoc ? undefined : latestPlanNotice(db, b.departmentId, Number(b.window.from.slice(0, 4)));
  const version = typeof b.planVersion === 'number' ? `（依据计划第 ${b.planVersion} 版）` : '';
  const scope = b.classes === undefined ? [] : b.classes;
  const scopeNames = departmentNames(db, scope.flatMap((c) => c.filter.jurisdiction ?? []));
  return html`${facts([['任务编号', b.taskId], ['任务名称', b.name], ['发起部门', b.departmentName],
    ['类型', b.adHoc ? '临时抽查任务（不在年度计划内）' : html`计划内抽查任务${version}${plan === undefined ? '' : html`，所属计划：<a href="${noticePath(plan)}">${plan.title}</a>`}`],
    ['检查时间', `${b.window.from} 至 ${b.window.to}`], ['委托执行', b.delegate === null ? '无' : unitName(b.delegate)], ['抽取数量', `${total} 户`],
    ['随机抽取记录', b.drawIds.map((id, i) => html`${i > 0 ? '、' : ''}<a href="${`/public/draws/${encodeURIComponent(id)}`}">${id}</a>`)]])}
${table('抽查事项', ['事项编号', '事项名称'], b.items.map((i) => [i.itemId, i.name]), { rowHeader: true })}
${scope.length === 0 ? '' : table('抽查范围（抽取对象的条件与数量）', ['类别', '抽取条件', '抽取数量或比例'], scope.map((c) => [c.name, describeFilter(c.filter, (id) => scopeNames.get(id) ?? id), describeQuota(c.quota)]), { rowHeader: true })}
${table('执行单位与抽取数量', ['执行单位', '抽取数量（户）'], b.units.map((u) => [unitName(u.executingUnit), u.count]), { rowHeader: true })}
${list === null
    ? html`<p class="muted">本任务的抽取名单不随公告公布；检查结果将在抽查结果公示中公布。</p>`
    : html`${table(`抽取名单（共 ${listed ?? list.length} 户${(listed ?? 0) > list.length ? `，此处显示前 ${list.length} 户，完整名单见原始记录` : ''}）`, ['统一社会信用代码', '执行单位'],
        list.map((t) => [html`<a href="${`/public/businesses/${t.uscc}`}">${t.uscc}</a>`, unitName(t.executingUnit)]), { rowHeader: true })}`}`;
}

function resultBody(db: Database, n: NoticeFull, b: ResultNoticeBody): SafeHtml {
  const corrected = b.correction === null ? undefined : noticesByIds(db, [b.correction.corrects]).get(b.correction.corrects);
  const corrections = correctionsOf(db, n.noticeId);
  return html`${b.correction === null ? '' : html`<div class="notice correction"><p><strong>更正公示（第${b.correction.number}次更正）</strong>：本公示更正
${corrected === undefined ? b.correction.corrects : html`<a href="${noticePath(corrected)}">${corrected.title}</a>`}。</p><p>更正原因：${b.correction.reason}</p></div>`}
${corrections.length === 0 ? '' : html`<div class="notice correction"><p><strong>本公示已被更正</strong>，以最新更正为准：</p><ul>${corrections.map((c) => html`<li><a href="${noticePath(c)}">${c.title}</a>（${beijingTime(c.publishedAt)}）</li>`)}</ul></div>`}
${facts([['企业名称', b.target.name], ['统一社会信用代码', html`<a href="${`/public/businesses/${b.target.uscc}`}">${b.target.uscc}</a>`], ['检查实施机关', b.departmentName],
    [b.correction === null ? '公示日期' : '更正日期', b.approvedOn], ['抽查任务', b.taskIds.map((id, i) => html`${i > 0 ? '、' : ''}<a href="${`/public/tasks/${encodeURIComponent(`taskNotice-${id}`)}`}">${id}</a>`)]])}
${table('检查结果', ['抽查事项', '检查结果', '问题类别', '备注'], b.results.map((r) => [r.itemName, r.category, r.kind ?? '', r.detail ?? '']), { rowHeader: true })}
<p><a href="${`/public/objections/new?visit=${encodeURIComponent(b.visitId)}&notice=${encodeURIComponent(n.noticeId)}`}">对检查结果有异议？企业可在线提出异议</a></p>`;
}

function noticeParam(request: FastifyRequest): string {
  const id = (request.params as { noticeId?: unknown }).noticeId;
  if (typeof id !== 'string' || !NOTICE_ID.test(id)) throw new PageError(404, '没有找到这条公示。', 'No such notice.', 'noticeId');
  return id;
}

function detailPage(app: FastifyInstance, db: Database, s: Section): void {
  app.get(`${s.path.replace('/public', '')}/:noticeId`, async (request, reply) => {
    const n = noticeById(db, noticeParam(request), TARGETS_SHOWN);
    if (n === undefined || !s.kinds.includes(n.kind)) throw new PageError(404, '没有找到这条公示。', 'No such notice.', 'noticeId');
    const depts = departmentNames(db, [n.department]);
    const body = n.kind === 'planNotice' ? planBody(n.body as PlanNoticeBody) : n.kind === 'taskNotice' ? taskBody(db, n.body as TaskNoticeBody, n.targetsTotal) : resultBody(db, n, n.body as ResultNoticeBody);
    return sendPage(reply, {
      title: n.title,
      current: s.path,
      breadcrumbs: [{ label: '首页', href: '/' }, { label: s.title, href: s.path }, { label: n.title }],
      body: html`<article><h1>${n.title}</h1>
<p class="muted">${kindLabel[n.kind]} · 发布部门：${depts.get(n.department) ?? n.department} · 发布时间：${beijingTime(n.publishedAt)} · 账本位置 ${n.position}</p>
${body}
<p class="muted">本公示的原始记录（JSON）：<a href="${`/notices/${encodeURIComponent(n.noticeId)}`}">${raw('/notices/')}${n.noticeId}</a>。</p></article>`,
    });
  });
}

/** P2: plan notices, task notices and result notices, a list and a page per notice. */
export function noticePages(app: FastifyInstance, db: Database): void {
  for (const s of Object.values(SECTIONS)) {
    listPage(app, db, s);
    detailPage(app, db, s);
  }
}
