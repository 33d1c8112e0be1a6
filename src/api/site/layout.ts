import { html, raw, safeUrl, type SafeHtml } from './html.js';

/** One link of the header navigation (the public site's sections, in the order of the issue). */
export interface NavItem { readonly label: string; readonly href: string }

export const NAV: readonly NavItem[] = [
  { label: '首页', href: '/' },
  { label: '事项清单', href: '/public/items' },
  { label: '抽查计划', href: '/public/plans' },
  { label: '抽查任务公告', href: '/public/tasks' },
  { label: '抽查结果公示', href: '/public/results' },
  { label: '随机抽取记录', href: '/public/draws' },
  { label: '查询', href: '/public/search' },
  { label: '账本', href: '/public/ledger' },
  { label: '统计', href: '/public/statistics' },
];

export interface Crumb { readonly label: string; readonly href?: string }

export interface PageOptions {
  /** Page title: the `<title>` (followed by the site name); the page body carries its own `<h1>`. */
  readonly title: string;
  /** The page body (the content of `<main>`), built with `html`. */
  readonly body: SafeHtml;
  readonly description?: string;
  /** Shown above the body; the last crumb is the current page (no link). */
  readonly breadcrumbs?: readonly Crumb[];
  /** Path of the current section, to mark its nav link (`aria-current`); defaults to none. */
  readonly current?: string;
  /** Script files under /public/assets/ (CSP: no inline scripts), loaded with `defer`. */
  readonly scripts?: readonly string[];
  /** Extra stylesheets under /public/assets/. */
  readonly stylesheets?: readonly string[];
}

export const SITE_NAME = '双随机、一公开 · 公示平台';

const ASSET = /^\/public\/assets\/[A-Za-z0-9._-]+$/;

function asset(path: string): string {
  // Only our own asset files: a caller cannot turn this into a script from elsewhere.
  if (!ASSET.test(path)) throw new RangeError(`asset path must be /public/assets/<file>, got ${path}`);
  return path;
}

function nav(current: string | undefined): SafeHtml {
  return html`<nav class="site-nav" aria-label="主导航"><ul>${NAV.map((item) =>
    html`<li><a href="${item.href}"${item.href === current ? raw(' aria-current="page"') : ''}>${item.label}</a></li>`)}</ul></nav>`;
}

function crumbs(list: readonly Crumb[] | undefined): SafeHtml | '' {
  if (list === undefined || list.length === 0) return '';
  return html`<nav class="crumbs" aria-label="当前位置"><ol>${list.map((c, i) =>
    i === list.length - 1 || c.href === undefined
      ? html`<li${i === list.length - 1 ? raw(' aria-current="page"') : ''}>${c.label}</li>`
      : html`<li><a href="${safeUrl(c.href)}">${c.label}</a></li>`)}</ol></nav>`;
}

/** A complete HTML document for the public site (Chinese first, usable at 375 px, no inline script or style). */
export function page(options: PageOptions): string {
  const { title, body, description, breadcrumbs, current, scripts = [], stylesheets = [] } = options;
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${SITE_NAME}</title>
${description === undefined ? '' : html`<meta name="description" content="${description}">`}
<link rel="stylesheet" href="/public/assets/site.css">
${stylesheets.map((s) => html`<link rel="stylesheet" href="${asset(s)}">`)}
${scripts.map((s) => html`<script defer src="${asset(s)}"></script>`)}
</head>
<body>
<a class="skip" href="#main">跳到正文</a>
<header class="site-header"><p class="site-name"><a href="/">${SITE_NAME}</a></p>${nav(current)}</header>
${crumbs(breadcrumbs)}
<main id="main">
${body}
</main>
<footer class="site-footer"><p>本站公示内容均记录于公开可验证的账本；任何人可以复核每一次随机抽取。</p><p lang="en">Every notice here is recorded in a publicly verifiable ledger; anyone can replay each draw.</p></footer>
</body>
</html>
`.value;
}
