import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from 'better-sqlite3';
import { stmt } from '../../projections/registers/sql.js';
import { href, html, type HtmlValue, type SafeHtml } from './html.js';
import { page, type PageOptions } from './layout.js';

/** Sends a complete page (HTML, UTF-8). */
export function sendPage(reply: FastifyReply, options: PageOptions, status = 200): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page(options));
}

/**
 * One query-string parameter as text, or undefined. A repeated key (`?q=a&q=b`, which fastify
 * parses as an array) or an over-long value is not a value: hostile query strings never reach SQL
 * as anything but a bounded string.
 */
export function queryParam(request: FastifyRequest, name: string, maxLength = 200): string | undefined {
  const v = (request.query as Record<string, unknown> | undefined)?.[name];
  if (typeof v !== 'string') return undefined;
  return v.length > maxLength ? undefined : v;
}

/** Keyset paging cursor `?after=` — a ledger position (or a sort key) as the JSON API takes it. */
export const POSITION = /^(0|[1-9][0-9]{0,14})$/;

export class PageError extends Error {
  constructor(readonly status: 400 | 404, readonly zh: string, readonly en: string, readonly field?: string) {
    super(en);
  }
}

/** `?after=` as a number, or undefined when absent; a malformed cursor is a 400 page, not a scan. */
export function afterParam(request: FastifyRequest): number | undefined {
  const raw = (request.query as Record<string, unknown> | undefined)?.after;
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !POSITION.test(raw)) throw new PageError(400, '翻页参数 after 无效。', 'The paging parameter `after` is invalid.', 'after');
  return Number(raw);
}

export interface Column { readonly label: string; readonly className?: string }

/** A table with a caption and `<th scope="col">` headers; rows' first cell may be a row header. */
export function table(caption: string, columns: readonly (string | Column)[], rows: readonly (readonly HtmlValue[])[], options: { rowHeader?: boolean; empty?: string } = {}): SafeHtml {
  if (rows.length === 0) return html`<p class="muted">${options.empty ?? '暂无记录。'}</p>`;
  return html`<div class="table-wrap"><table><caption>${caption}</caption>
<thead><tr>${columns.map((c) => html`<th scope="col">${typeof c === 'string' ? c : c.label}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${r.map((cell, i) => (i === 0 && options.rowHeader ? html`<th scope="row">${cell}</th>` : html`<td>${cell}</td>`))}</tr>`)}</tbody>
</table></div>`;
}

/** "Next page" link when there may be more (we fetch limit + 1 to know). */
export function pager(path: string, query: Readonly<Record<string, string | number | undefined>>, next: string | number | null): SafeHtml | '' {
  if (next === null) return '';
  return html`<p class="pager"><a rel="next" href="${href(path, { ...query, after: next })}">下一页 →</a></p>`;
}

const SHANGHAI_MS = 8 * 3_600_000;

/** An ISO instant as Beijing time, `2026-03-05 10:00` (public text reads in local time). */
export function beijingTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t + SHANGHAI_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** Department names by id, one indexed lookup per id (a page shows a handful). */
export function departmentNames(db: Database, ids: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const id of new Set(ids)) {
    const name = stmt(db, 'SELECT name FROM reg_departments WHERE department_id = ?').pluck().get(id) as string | undefined;
    if (name !== undefined) out.set(id, name);
  }
  return out;
}

/** `<dl>` of label → value facts (a notice's header data). */
export function facts(entries: readonly (readonly [string, HtmlValue])[]): SafeHtml {
  return html`<dl class="facts">${entries.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

/** Fetch `limit + 1` rows, show `limit`, and return the cursor of the last shown when there are more. */
export function paged<T>(rows: readonly T[], limit: number, cursor: (row: T) => string | number): { rows: readonly T[]; next: string | number | null } {
  if (rows.length <= limit) return { rows, next: null };
  const shown = rows.slice(0, limit);
  return { rows: shown, next: cursor(shown[shown.length - 1] as T) };
}
