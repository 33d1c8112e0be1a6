import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from 'better-sqlite3';
import { diffItemLists, type Item } from '../../../domain/registers/index.js';
import { stmt } from '../../../projections/registers/sql.js';
import { beijingTime, departmentNames, PageError, sendPage, table } from '../components.js';
import { html, raw, type SafeHtml } from '../html.js';

const DEPT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const VERSION = /^[1-9][0-9]{0,8}$/;

const methodLabel: Record<string, string> = {
  written: '书面检查', onSite: '实地核查', networkMonitoring: '网络监测', samplingTest: '抽样检测', reuse: '采信结果', thirdParty: '委托第三方',
};
const fieldLabel: Record<string, string> = {
  name: '名称', targetType: '检查对象', category: '类别', method: '检查方式', inspectingBody: '检查实施主体', legalBasis: '检查依据', maxRatioBp: '比例上限', needsExperts: '需要专家',
};

interface VersionRow { department_id: string; version: number; reason: string; published_at: string; position: number; changes: string }

const notFound = (): PageError => new PageError(404, '没有找到这份抽查事项清单。', 'No such item list.', 'departmentId');

function deptParam(request: FastifyRequest): string {
  const id = (request.params as { departmentId?: unknown }).departmentId;
  if (typeof id !== 'string' || !DEPT.test(id)) throw notFound();
  return id;
}

function itemsOf(db: Database, departmentId: string, version: number): Item[] | undefined {
  const s = stmt(db, 'SELECT items FROM reg_item_list_versions WHERE department_id = ? AND version = ?').pluck().get(departmentId, version) as string | undefined;
  return s === undefined ? undefined : (JSON.parse(s) as Item[]);
}

function itemCells(i: Item, names: ReadonlyMap<string, string>): (string | SafeHtml)[] {
  return [
    html`${i.name}<br><span class="muted">${i.itemId}</span>`,
    i.category === 'key' ? '重点检查事项' : '一般检查事项',
    i.targetType,
    i.method.map((m) => methodLabel[m] ?? m).join('、'),
    names.get(i.inspectingBody) ?? i.inspectingBody,
    i.legalBasis,
  ];
}
const ITEM_COLUMNS = ['抽查事项', '类别', '检查对象', '检查方式', '检查实施主体', '检查依据'];

function itemTable(db: Database, caption: string, items: readonly Item[]): SafeHtml {
  const names = departmentNames(db, items.map((i) => i.inspectingBody));
  return table(caption, ITEM_COLUMNS, items.map((i) => itemCells(i, names)), { rowHeader: true, empty: '本版清单没有事项。' });
}

const fieldValue = (i: Item, f: string): string => {
  const v = (i as unknown as Record<string, unknown>)[f];
  if (f === 'method' && Array.isArray(v)) return v.map((m) => methodLabel[String(m)] ?? String(m)).join('、');
  if (f === 'category') return v === 'key' ? '重点' : '一般';
  return v === undefined ? '（无）' : typeof v === 'string' ? v : JSON.stringify(v);
};

function diffSection(db: Database, before: readonly Item[], after: readonly Item[], from: number): SafeHtml {
  const d = diffItemLists(before, after);
  return html`<h2>与第${from}版相比的变化</h2>
${itemTable(db, `新增事项（${d.added.length} 项）`, d.added)}
${itemTable(db, `删除事项（${d.removed.length} 项）`, d.removed)}
${table(`调整事项（${d.changed.length} 项）`, ['抽查事项', '调整内容', '调整前', '调整后'], d.changed.flatMap((c) => c.fields.map((f, k) => [
    k === 0 ? html`${c.after.name}<br><span class="muted">${c.itemId}</span>` : '', fieldLabel[f] ?? f, html`<del>${fieldValue(c.before, f)}</del>`, html`<ins>${fieldValue(c.after, f)}</ins>`,
  ])), { rowHeader: true, empty: '没有调整的事项。' })}`;
}

