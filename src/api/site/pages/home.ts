import type { FastifyInstance } from 'fastify';
import type { Database } from 'better-sqlite3';
import { sendPage } from '../components.js';
import { html } from '../html.js';
import { NAV } from '../layout.js';
import { noticesNewestFirst } from '../notices-read.js';
import { noticeTable } from './notices.js';

const intro = html`<p>“双随机、一公开”是市场监管的基本方式：<strong>随机</strong>抽取检查对象，<strong>随机</strong>选派执法检查人员，抽查情况及查处结果及时向社会<strong>公开</strong>。</p>
<p>在本平台，每一份计划、每一次抽取、每一条结果都按发生顺序写入一本公开可验证的账本：抽取使用事先承诺、事后揭示的公开随机源，任何人都可以在浏览器中独立复核；已公开的记录不能被改写或悄悄删除，放弃或逾期的抽取同样公开。</p>`;

/** The home page: what 双随机、一公开 is here, the latest notices, links to every section. */
export function homePage(app: FastifyInstance, db: Database): void {
  app.get('/', async (_request, reply) => {
    const latest = noticesNewestFirst(db, ['planNotice', 'taskNotice', 'resultNotice', 'resultCorrectionNotice'], undefined, 10);
    return sendPage(reply, {
      title: '首页', current: '/',
      description: '双随机、一公开：抽查计划、任务公告、结果公示与可复核的随机抽取记录',
      body: html`<h1>双随机、一公开 公示平台</h1>
${intro}
<form method="get" action="/public/search" role="search"><div class="field"><label for="home-q">查询企业（名称或统一社会信用代码）</label>
<input type="search" id="home-q" name="q" maxlength="50"></div><button type="submit">查询</button></form>
<h2>最新公示</h2>
${noticeTable(db, '最新 10 条公示', latest)}
<h2>栏目</h2>
<ul>${NAV.slice(1).map((n) => html`<li><a href="${n.href}">${n.label}</a></li>`)}</ul>
<p class="muted">机器可读的接口见 <a href="/docs">/docs</a>；账本检查点见 <a href="/public/ledger">账本</a>。</p>`,
    });
  });
}
