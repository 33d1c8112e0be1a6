import { diffByItemId, type ItemIdChange, type ItemIdDiff } from '../guard.js';
import type { Item } from './events.js';

export type ItemChange = ItemIdChange<Item>;
export type ItemListDiff = ItemIdDiff<Item>;

/** L1: what changed from list `a` to list `b` (items keyed by itemId; each part sorted by itemId). */
export const diffItemLists = (a: readonly Item[], b: readonly Item[]): ItemListDiff => diffByItemId(a, b);

export const isEmptyDiff = (d: ItemListDiff): boolean => d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
