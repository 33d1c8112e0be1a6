import { describe, expect, it } from 'vitest';
import { escapeHtml, href, html, isSafeHtml, jsonForScript, raw, safeUrl } from '../../../src/api/site/html.js';
import { page } from '../../../src/api/site/layout.js';

describe('html tagged template', () => {
  it('escapes every interpolation for text and quoted attributes (& < > " \' `)', () => {
    const name = `<script>alert(1)</script>"'\`&`;
    expect(html`<td title="${name}">${name}</td>`.value).toBe(
      '<td title="&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&#96;&amp;">&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&#96;&amp;</td>',
    );
  });

  it('an attribute break-out ("><img onerror=…>) stays inside the attribute value', () => {
    const out = html`<a href="/x" title="${'"><img src=x onerror=alert(2)>'}">t</a>`.value;
    expect(out).not.toContain('<img');
    expect(out).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
  });

  it('joins arrays, drops null/undefined/false, prints numbers and true', () => {
    expect(html`${['<a>', html`<b>${'&'}</b>`, null, undefined, false, 0, 12n, true]}`.value).toBe('&lt;a&gt;<b>&amp;</b>012true');
  });

  it('passes raw() and nested html results through unescaped, and only those', () => {
    const inner = html`<em>${'<x>'}</em>`;
    expect(isSafeHtml(inner)).toBe(true);
    expect(html`<p>${inner}${raw('<br>')}${'<br>'}</p>`.value).toBe('<p><em>&lt;x&gt;</em><br>&lt;br&gt;</p>');
    // An object that merely looks like a fragment is not one: it is printed as text.
    expect(html`${{ value: '<b>' } as unknown as string}`.value).toBe('[object Object]');
  });

  it('escapeHtml leaves ordinary Chinese text as it is', () => {
    expect(escapeHtml('沂源县商务局（流通业发展科）')).toBe('沂源县商务局（流通业发展科）');
  });

  it('safeUrl keeps same-site paths and http(s), turns javascript:, data: and //host into #', () => {
    expect(safeUrl('/public/items')).toBe('/public/items');
    expect(safeUrl('https://example.org/a')).toBe('https://example.org/a');
    for (const bad of ['javascript:alert(1)', ' javascript:alert(1)', 'data:text/html,<b>', '//evil.example/', '/\\evil.example']) expect(safeUrl(bad)).toBe('#');
  });

  it('href encodes query values and leaves out empty ones', () => {
    expect(href('/public/search', { q: '有限 公司&x=1', after: undefined, e: '' })).toBe('/public/search?q=%E6%9C%89%E9%99%90+%E5%85%AC%E5%8F%B8%26x%3D1');
  });

  it('jsonForScript cannot close its <script> element or open a comment', () => {
    const s = jsonForScript({ name: '</script><script>alert(1)</script><!--', amp: '&', ls: '\u2028' }).value;
    expect(s).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(s)).toEqual({ name: '</script><script>alert(1)</script><!--', amp: '&', ls: '\u2028' });
  });
});

describe('page layout', () => {
  const doc = page({ title: '<标题>', description: '"说明"', body: html`<h1>正文</h1>`, breadcrumbs: [{ label: '首页', href: '/' }, { label: '<当前>' }], current: '/public/items', scripts: ['/public/assets/replay.js'] });

  it('is a complete zh-CN document with charset, viewport, the site stylesheet, nav, main and footer', () => {
    expect(doc.startsWith('<!doctype html>\n<html lang="zh-CN">')).toBe(true);
    expect(doc).toContain('<meta charset="utf-8">');
    expect(doc).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(doc).toContain('<link rel="stylesheet" href="/public/assets/site.css">');
    for (const label of ['首页', '事项清单', '抽查计划', '抽查任务公告', '抽查结果公示', '随机抽取记录', '查询', '账本', '统计']) expect(doc).toContain(`>${label}</a>`);
    expect(doc).toContain('<a href="/public/items" aria-current="page">事项清单</a>');
    expect(doc).toMatch(/<main id="main">[\s\S]*<h1>正文<\/h1>[\s\S]*<\/main>\s*<footer/);
  });

  it('escapes title, description and breadcrumbs; scripts are files with no inline code', () => {
    expect(doc).toContain('<title>&lt;标题&gt; · ');
    expect(doc).toContain('content="&quot;说明&quot;"');
    expect(doc).toContain('<li aria-current="page">&lt;当前&gt;</li>');
    expect(doc).toContain('<script defer src="/public/assets/replay.js"></script>');
    expect(doc).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(doc).not.toContain('style=');
  });

  it('refuses a script or stylesheet that is not one of our asset files', () => {
    expect(() => page({ title: 't', body: html``, scripts: ['https://cdn.example/x.js'] })).toThrow(RangeError);
    expect(() => page({ title: 't', body: html``, stylesheets: ['/public/assets/../../etc/passwd'] })).toThrow(RangeError);
  });
});
