/**
 * The replay page `/public/draws/:drawId`, the ledger page `/public/ledger` and the replay script
 * `/public/assets/replay.js` (issue 11, V4; docs/public.md). The replay page embeds the record,
 * its ledger proof bundle and the log's verifier key as JSON (CSP: no inline script); the
 * bundled src/verify replays it in the reader's browser and sends nothing back.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DrawService } from '../../../app/draws/service.js';
import { ledgerProofBundle, type LedgerProofBody } from '../../../app/proofs/index.js';
import { isSuijiError } from '../../../domain/errors.js';
import { parseCheckpoint, type LogCheckpoint } from '../../../verify/index.js';
import type { AppDeps } from '../../deps.js';
import { facts, PageError, sendPage, table } from '../components.js';
import { html, jsonForScript, type SafeHtml } from '../html.js';
import { REPLAY_CSS, replayScript } from './bundle.js';
import { recordView } from './record-view.js';

const DRAW_ID = /^[\p{L}\p{N}._-]{1,300}$/u;

/** The proof bundle and key for a page, or why there is none (a page never fails for want of a proof). */
async function proofFor(deps: AppDeps, positions: () => Promise<number[]>): Promise<{ proof: LedgerProofBody | null; reason: string | null }> {
  if (!deps.ledger) return { proof: null, reason: '本服务尚未配置账本签名密钥，暂无账本证明。' };
  try {
    return { proof: await ledgerProofBundle(deps.ledger, deps.store, await positions()), reason: null };
  } catch (e) {
    if (isSuijiError(e) && e.status === 503) return { proof: null, reason: `账本证明暂不可用：${e.messageZh}` };
    throw e;
  }
}

const logKey = (deps: AppDeps): string | null => {
  try {
    return deps.logVerifierKey?.() ?? null;
  } catch {
    return null;
  }
};

function ledgerSection(proof: LedgerProofBody | null, reason: string | null, vkey: string | null): SafeHtml {
  let cp: LogCheckpoint | null = null;
  try {
    cp = proof ? parseCheckpoint(proof.checkpoint) : null;
  } catch {
    cp = null;
  }
  return html`<section aria-labelledby="proof-h"><h2 id="proof-h">账本证明</h2>
${proof === null ? html`<p class="muted">${reason ?? '暂无账本证明。'}</p>` : html`
<p>以下事件均包含在签名检查点（账本长度 ${cp?.size ?? '?'}）中，每个事件附有 RFC 6962 包含证明。</p>
${table('本记录依据的账本事件', ['位置', '事件类型', '证明长度'], proof.events.map((e) => [String(e.position), String(e.envelope.type), `${e.inclusion.length} 个哈希`]), { rowHeader: true })}
<h3>签名检查点</h3><pre class="checkpoint">${proof.checkpoint}</pre>`}
<h3>日志公钥</h3>
${vkey === null ? html`<p class="muted">未配置。</p>` : html`<p><code id="log-key">${vkey}</code></p><p class="muted">请与上级部门或见证人公布的公钥核对；复核只信任您核对过的公钥。</p>`}
</section>`;
}

function replayBody(drawId: string, record: unknown, proof: LedgerProofBody | null, reason: string | null, vkey: string | null): SafeHtml {
  const exportUrl = `/draws/${encodeURIComponent(drawId)}/export`;
  const proofUrl = `/draws/${encodeURIComponent(drawId)}/proof`;
  return html`<h1>随机抽取复核：${drawId}</h1>
<p>本页公开该次抽取的全部参数、随机源与结果。启用 JavaScript 时，您的浏览器会用公开的验证程序独立重算名录哈希、随机源（drand BLS 签名、见证人哈希、现场值）、种子与结果，并核对账本包含证明与检查点签名。复核在本机完成，不向服务器发送任何数据。</p>
<section id="replay-result" aria-live="polite"><p class="muted">浏览器复核需要 JavaScript；未启用时，可下载记录用 <code>suiji draw verify</code> 离线核验。</p></section>
<p>下载：<a href="${exportUrl}">摇号记录 JSON</a>${proof ? html` · <a href="${proofUrl}">账本证明 JSON</a>` : ''}</p>
${recordView(record)}
${ledgerSection(proof, reason, vkey)}
<section aria-labelledby="own-h"><h2 id="own-h">核验您手中的记录</h2>
<p>粘贴或选择一份摇号记录文件（或 <code>{"record": …, "proof": …}</code>），在本机复核。</p>
<form id="replay-form" hidden>
<div class="field"><label for="replay-file">选择文件</label><input type="file" id="replay-file" accept="application/json,.json"></div>
<div class="field"><label for="replay-input">或粘贴记录 JSON</label><textarea id="replay-input" rows="6" spellcheck="false"></textarea></div>
<button type="submit">在本机复核</button>
</form>
<div id="replay-own-result" aria-live="polite"></div>
</section>
<script type="application/json" id="draw-record">${jsonForScript(record)}</script>
${proof ? html`<script type="application/json" id="ledger-proof">${jsonForScript(proof)}</script>` : ''}`;
}

