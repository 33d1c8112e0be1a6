/**
 * `suiji export public DIR` (issue 11; docs/public.md "The public export"): everything the public
 * may see, as static files the same pages are served from. The site is crawled with `app.inject`
 * from `/` following same-origin links — HTML to `DIR/<path>/index.html`, assets and JSON as
 * files — so the export is exactly what the server shows, by construction. Alongside: every
 * notice and every closed draw record with its ledger proof, the signed checkpoint and the log
 * key, and a manifest of SHA-256 sums. Links with a query string (filters, paging) become
 * `<path>/_q/<base64url(query)>/` and JSON API links `<path>.json`, rewritten in the HTML.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Database } from 'better-sqlite3';

/** What a hook gets: the app to ask (public requests only) and a writer into the export. */
export interface PublicExportContext {
  readonly app: FastifyInstance;
  readonly db: Database;
  readonly dir: string;
  /** Writes `DIR/<relative>` and records it in the manifest. */
  write(relative: string, body: string | Uint8Array): void;
  /**
   * Records `DIR/<relative>`, a file the hook has already written itself (e.g. streamed), in
   * the manifest: its SHA-256 and size as on disk, read once in a stream. A path already in
   * the manifest is refused, so no file is listed twice.
   */
  record(relative: string): Promise<void>;
}

export type PublicExportHook = (ctx: PublicExportContext) => Promise<void>;

export interface PublicExportOptions {
  /**
   * Extra writers run after the crawl, in order. The statistics lane adds its
   * `DIR/stats/…` writer here (see `exportPublicStatistics` in src/cli/commands/export-public.ts).
   */
  readonly hooks?: readonly PublicExportHook[];
  /** The log's verifier key, written to `DIR/ledger/log.vkey` (the key the replay pages show). */
  readonly logVerifierKey?: string | null;
  /** Upper bound on crawled pages (a safety net, not a sample): exceeding it is an error. */
  readonly maxPages?: number;
}

export interface PublicExportSummary {
  readonly pages: number;
  readonly files: number;
  readonly draws: number;
  readonly notices: number;
  readonly checkpoint: { readonly size: number; readonly root: string } | null;
}

/** Paths never crawled: interactive forms that post, and the API explorer (not public data). */
const SKIP = [/^\/public\/objections\//, /^\/public\/search/, /^\/docs/];
/** JSON API paths the pages link to that belong in the export (public reads). */
const API = [/^\/draws\/[^/]+\/(export|proof)$/, /^\/notices(\/[^/]+(\/proof)?)?$/, /^\/ledger\/checkpoint$/];

const b64url = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

/** Where a same-origin URL lives in the export (the path a static server maps to a file). */
export function staticPath(url: string): string {
  const [path = '/', query] = url.split('?', 2) as [string, string | undefined];
  const base = path.endsWith('/') ? path.slice(0, -1) : path;
  if (API.some((r) => r.test(path)) && path !== '/ledger/checkpoint') return `${base}${query ? `/_q/${b64url(query)}` : ''}.json`;
  if (query) return `${base}/_q/${b64url(query)}/`;
  return path;
}

function fileOf(dir: string, path: string, html: boolean): string {
  const rel = decodeURIComponent(path).replace(/^\/+/, '');
  if (rel.split('/').some((seg) => seg === '..')) throw new Error(`refusing path ${path}`);
  return html ? join(dir, rel, 'index.html') : join(dir, rel);
}

const LINK = /\b(href|src)="([^"]*)"/g;

function sameOrigin(raw: string): string | null {
  const url = raw.replace(/&amp;/g, '&').split('#')[0]!;
  if (!url.startsWith('/') || url.startsWith('//')) return null;
  return url;
}

