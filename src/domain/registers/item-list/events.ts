import { defineEvent, type DomainEvent, type PayloadOf } from '../../event-definition.js';
import { idSchema, inspectionMethods, itemCategories, longTextSchema, reasonSchema, textSchema } from '../schemas.js';

/** L1: one entry of the item list (抽查事项清单). */
export const itemSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'name', 'targetType', 'category', 'method', 'inspectingBody', 'legalBasis'],
  properties: {
    itemId: idSchema,
    name: textSchema,
    /** 检查对象: who the item applies to, as the list words it. */
    targetType: textSchema,
    category: { enum: itemCategories },
    /** E3: one or more methods. */
    method: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: inspectionMethods } },
    inspectingBody: idSchema,
    legalBasis: longTextSchema,
    /** L2/A4: ratio cap of a general item in basis points (500 = 5%); key items have none. */
    maxRatioBp: { type: 'integer', minimum: 1, maximum: 10000 },
    /** L5: the item needs experts from the expert register. */
    needsExperts: { type: 'boolean' },
  },
} as const;

const idList = { type: 'array', items: idSchema } as const;

/** L1: every adjustment is a new version carrying the full item set and the visible change. */
export const ItemListVersionPublished = defineEvent('ItemListVersionPublished', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['departmentId', 'version', 'items', 'changes', 'reason'],
  properties: {
    departmentId: idSchema,
    version: { type: 'integer', minimum: 1 },
    items: { type: 'array', maxItems: 1000, items: itemSchema },
    changes: {
      type: 'object',
      additionalProperties: false,
      required: ['added', 'changed', 'removed'],
      properties: { added: idList, changed: idList, removed: idList },
    },
    reason: reasonSchema,
  },
} as const);

export const itemListEventDefinitions = [ItemListVersionPublished] as const;
export type ItemListEvent = DomainEvent<(typeof itemListEventDefinitions)[number]>;
export type Item = PayloadOf<typeof ItemListVersionPublished>['items'][number];
export type ItemListVersion = PayloadOf<typeof ItemListVersionPublished>;

export interface ItemListState {
  readonly version: number;
  readonly items: readonly Item[];
}
export const initialItemListState: ItemListState = { version: 0, items: [] };

export function evolveItemList(state: ItemListState, event: ItemListEvent): ItemListState {
  switch (event.type) {
    case 'ItemListVersionPublished':
      return { version: event.payload.version, items: event.payload.items };
    default:
      return state;
  }
}
