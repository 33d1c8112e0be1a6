import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Database } from 'better-sqlite3';
import { publicFiler, type ResultService } from '../../../app/results/index.js';
import { SuijiError } from '../../../domain/errors.js';
import type { ResultNoticeBody } from '../../../domain/notices/index.js';
import { facts, queryParam, sendPage } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { noticeById } from '../notices-read.js';
import { noticePath } from './notices.js';

/** Same bounds as the JSON route's schema (fileObjectionSchema): the form refuses what the API refuses. */
const VISIT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}-\d{8}-[0-9A-Z]{18}(-[1-9][0-9]{0,5})?$/;
const NOTICE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const USCC = /^[0-9A-Z]{18}$/;
const LIMITS = { contact: 200, statement: 2000 } as const;

type Field = 'visit' | 'uscc' | 'contact' | 'statement';
interface Form { visit: string; notice: string; uscc: string; contact: string; statement: string }
type Errors = Partial<Record<Field, string>>;

function noticeFor(db: Database, noticeId: string, visit: string): { noticeId: string; kind: 'resultNotice' | 'resultCorrectionNotice'; title: string; body: ResultNoticeBody } | undefined {
  if (!NOTICE.test(noticeId)) return undefined;
  const n = noticeById(db, noticeId);
  if (n === undefined || (n.kind !== 'resultNotice' && n.kind !== 'resultCorrectionNotice')) return undefined;
  const body = n.body as ResultNoticeBody;
  return body.visitId === visit ? { noticeId: n.noticeId, kind: n.kind, title: n.title, body } : undefined;
}

function field(name: Field, label: string, control: SafeHtml, errors: Errors, hint?: string): SafeHtml {
  const e = errors[name];
  return html`<div class="field${e === undefined ? '' : ' field-error'}"><label for="${name}">${label}</label>
${hint === undefined ? '' : html`<p class="muted" id="${`${name}-hint`}">${hint}</p>`}${control}
${e === undefined ? '' : html`<p class="error" id="${`${name}-error`}" role="alert">${e}</p>`}</div>`;
}

const invalidAttrs = (name: Field, errors: Errors): SafeHtml | '' => (errors[name] === undefined ? '' : html` aria-invalid="true" aria-describedby="${`${name}-error`}"`);

function formPage(db: Database, f: Form, errors: Errors, general?: string): SafeHtml {
  const n = noticeFor(db, f.notice, f.visit);
  return html`<h1>对抽查检查结果提出异议</h1>
<p>被检查企业对公示的检查结果有异议的，可以在此提出；检查实施机关将复核并答复（E7）。联系方式仅用于答复，不会公开。</p>
${n === undefined ? '' : html`<section class="notice"><h2>所涉公示</h2>${facts([['公示', html`<a href="${noticePath(n)}">${n.title}</a>`], ['企业名称', n.body.target.name], ['检查实施机关', n.body.departmentName]])}</section>`}
${general === undefined ? '' : html`<p class="error" role="alert">${general}</p>`}
<form method="post" action="/public/objections" novalidate>
<input type="hidden" name="notice" value="${f.notice}">
${field('visit', '检查编号', html`<input type="text" id="visit" name="visit" value="${f.visit}" required maxlength="100"${invalidAttrs('visit', errors)}>`, errors, '公示页面上的链接会自动填入。')}
${field('uscc', '统一社会信用代码', html`<input type="text" id="uscc" name="uscc" value="${f.uscc}" required maxlength="18" autocomplete="off"${invalidAttrs('uscc', errors)}>`, errors, '须为被检查企业本身的代码（18位）。')}
${field('contact', '联系人及联系方式', html`<input type="text" id="contact" name="contact" value="${f.contact}" required maxlength="${LIMITS.contact}"${invalidAttrs('contact', errors)}>`, errors)}
${field('statement', '异议内容及理由', html`<textarea id="statement" name="statement" rows="6" required maxlength="${LIMITS.statement}"${invalidAttrs('statement', errors)}>${f.statement}</textarea>`, errors)}
<button type="submit">提交异议</button>
</form>`;
}