export async function exportPublic(app: FastifyInstance, db: Database, dir: string, options: PublicExportOptions = {}): Promise<PublicExportSummary> {
  const maxPages = options.maxPages ?? 200_000;
  const manifest: { path: string; sha256: string; bytes: number }[] = [];
  const write = (relative: string, body: string | Uint8Array): void => {
    const file = join(dir, relative.replace(/^\/+/, ''));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, body);
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    manifest.push({ path: relative.replace(/^\/+/, ''), sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
  };
  const record = async (relative: string): Promise<void> => {
    const path = relative.replace(/^\/+/, '');
    if (path === '' || path.split('/').some((seg) => seg === '..')) throw new Error(`refusing path ${relative}`);
    if (manifest.some((f) => f.path === path)) throw new Error(`${path} is already in the manifest`);
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of createReadStream(join(dir, path)) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    manifest.push({ path, sha256: hash.digest('hex'), bytes });
  };

  // Every closed draw and every notice is a seed: the export never depends on a list page's paging.
  const drawIds = db.prepare("SELECT draw_id FROM draws WHERE status IN ('completed', 'abandoned') ORDER BY committed_position").pluck().all() as string[];
  const noticeIds = db.prepare('SELECT notice_id FROM notices ORDER BY position').pluck().all() as string[];
  const queue: string[] = ['/', '/public/ledger', '/public/draws', '/ledger/checkpoint'];
  for (const id of drawIds) queue.push(`/public/draws/${encodeURIComponent(id)}`, `/draws/${encodeURIComponent(id)}/export`, `/draws/${encodeURIComponent(id)}/proof`);
  for (const id of noticeIds) queue.push(`/notices/${encodeURIComponent(id)}`, `/notices/${encodeURIComponent(id)}/proof`);
  // `/notices` (the paged JSON list) is written whole below, never crawled page by page.
  const seen = new Set<string>([...queue, '/notices']);
  let pages = 0;

  while (queue.length > 0) {
    const url = queue.shift()!;
    const res = await app.inject({ method: 'GET', url });
    // A proof the log cannot give yet (no key: 503) is left out, not written as an error file.
    if (res.statusCode !== 200) continue;
    const type = String(res.headers['content-type'] ?? '');
    const target = staticPath(url);
    if (type.startsWith('text/html')) {
      if (++pages > maxPages) throw new Error(`public export: more than ${maxPages} pages`);
      const body = res.body.replace(LINK, (m, attr: string, raw: string) => {
        const link = sameOrigin(raw);
        if (link === null || SKIP.some((r) => r.test(link))) return m;
        if (!seen.has(link)) {
          seen.add(link);
          queue.push(link);
        }
        return `${attr}="${staticPath(link).replace(/&/g, '&amp;')}"`;
      });
      write(fileOf('', target, true), body);
    } else {
      write(fileOf('', target, false), res.rawPayload);
    }
  }

  let checkpoint: PublicExportSummary['checkpoint'] = null;
  const cp = await app.inject({ method: 'GET', url: '/ledger/checkpoint' });
  if (cp.statusCode === 200) {
    const [, size, root] = cp.body.split('\n');
    checkpoint = { size: Number(size), root: Buffer.from(root ?? '', 'base64').toString('hex') };
  }

  // Every notice in ledger order, the JSON list's pages concatenated (P2).
  const notices: unknown[] = [];
  for (let after: number | undefined; ;) {
    const page = await app.inject({ method: 'GET', url: `/notices?limit=1000${after === undefined ? '' : `&after=${after}`}` });
    const items = page.statusCode === 200 ? (page.json<{ items: { position: number }[] }>().items) : [];
    notices.push(...items);
    if (items.length < 1000) break;
    after = items[items.length - 1]!.position;
  }
  write('notices.json', `${JSON.stringify({ items: notices })}\n`);
  if (options.logVerifierKey) write('ledger/log.vkey', `${options.logVerifierKey}\n`);

  const ctx: PublicExportContext = { app, db, dir, write, record };
  for (const hook of options.hooks ?? []) await hook(ctx);

  write('manifest.json', `${JSON.stringify({ format: 'suiji-public-export/1', checkpoint, files: [...manifest].sort((a, b) => a.path.localeCompare(b.path)) }, null, 1)}\n`);
  return { pages, files: manifest.length, draws: drawIds.length, notices: noticeIds.length, checkpoint };
}
