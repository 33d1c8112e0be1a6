/**
 * A draw record as HTML that reads without JavaScript (issue 11, V4): parameters, each pool's
 * size and hash, the revealed entropy, the seed and the result — every value escaped by `html`.
 * Records are attacker-shaped JSON in general; this reads them defensively (unknown shapes are
 * shown as JSON text, never trusted as markup).
 */
import { html, type SafeHtml } from '../html.js';
import { facts, table } from '../components.js';

type Obj = Readonly<Record<string, unknown>>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string => (v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
const list = (v: unknown): SafeHtml => html`<code>${arr(v).map(text).join('，') || '—'}</code>`;

const kindLabel: Record<string, string> = {
  targets: '抽取检查对象', experts: '抽取专家', batchOrder: '批次顺序', inspectorGroups: '抽取执法检查人员', extension: '追加抽取', replacement: '替换抽取',
};

function quota(q: unknown): string {
  if (!isObj(q)) return '全部排序 (all, ordered)';
  if (typeof q.count === 'number') return `${q.count} 户`;
  if (isObj(q.ratio)) return `${text(q.ratio.numerator)}/${text(q.ratio.denominator)}（向上取整）`;
  return text(q);
}

/** Every pool the commitment names: what it is, its size and hash, and what was excluded. */
function pools(c: Obj): SafeHtml {
  const rows: unknown[][] = [];
  const ref = (label: string, p: unknown, extra = ''): void => {
    if (!isObj(p)) return;
    rows.push([label, text(p.size), html`<code>${text(p.hash)}</code>`, `${arr(p.exclusions).length}`, extra]);
  };
  for (const k of arr(c.classes)) if (isObj(k)) ref(`类别 ${text(k.name)}`, k.pool, quota(k.quota));
  if (isObj(c.targets)) rows.push(['检查对象名单（按抽取顺序）', text(c.targets.size), html`<code>${text(c.targets.hash)}</code>`, '0', '']);
  ref('执法检查人员', c.inspectors, c.groupSize === undefined ? '' : `每组 ${text(c.groupSize)} 人，每人至多 ${text(c.maxLoad)} 组`);
  ref('邻近单位检查人员', c.neighbours);
  if (isObj(c.experts)) ref('专家', c.experts.pool, `每户 ${text(c.experts.perTarget)} 名`);
  return table('名录（对象池）及其哈希', ['名录', '数量', '哈希 SHA-256', '排除', '抽取数量'], rows as never, { rowHeader: true, empty: '本次为后续抽取，沿用原抽取的名录。' });
}

function followUp(c: Obj): SafeHtml | '' {
  if (c.kind === 'extension') {
    return html`<p>追加抽取，延续原抽取 <code>${text(c.parent)}</code>：${arr(c.additional).map((a) => (isObj(a) ? `${text(a.class)} 追加 ${text(a.count)}` : text(a))).join('；')}</p>`;
  }
  if (c.kind === 'replacement') {
    return table('替换（T10：原因与批准人只记录，不影响抽取）', ['被替换', '原因', '批准人'], arr(c.replacements).map((r) => (isObj(r) ? [text(r.member), text(r.reason), text(r.approver)] : [text(r), '', ''])));
  }
  return '';
}

function entropy(plan: unknown, revealed: unknown): SafeHtml {
  const p = isObj(plan) ? plan : {};
  const r = isObj(revealed) ? revealed : {};
  const parts: SafeHtml[] = [];
  if (isObj(p.drand)) {
    const d = isObj(r.drand) ? r.drand : {};
    parts.push(html`<h3>drand 公共随机信标</h3>${facts([
      ['链 chain hash', html`<code>${text(p.drand.chainHash)}</code>`], ['承诺轮次', text(p.drand.round)], ['揭示轮次', text(d.round)],
      ['BLS 签名', html`<code>${text(d.signature)}</code>`], ['随机数 randomness', html`<code>${text(d.randomness)}</code>`],
    ])}`);
  }
  if (isObj(p.witnesses)) {
    const secrets = new Map(arr(r.witnesses).filter(isObj).map((w) => [w.id, w.secret]));
    parts.push(html`<h3>见证人（至少 ${text(p.witnesses.minReveals)} 人揭示）</h3>${table('见证人承诺与揭示', ['见证人', '承诺 SHA-256', '揭示的秘密'], arr(p.witnesses.members).filter(isObj).map((m) => [text(m.id), html`<code>${text(m.commitment)}</code>`, secrets.has(m.id) ? text(secrets.get(m.id)) : '未揭示']), { rowHeader: true })}`);
  }
  if (isObj(p.ceremony)) {
    parts.push(html`<h3>现场仪式</h3>${facts([['方式', text(p.ceremony.label)], ['字符集与长度', `${text(p.ceremony.alphabet)} × ${text(p.ceremony.length)}`], ['现场值', isObj(r.ceremony) ? text(r.ceremony.value) : '未揭示']])}`);
  }
  return parts.length ? html`${parts}` : html`<p class="muted">后续抽取不揭示新的随机源，沿用原抽取的种子。</p>`;
}

function result(res: unknown): SafeHtml {
  if (!isObj(res)) return html`<p class="muted">尚无结果。</p>`;
  const parts: SafeHtml[] = [];
  if (Array.isArray(res.classes)) {
    parts.push(table('各类别抽中名单', ['类别', '本次抽中（按顺序）', '当前名单'], res.classes.filter(isObj).map((c) => [text(c.name), list(c.picked), list(c.selected)]), { rowHeader: true }));
    parts.push(html`<p>合并名单（按类别顺序）：${list(res.merged)}</p>`);
  }
  if (Array.isArray(res.groups)) {
    parts.push(table('检查组', ['检查对象', '来源', '组员（第一位为组长）', '专家'], res.groups.filter(isObj).map((g) => [text(g.target), text(g.pool), list(g.members), list(g.experts)]), { rowHeader: true }));
    if (arr(res.unmatched).length) parts.push(table('需直接指派（T8）', ['检查对象', '不足'], arr(res.unmatched).filter(isObj).map((u) => [text(u.target), text(u.need)])));
  }
  if (arr(res.replacements).length) parts.push(table('替换结果', ['被替换', '替换为'], arr(res.replacements).filter(isObj).map((x) => [text(x.member), text(x.replacement)])));
  return parts.length ? html`${parts}` : html`<pre>${JSON.stringify(res, null, 1)}</pre>`;
}

/** One record (and, for a follow-up, its parents after it, each under its own heading). */
export function recordView(record: unknown, depth = 0): SafeHtml {
  if (!isObj(record)) return html`<p class="error">记录格式无法识别。</p>`;
  const abandoned = record.format === 'suiji-abandoned-draw/1';
  const c = isObj(record.commitment) ? record.commitment : {};
  const h = depth === 0 ? 'h2' : 'h3';
  const heading = (t: string): SafeHtml => (h === 'h2' ? html`<h2>${t}</h2>` : html`<h3>${t}</h3>`);
  const root = !['extension', 'replacement'].includes(String(c.kind));
  return html`<section class="draw-record" data-draw="${text(c.drawId)}">
${depth > 0 ? html`<h2>原抽取 ${text(c.drawId)}（本次抽取延续的记录）</h2>` : ''}
${heading('抽取参数')}
${facts([
    ['抽取编号', text(c.drawId)], ['任务', text(c.task)], ['类型', kindLabel[String(c.kind)] ?? text(c.kind)], ['用途', text(c.purpose)],
    ['承诺时间（UTC）', text(c.committedAt)], ['算法', text(c.algorithm)], ['承诺哈希', html`<code>${text(record.commitmentHash)}</code>`],
    ['名录来源（账本位置）', isObj(c.source) ? text(c.source.ledgerPosition) : '—'],
  ])}
${root ? pools(c) : followUp(c)}
${heading('随机源')}
${entropy(root ? c.entropy : undefined, record.revealed)}
${abandoned
    ? html`${heading('已放弃')}${facts([['原因', text(record.abandonReason)], ['时间（UTC）', text(record.abandonedAt)], ['依据', text(record.abandonGrounds)]])}
${isObj(record.wouldHaveBeen) ? html`<p>放弃时随机源已确定结果；以下为<strong>未被采用</strong>的结果，公开以防悄悄重抽：</p>${result(record.wouldHaveBeen.result)}<p>种子：<code>${text(record.wouldHaveBeen.seed)}</code></p>` : html`<p class="muted">放弃时结果尚未确定。</p>`}`
    : html`${heading('种子与结果')}<p>种子 seed：<code>${text(record.seed)}</code></p>${result(record.result)}`}
</section>
${isObj(record.parent) ? recordView(record.parent, depth + 1) : ''}`;
}
