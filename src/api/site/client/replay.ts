/// <reference lib="dom" />
/**
 * The replay page's script (bundled with src/verify by esbuild into /public/assets/replay.js;
 * docs/public.md "Replaying a draw in the browser"). It reads the record, its ledger proof and
 * the log's verifier key from the page's JSON blocks, replays everything here, in the browser,
 * and shows each check. It sends nothing anywhere: no fetch, no form post — a pasted or
 * uploaded file is read with FileReader and checked the same way.
 */
import { parseJsonStrict } from '../../../verify/json.js';
import { parseVerifierKey, type VerifierKey } from '../../../verify/note.js';
import { STAGE_LABELS, STAGE_LABELS_EN, replayDraw, type ReplayReport } from '../../../verify/replay.js';

const STATUS_TEXT = { pass: '通过', fail: '不通过', skipped: '未检查' } as const;

function jsonBlock(id: string): unknown {
  const el = document.getElementById(id);
  if (!el?.textContent) return undefined;
  try {
    return JSON.parse(el.textContent) as unknown;
  } catch {
    return undefined;
  }
}

function logKeys(): VerifierKey[] {
  const text = document.getElementById('log-key')?.textContent?.trim();
  if (!text) return [];
  try {
    return [parseVerifierKey(text)];
  } catch {
    return [];
  }
}

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attrs: Record<string, string> = {}): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text; // textContent: a hostile record cannot inject markup
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};

function render(target: HTMLElement, report: ReplayReport, source: string): void {
  target.replaceChildren();
  const pass = report.verdict === 'pass';
  const verdict = el('p', '', { class: `verdict status ${pass ? 'status-ok' : 'status-abandoned'}`, 'data-verdict': report.verdict, role: 'status' });
  verdict.textContent = pass
    ? `复核结论：通过${report.abandoned ? '（该次抽取已放弃，结果未采用）' : ''} — verdict: pass`
    : `复核结论：不通过 — verdict: fail`;
  target.append(el('h2', `浏览器复核结果（${source}）`), verdict);
  const table = el('table', undefined, { class: 'replay-checks' });
  table.append(el('caption', '逐项检查 Checks'));
  const head = el('tr');
  head.append(el('th', '检查项', { scope: 'col' }), el('th', '结果', { scope: 'col' }), el('th', '说明', { scope: 'col' }));
  table.append(head);
  for (const c of report.checks) {
    const row = el('tr', undefined, { 'data-check': c.stage, 'data-status': c.status });
    const detail = el('td');
    detail.append(el('span', c.detail));
    if (c.status === 'fail' && (c.expected !== undefined || c.actual !== undefined)) {
      detail.append(el('br'), el('code', `expected ${JSON.stringify(c.expected)} · actual ${JSON.stringify(c.actual)}`.slice(0, 600)));
    }
    const label = el('th', STAGE_LABELS[c.stage], { scope: 'row' });
    label.append(el('br'), el('small', STAGE_LABELS_EN[c.stage], { lang: 'en', class: 'muted' }));
    row.append(label, el('td', STATUS_TEXT[c.status], { class: `status status-${c.status === 'pass' ? 'ok' : c.status === 'fail' ? 'abandoned' : 'overdue'}` }), detail);
    table.append(row);
  }
  const wrap = el('div', undefined, { class: 'table-wrap' });
  wrap.append(table);
  target.append(wrap);
  const broken = report.checks.find((c) => c.status === 'fail');
  if (broken) target.append(el('p', `首个不通过的检查：${STAGE_LABELS[broken.stage]}${broken.path ? `，位置 ${broken.path}` : ''}`, { class: 'error', 'data-broken': broken.stage }));
}

/** A pasted/uploaded file: a record (checked against this page's proof) or `{ record, proof }`. */
function checkText(text: string, target: HTMLElement, pageProof: unknown, keys: VerifierKey[]): void {
  let value: unknown;
  try {
    value = parseJsonStrict(text);
  } catch (e) {
    target.replaceChildren(el('p', `无法读取：不是 JSON 或有重复的键 (not JSON or a duplicate key): ${e instanceof Error ? e.message : String(e)}`, { class: 'error', 'data-verdict': 'fail' }));
    return;
  }
  const wrapped = typeof value === 'object' && value !== null && 'record' in value && 'proof' in value;
  const record = wrapped ? (value as { record: unknown }).record : value;
  const proof = wrapped ? (value as { proof: unknown }).proof : pageProof;
  render(target, replayDraw(record, proof, keys), '您提供的文件 your file');
}

function main(): void {
  const out = document.getElementById('replay-result');
  if (!out) return;
  const keys = logKeys();
  const proof = jsonBlock('ledger-proof');
  render(out, replayDraw(jsonBlock('draw-record'), proof, keys), '本页记录 this page\'s record');
  document.body.dataset.replay = 'done';

  const form = document.getElementById('replay-form');
  const input = document.getElementById('replay-input') as HTMLTextAreaElement | null;
  const file = document.getElementById('replay-file') as HTMLInputElement | null;
  const own = document.getElementById('replay-own-result');
  if (!form || !input || !own) return;
  form.hidden = false;
  form.addEventListener('submit', (e) => {
    e.preventDefault(); // checked here; nothing is posted
    checkText(input.value, own, proof, keys);
  });
  file?.addEventListener('change', () => {
    const f = file.files?.[0];
    if (!f) return;
    const reader = new FileReader();
    reader.onload = () => {
      input.value = typeof reader.result === 'string' ? reader.result : '';
      checkText(input.value, own, proof, keys);
    };
    reader.readAsText(f);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
else main();