function check(f: Form): Errors {
  const e: Errors = {};
  if (!VISIT.test(f.visit)) e.visit = '检查编号无效：请从抽查结果公示页面进入本表。 / Invalid visit id.';
  if (!USCC.test(f.uscc)) e.uscc = '统一社会信用代码应为18位数字或大写字母。 / The credit code must be 18 digits or capital letters.';
  const c = f.contact.trim();
  if (c === '' || c.length > LIMITS.contact) e.contact = `请填写联系人及联系方式（最多 ${LIMITS.contact} 字）。 / Contact is required (at most ${LIMITS.contact} characters).`;
  const s = f.statement.trim();
  if (s === '' || s.length > LIMITS.statement) e.statement = `请填写异议内容（最多 ${LIMITS.statement} 字）。 / The statement is required (at most ${LIMITS.statement} characters).`;
  return e;
}

/** The service's coded error, shown next to the field it names (`/uscc`, `visitId`, …). */
function fieldOf(error: SuijiError): Field | undefined {
  const last = String(error.details.field ?? '').split(/[./]/).filter((s) => s !== '').pop();
  if (last === 'uscc' || last === 'contact' || last === 'statement') return last;
  if (last === 'visitId' || last === 'visit') return 'visit';
  return undefined;
}

const text = (body: Record<string, unknown>, name: string): string => {
  const v = body[name];
  return typeof v === 'string' ? v : '';
};

/**
 * E7: the business's objection form. The POST calls the same ResultService.receiveObjection as the
 * public `POST /objections`, with the same actor and checks (the code must be the visit target's,
 * one undecided public objection per visit); rate-limited like every anonymous route.
 */
export function objectionPages(app: FastifyInstance, db: Database, service: ResultService, clock: () => Date): void {
  const crumbs = [{ label: '首页', href: '/' }, { label: '抽查结果公示', href: '/public/results' }, { label: '提出异议' }];
  app.get('/objections/new', async (request, reply) => {
    const f: Form = { visit: queryParam(request, 'visit') ?? '', notice: queryParam(request, 'notice') ?? '', uscc: '', contact: '', statement: '' };
    return sendPage(reply, { title: '提出异议', current: '/public/results', breadcrumbs: crumbs, body: formPage(db, f, {}) });
  });

  app.post('/objections', async (request, reply) => {
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    const f: Form = { visit: text(body, 'visit').trim(), notice: text(body, 'notice').trim(), uscc: text(body, 'uscc').trim().toUpperCase(), contact: text(body, 'contact'), statement: text(body, 'statement') };
    const errors = check(f);
    const again = (e: Errors, status: number, general?: string) =>
      sendPage(reply, { title: '提出异议', current: '/public/results', breadcrumbs: crumbs, body: formPage(db, f, e, general) }, status);
    if (Object.keys(errors).length > 0) return again(errors, 400, '请修改标出的项目后重新提交。');
    try {
      await service.receiveObjection({ now: clock().toISOString(), commandId: randomUUID(), actor: publicFiler }, f.visit, {
        channel: 'public', uscc: f.uscc, contact: f.contact.trim(), statement: f.statement.trim(),
      });
    } catch (e) {
      if (!(e instanceof SuijiError) || e.status >= 500) throw e;
      const at = fieldOf(e);
      const message = `${e.messageZh} / ${e.messageEn}`;
      return again(at === undefined ? {} : { [at]: message }, e.status, at === undefined ? message : '请修改标出的项目后重新提交。');
    }
    const n = noticeFor(db, f.notice, f.visit);
    return sendPage(reply, {
      title: '异议已提交', current: '/public/results', breadcrumbs: crumbs,
      body: html`<h1>异议已提交</h1><p role="status">您的异议已记录在账本中，检查实施机关将复核并答复。</p>
${facts([['检查编号', f.visit], ['统一社会信用代码', f.uscc]])}
${n === undefined ? '' : html`<p><a href="${noticePath(n)}">返回所涉公示</a></p>`}`,
    }, 201);
  });
}