/** L1/L2, P2: the current item list per department, its versions, and the diff between versions. */
export function itemPages(app: FastifyInstance, db: Database): void {
  app.get('/items', async (_request, reply) => {
    // The current version of each department: the highest published one.
    const rows = stmt(db, `SELECT department_id, max(version) AS version, published_at FROM reg_item_list_versions GROUP BY department_id ORDER BY department_id`).all() as { department_id: string; version: number; published_at: string }[];
    const names = departmentNames(db, rows.map((r) => r.department_id));
    const counts = rows.map((r) => itemsOf(db, r.department_id, r.version)?.length ?? 0);
    return sendPage(reply, {
      title: '抽查事项清单', current: '/public/items',
      breadcrumbs: [{ label: '首页', href: '/' }, { label: '抽查事项清单' }],
      body: html`<h1>随机抽查事项清单</h1><p>各部门的随机抽查事项清单。清单每次调整都发布为新版本，并在此公示版本之间的变化。</p>
${table('各部门现行清单', ['部门', '现行版本', '事项数', '发布时间'], rows.map((r, i) => [
        html`<a href="${`/public/items/${r.department_id}`}">${names.get(r.department_id) ?? r.department_id}</a>`, `第${r.version}版`, counts[i], beijingTime(r.published_at),
      ]), { rowHeader: true, empty: '尚未发布抽查事项清单。' })}`,
    });
  });

  app.get('/items/:departmentId', async (request, reply) => {
    const dept = deptParam(request);
    const versions = stmt(db, 'SELECT department_id, version, reason, published_at, position, changes FROM reg_item_list_versions WHERE department_id = ? ORDER BY version DESC').all(dept) as VersionRow[];
    const current = versions[0];
    if (current === undefined) throw notFound();
    const name = departmentNames(db, [dept]).get(dept) ?? dept;
    const items = itemsOf(db, dept, current.version) ?? [];
    return sendPage(reply, {
      title: `${name}抽查事项清单`, current: '/public/items',
      breadcrumbs: [{ label: '首页', href: '/' }, { label: '抽查事项清单', href: '/public/items' }, { label: name }],
      body: html`<h1>${name}随机抽查事项清单</h1>
<p>现行版本：第${current.version}版，发布于 ${beijingTime(current.published_at)}。</p>
${itemTable(db, `现行清单（第${current.version}版，共 ${items.length} 项）`, items)}
<h2>历史版本</h2>
${table('清单的全部版本', ['版本', '发布时间', '调整原因', '变化'], versions.map((v) => {
        const c = JSON.parse(v.changes) as { added: string[]; changed: string[]; removed: string[] };
        return [html`<a href="${`/public/items/${dept}/versions/${v.version}`}">第${v.version}版</a>`, beijingTime(v.published_at), v.reason,
          `新增 ${c.added.length} 项，调整 ${c.changed.length} 项，删除 ${c.removed.length} 项`];
      }), { rowHeader: true })}`,
    });
  });

  app.get('/items/:departmentId/versions/:version', async (request, reply) => {
    const dept = deptParam(request);
    const raw_ = (request.params as { version?: unknown }).version;
    if (typeof raw_ !== 'string' || !VERSION.test(raw_)) throw notFound();
    const version = Number(raw_);
    const v = stmt(db, 'SELECT department_id, version, reason, published_at, position, changes FROM reg_item_list_versions WHERE department_id = ? AND version = ?').get(dept, version) as VersionRow | undefined;
    const items = itemsOf(db, dept, version);
    if (v === undefined || items === undefined) throw notFound();
    const before = version > 1 ? (itemsOf(db, dept, version - 1) ?? []) : [];
    const name = departmentNames(db, [dept]).get(dept) ?? dept;
    return sendPage(reply, {
      title: `${name}抽查事项清单第${version}版`, current: '/public/items',
      breadcrumbs: [{ label: '首页', href: '/' }, { label: '抽查事项清单', href: '/public/items' }, { label: name, href: `/public/items/${dept}` }, { label: `第${version}版` }],
      body: html`<h1>${name}随机抽查事项清单 · 第${version}版</h1>
<p>发布时间：${beijingTime(v.published_at)}；调整原因：${v.reason}；账本位置 ${v.position}。</p>
${diffSection(db, before, items, version - 1)}
<h2>本版全部事项</h2>
${itemTable(db, `第${version}版清单（共 ${items.length} 项）`, items)}
${version > 1 ? html`<p><a href="${`/public/items/${dept}/versions/${version - 1}`}">← 第${version - 1}版</a></p>` : raw('')}`,
    });
  });
}
