import { authorize, type AccessAction } from '../access.js';
import type { CommandMetadata } from '../decider.js';
import { SuijiError } from '../errors.js';

/** L4: the actor of a command must be allowed `action` on a resource of `department`. */
export const guard = (metadata: CommandMetadata, action: AccessAction, department: string): SuijiError | null =>
  authorize(metadata.actor, action, { department });

/**
 * A kind is named `中文 english` ('检查对象 target'): each message gets its own language only,
 * so messageEn never carries Chinese (issue 8 §4).
 */
export function kindText(kind: string): { zh: string; en: string } {
  const space = kind.indexOf(' ');
  if (space < 0) return { zh: kind, en: kind };
  return { zh: kind.slice(0, space), en: kind.slice(space + 1) };
}

export const notFound = (kind: string, id: string): SuijiError => {
  const k = kindText(kind);
  return new SuijiError('NOT_FOUND', { field: 'id', kind, id }, { zh: `未找到${k.zh}：${id}`, en: `${k.en} not found: ${id}` });
};

export const alreadyExists = (kind: string, id: string): SuijiError => {
  const k = kindText(kind);
  return new SuijiError('ALREADY_EXISTS', { field: 'id', kind, id }, { zh: `${k.zh}已存在：${id}`, en: `${k.en} already exists: ${id}` });
};

export const invalid = (field: string, zh: string, en: string, rule?: string): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field, ...(rule ? { rule } : {}) }, { zh: rule ? `${rule}：${zh}` : zh, en: rule ? `${rule}: ${en}` : en });

/** Canonical JSON equality for plain data (sorted keys); used to drop no-op changes. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

/** The keys of `next` whose value differs from `current`, with the new values; {} when nothing changed. */
export function changedFields<T extends object>(current: T, next: Partial<T>): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(next) as (keyof T)[]) {
    const v = next[k];
    if (v !== undefined && !sameValue(current[k], v)) out[k] = v;
  }
  return out;
}

/** One entry of a list identified by `itemId` whose fields changed between two versions. */
export interface ItemIdChange<T> {
  readonly itemId: string;
  readonly before: T;
  readonly after: T;
  /** Names of the fields that differ, sorted. */
  readonly fields: readonly string[];
}
export interface ItemIdDiff<T> {
  readonly added: readonly T[];
  readonly removed: readonly T[];
  readonly changed: readonly ItemIdChange<T>[];
}

/**
 * What changed from list `a` to list `b`, entries keyed by itemId, each part sorted by itemId.
 * Shared by the item list (L1) and the plan (PL1), whose adjustments are both shown this way.
 */
export function diffByItemId<T extends { readonly itemId: string }>(a: readonly T[], b: readonly T[]): ItemIdDiff<T> {
  const byId = (x: T | ItemIdChange<T>, y: T | ItemIdChange<T>): number => (x.itemId < y.itemId ? -1 : x.itemId > y.itemId ? 1 : 0);
  const before = new Map(a.map((i) => [i.itemId, i]));
  const after = new Set(b.map((i) => i.itemId));
  const changed: ItemIdChange<T>[] = [];
  for (const next of b) {
    const prev = before.get(next.itemId);
    if (!prev) continue;
    const keys = [...new Set([...Object.keys(prev), ...Object.keys(next)])].sort();
    const fields = keys.filter((k) => !sameValue((prev as Record<string, unknown>)[k], (next as Record<string, unknown>)[k]));
    if (fields.length > 0) changed.push({ itemId: next.itemId, before: prev, after: next, fields });
  }
  return {
    added: b.filter((i) => !before.has(i.itemId)).sort(byId),
    removed: a.filter((i) => !after.has(i.itemId)).sort(byId),
    changed: changed.sort(byId),
  };
}
