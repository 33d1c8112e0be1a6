import type { entityTypes, personStatuses, scales, targetStatuses } from '../../domain/registers/index.js';

/** The Chinese words bureaus write in their spreadsheets, for each code value (import and export use the same). */
export const entityTypeLabels: Record<(typeof entityTypes)[number], string> = {
  enterprise: '企业',
  individualBusiness: '个体工商户',
  farmerCooperative: '农民专业合作社',
  other: '其他',
};
export const scaleLabels: Record<(typeof scales)[number], string> = { large: '大型', medium: '中型', small: '小型', micro: '微型' };
export const targetStatusLabels: Record<(typeof targetStatuses)[number], string> = {
  active: '存续',
  deregistered: '注销',
  revoked: '撤销',
  licenceRevoked: '吊销',
  unreachable: '查无下落',
  movedOut: '迁出',
};
export const personStatusLabels: Record<(typeof personStatuses)[number], string> = { active: '在岗', suspended: '暂停', left: '离岗' };
export const YES = '是';
export const NO = '否';

/** Inverse lookup: accepts the Chinese label or the code itself (as an API export would write it). */
export function fromLabel<K extends string>(labels: Record<K, string>, cell: string): K | undefined {
  for (const [k, v] of Object.entries(labels) as [K, string][]) if (v === cell || k === cell) return k;
  return undefined;
}

/** Separators bureaus use inside one cell for lists (专业领域). */
export const LIST_SEPARATOR = /[、,，;；]/;
