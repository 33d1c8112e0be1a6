import { sameValue } from '../guard.js';
import type { Item } from './events.js';

export interface ItemChange {
  readonly itemId: string;
  readonly before: Item;
  readonly after: Item;
  /** Names of the fields that differ, sorted. */
  readonly fields: readonly string[];
}

export interface ItemListDiff {
  readonly added: readonly Item[];
  readonly removed: readonly Item[];
  readonly changed: readonly ItemChange[];
}

/** L1: what changed from list `a` to list `b` (items keyed by itemId; each part sorted by itemId). */
export function diffItemLists(a: readonly Item[], b: readonly Item[]): ItemListDiff {
  const before = new Map(a.map((i) => [i.itemId, i]));
  const after = new Map(b.map((i) => [i.itemId, i]));
  const byId = (x: { itemId: string }, y: { itemId: string }): number => (x.itemId < y.itemId ? -1 : x.itemId > y.itemId ? 1 : 0);
  const added = b.filter((i) => !before.has(i.itemId)).sort(byId);
  const removed = a.filter((i) => !after.has(i.itemId)).sort(byId);
  const changed: ItemChange[] = [];
  for (const next of b) {
    const prev = before.get(next.itemId);
    if (!prev) continue;
    const keys = [...new Set([...Object.keys(prev), ...Object.keys(next)])].sort();
    const fields = keys.filter((k) => !sameValue((prev as Record<string, unknown>)[k], (next as Record<string, unknown>)[k]));
    if (fields.length > 0) changed.push({ itemId: next.itemId, before: prev, after: next, fields });
  }
  return { added, removed, changed: changed.sort(byId) };
}

export const isEmptyDiff = (d: ItemListDiff): boolean => d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
