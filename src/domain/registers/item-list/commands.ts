import type { FromSchema } from 'json-schema-to-ts';
import type { Command, Decider } from '../../decider.js';
import type { SuijiError } from '../../errors.js';
import { guard, invalid } from '../guard.js';
import { idSchema, reasonSchema } from '../schemas.js';
import { diffItemLists, isEmptyDiff } from './diff.js';
import { evolveItemList, initialItemListState, itemSchema, type Item, type ItemListEvent, type ItemListState } from './events.js';

/** The department publishes its whole new list; the decider computes the version and the change (L1). */
export const publishItemListSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['departmentId', 'items', 'reason'],
  properties: {
    departmentId: idSchema,
    items: { type: 'array', maxItems: 1000, items: itemSchema },
    reason: reasonSchema,
  },
} as const;

export type PublishItemList = Command<'PublishItemList', FromSchema<typeof publishItemListSchema>>;
export type ItemListCommand = PublishItemList;

export const itemListStreamId = (departmentId: string): string => `itemList-${departmentId}`;

/** L2: general items carry a cap, key items must not. */
function checkItems(items: readonly Item[]): SuijiError | null {
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    if (seen.has(item.itemId)) return invalid(`/items/${i}/itemId`, `事项编号重复：${item.itemId}`, `duplicate itemId ${item.itemId}`, 'L1');
    seen.add(item.itemId);
    if (item.category === 'general' && item.maxRatioBp === undefined) {
      return invalid(`/items/${i}/maxRatioBp`, '一般检查事项必须设置抽查比例上限', 'a general item needs a maximum ratio', 'L2');
    }
    if (item.category === 'key' && item.maxRatioBp !== undefined) {
      return invalid(`/items/${i}/maxRatioBp`, '重点检查事项抽查比例不设上限', 'a key item has no ratio cap', 'L2');
    }
  }
  return null;
}

function decide(command: ItemListCommand, state: ItemListState): readonly ItemListEvent[] | SuijiError {
  switch (command.type) {
    case 'PublishItemList': {
      const { departmentId, items, reason } = command.data;
      const denied = guard(command.metadata, 'itemList.publish', departmentId);
      if (denied) return denied;
      const bad = checkItems(items);
      if (bad) return bad;
      const diff = diffItemLists(state.items, items);
      // Publishing the same list again is a no-op, so a retried or re-imported list adds no version.
      if (state.version > 0 && isEmptyDiff(diff)) return [];
      const ids = (xs: readonly { itemId: string }[]): string[] => xs.map((x) => x.itemId);
      return [
        {
          type: 'ItemListVersionPublished',
          payload: {
            departmentId,
            version: state.version + 1,
            items: [...items].sort((x, y) => (x.itemId < y.itemId ? -1 : x.itemId > y.itemId ? 1 : 0)),
            changes: { added: ids(diff.added), changed: diff.changed.map((c) => c.itemId), removed: ids(diff.removed) },
            reason,
          },
        },
      ];
    }
    default: {
      const _exhaustive: never = command.type;
      return _exhaustive;
    }
  }
}

export const itemListDecider: Decider<ItemListCommand, ItemListEvent, ItemListState> = {
  initialState: initialItemListState,
  decide,
  evolve: evolveItemList,
};
