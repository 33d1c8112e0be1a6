import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import formbody from '@fastify/formbody';
import { ResultService, type ResultsConfig } from '../../app/results/index.js';
import { packageCalendarYears } from '../../app/calendar/index.js';
import { workingCalendar, type WorkingCalendar } from '../../domain/calendar/index.js';
import { SuijiError } from '../../domain/errors.js';
import type { AppDeps } from '../deps.js';
import { freshen } from '../routes/registers/common.js';
import { SITE_CSS } from './assets.js';
import { PageError, sendPage } from './components.js';
import { html } from './html.js';
import { businessPages } from './pages/businesses.js';
import { drawPages } from './pages/draws.js';
import { homePage } from './pages/home.js';
import { itemPages } from './pages/items.js';
import { noticePages } from './pages/notices.js';
import { objectionPages } from './pages/objections.js';
import { replayPages } from './replay/pages.js';
import { statisticsPages } from './pages/statistics.js';

export { html, raw, escapeHtml, safeUrl, href, jsonForScript, type SafeHtml } from './html.js';
export { page, NAV, type PageOptions } from './layout.js';

export interface SiteOptions extends ResultsConfig {
  /** Clock for "overdue" and the objection's metadata; tests fix it. */
  readonly clock?: () => Date;
  /** The statutory calendar of the objection service (as the results routes). */
  readonly calendar?: WorkingCalendar;
}

const anyQuery = { type: 'object' } as const;

/** An error page in Chinese (and English) with the status; never a stack or a JSON body. */
function errorPage(reply: FastifyReply, status: number, zh: string, en: string): FastifyReply {
  const title = status === 404 ? '页面不存在' : status === 429 ? '请求过于频繁' : status >= 500 ? '服务暂时不可用' : '请求有误';
  return sendPage(reply, {
    title,
    body: html`<h1>${title}</h1><p>${zh}</p><p lang="en" class="muted">${en}</p><p><a href="/">返回首页</a> · <a href="/public/search">查询企业</a></p>`,
  }, status);
}

/**
 * The public site (issue 11): server-rendered Chinese pages at `/` and under `/public/`.
 * Encapsulated: its HTML error and 404 pages, and the urlencoded body parser of the objection
 * form, apply to these routes only; the JSON API keeps its own. Other lanes add their pages in
 * the `/public` context below (`pub.get('/ledger', …)`) or as their own plugins at `/public/...`.
 */
export function sitePlugin(deps: AppDeps, options: SiteOptions = {}): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    const db = deps.projections.db;
    const clock = options.clock ?? (() => new Date());
    const calendar = options.calendar ?? workingCalendar({ years: packageCalendarYears() });
    const results = new ResultService({ store: deps.store, projections: deps.projections, calendar }, { ...options, clock });
    await app.register(formbody, { bodyLimit: 16 * 1024 });
    // Pages read their few parameters in code (components.ts: bounded strings, arrays refused) and
    // ignore the rest: a link shared with `?from=…` appended must still open the page. The JSON
    // API keeps refusing unknown parameters by name (validation.ts). Pages are not API: hidden from /docs.
    app.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, querystring: anyQuery, hide: true };
    });

    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof PageError) return errorPage(reply, error.status, error.zh, error.en);
      if (error.statusCode === 429) return errorPage(reply, 429, '请求过于频繁，请稍后再试。', 'Too many requests, try again later.');
      if (error instanceof SuijiError && error.status < 500) return errorPage(reply, error.status, error.messageZh, error.messageEn);
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) return errorPage(reply, error.statusCode, '请求格式错误。', 'Malformed request.');
      request.log.error({ err: error }, 'site page failed');
      return errorPage(reply, 500, '服务器内部错误，请稍后再试。', 'Internal server error.');
    });
    // Reads see every acknowledged write (the JSON API does the same, registers/common.ts).
    app.addHook('preHandler', async () => {
      await freshen(deps);
    });

    homePage(app, db);
    await app.register(async (pub) => {
      pub.setNotFoundHandler((_request, reply) => errorPage(reply, 404, '您访问的页面不存在。', 'Page not found.'));
      pub.get('/assets/site.css', async (_request, reply) =>
        reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(SITE_CSS));
      itemPages(pub, db);
      noticePages(pub, db);
      drawPages(pub, db, clock);
      businessPages(pub, db);
      objectionPages(pub, db, results, clock);
      replayPages(pub, deps);
      statisticsPages(pub, db, { calendar, clock, ...(options.periods && { periods: options.periods }) });
    }, { prefix: '/public' });
  };
}
