import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../deps.js';
import { SITE_CSS } from './assets.js';
import { html } from './html.js';
import { page } from './layout.js';

/** The public site: server-rendered Chinese pages at `/` and under `/public/` (issue 11). */
export function sitePlugin(deps: AppDeps): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    void deps;
    app.get('/public/assets/site.css', async (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(SITE_CSS));
    app.get('/', async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(page({ title: '首页', current: '/', body: html`<h1>双随机、一公开</h1>` })));
  };
}
