/**
 * HTML for the public site. Every page is built with the `html` tagged template: each
 * interpolation is escaped for text *and* for quoted attribute values (`& < > " '` and the
 * backtick), so a register entry named `<script>…` or `"><img onerror=…>` is shown as text.
 * Only `raw()` passes markup through, and only for fragments we built ourselves (another `html`
 * result is already such a fragment). Attribute values must be quoted in the template.
 */

const SAFE = Symbol('suiji.html.safe');

/** A fragment of markup that is already safe to emit (built by `html` or declared by `raw`). */
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly value: string;
  toString(): string;
}

const safe = (value: string): SafeHtml => ({ [SAFE]: true, value, toString: () => value });

export const isSafeHtml = (v: unknown): v is SafeHtml =>
  typeof v === 'object' && v !== null && (v as { [SAFE]?: unknown })[SAFE] === true;

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;',
};

/** Escape text for an element body or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] as string);
}

/** Trusted markup passes through unescaped: only for fragments the server itself built. */
export function raw(trusted: string): SafeHtml {
  return safe(trusted);
}

export type HtmlValue = SafeHtml | string | number | bigint | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (isSafeHtml(value)) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

/** `html\`<td>${name}</td>\`` — every `${…}` is escaped; arrays are joined; null/undefined/false → ''. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return safe(out);
}

/**
 * A URL for an `href`/`action`: only same-site paths (`/…`, not `//host`) and http(s) pass;
 * anything else (`javascript:`, `data:`) becomes `#`. The result is still escaped by `html`.
 */
export function safeUrl(url: string): string {
  if (/^\/(?![/\\])/.test(url)) return url;
  if (/^https?:\/\//i.test(url)) return url;
  return '#';
}

/** Build a same-site path with an encoded query (`undefined`/'' parameters are left out). */
export function href(path: string, query: Readonly<Record<string, string | number | undefined | null>> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? path : `${path}?${s}`;
}

/**
 * JSON for a `<script type="application/json" id="…">` block (CSP forbids inline scripts; data for
 * a script file goes here). `<`, `>`, `&` and U+2028/9 are written as \u escapes so the text can
 * never close the element or start a comment.
 */
export function jsonForScript(value: unknown): SafeHtml {
  const text = JSON.stringify(value) ?? 'null';
  return safe(text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