function ledgerBody(cp: { note: string; size: number; root: string; signedAt?: string } | null, reason: string | null, vkey: string | null): SafeHtml {
  let parsed: LogCheckpoint | null = null;
  try {
    parsed = cp ? parseCheckpoint(cp.note) : null;
  } catch {
    parsed = null;
  }
  const sigLines = cp ? cp.note.slice(cp.note.lastIndexOf('\n\n') + 2).split('\n').filter((l) => l.startsWith('— ')) : [];
  return html`<h1>账本</h1>
<p>全部事件按顺序记入一个 RFC 6962 Merkle 账本。服务器定期对账本的长度与根哈希签名（C2SP 签名检查点），上级部门等见证人核对账本只增不改后加签。任何记录都可以离线证明包含在某个签名检查点中。</p>
${cp === null ? html`<p class="muted">${reason ?? '暂无签名检查点。'}</p>` : html`
<h2>最新签名检查点</h2>
${facts([['日志名称 origin', parsed?.origin ?? '—'], ['账本长度', String(cp.size)], ['根哈希', html`<code>${cp.root}</code>`], ...(cp.signedAt ? [['签名时间（UTC）', cp.signedAt] as const] : [])])}
<pre class="checkpoint" id="checkpoint-note">${cp.note}</pre>
${table('签名与见证人加签', ['签名者', '签名（base64）'], sigLines.map((l) => {
    const [name, sig] = l.slice(2).split(' ');
    return [name ?? '', html`<code>${sig ?? ''}</code>`];
  }), { rowHeader: true })}`}
<h2>日志公钥</h2>
${vkey === null ? html`<p class="muted">未配置。</p>` : html`<p><code id="log-key">${vkey}</code></p>`}
<h2>如何核验</h2>
<ul>
<li>命令行：<code>suiji draw verify record.json --offline --proof proof.json --log-key "${vkey ?? 'name+keyid+key'}"</code>（记录与证明可从每个抽取复核页下载）。</li>
<li>浏览器：打开任一 <a href="/public/draws">抽取记录</a> 的复核页，页面会在本机核对检查点签名与包含证明。</li>
<li>Go：用 <code>golang.org/x/mod/sumdb/note</code> 核验签名，<code>golang.org/x/mod/sumdb/tlog</code> 核验包含与一致性证明；接口 <a href="/ledger/checkpoint">/ledger/checkpoint</a>、<code>/ledger/proof/inclusion?index=&amp;size=</code>、<code>/ledger/proof/consistency?from=&amp;to=</code>。详见项目文档 <code>docs/public.md</code>。</li>
</ul>`;
}

/** Registers the pages in the site's `/public` context (its layout, error pages and freshness hook). */
export function replayPages(app: FastifyInstance, deps: AppDeps): void {
  const draws = new DrawService({ store: deps.store, projections: deps.projections });

  app.get('/assets/replay.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(await replayScript()));

  app.get('/assets/replay.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(REPLAY_CSS));

  app.get('/draws/:drawId', async (request: FastifyRequest<{ Params: { drawId: string } }>, reply) => {
    const drawId = request.params.drawId;
    if (!DRAW_ID.test(drawId)) throw new PageError(404, '抽取编号无效。', 'Not a draw id.', 'drawId');
    let record: unknown;
    try {
      record = JSON.parse(JSON.stringify(await draws.publicExport(drawId))) as unknown;
    } catch (e) {
      if (!isSuijiError(e) || e.code !== 'NOT_FOUND') throw e;
      const view = await draws.get(drawId).catch(() => null);
      if (view === null) throw new PageError(404, `没有编号为 ${drawId} 的随机抽取。`, `No draw ${drawId}.`, 'drawId');
      return sendPage(reply, {
        title: `随机抽取 ${drawId}`, current: '/public/draws',
        breadcrumbs: [{ label: '首页', href: '/' }, { label: '随机抽取记录', href: '/public/draws' }, { label: drawId }],
        body: html`<h1>随机抽取：${drawId}</h1><p>该次抽取已公开承诺，尚在等待随机源揭示，还没有结果。承诺哈希：<code>${view.commitmentHash}</code></p>`,
      });
    }
    const { proof, reason } = await proofFor(deps, () => draws.proofPositions(drawId));
    return sendPage(reply, {
      title: `随机抽取复核 ${drawId}`, current: '/public/draws', scripts: ['/public/assets/replay.js'], stylesheets: ['/public/assets/replay.css'],
      breadcrumbs: [{ label: '首页', href: '/' }, { label: '随机抽取记录', href: '/public/draws' }, { label: drawId }],
      body: replayBody(drawId, record, proof, reason, logKey(deps)),
    });
  });

  app.get('/ledger', async (_request, reply) => {
    let cp: { note: string; size: number; root: string; signedAt?: string } | null = null;
    let reason: string | null = null;
    if (!deps.ledger) reason = '本服务尚未配置账本签名密钥（suiji keys init）。';
    else {
      try {
        cp = await deps.ledger.checkpoint();
      } catch (e) {
        if (!isSuijiError(e) || e.status !== 503) throw e;
        reason = `签名检查点暂不可用：${e.messageZh}`;
      }
    }
    return sendPage(reply, {
      title: '账本', current: '/public/ledger', stylesheets: ['/public/assets/replay.css'],
      breadcrumbs: [{ label: '首页', href: '/' }, { label: '账本' }],
      body: ledgerBody(cp, reason, logKey(deps)),
    });
  });
}
