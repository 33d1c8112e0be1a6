import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import { diffItemLists, itemListDecider, type Item, type ItemListEvent } from '../../../src/domain/registers/index.js';
import { actors, decideOn, expectError, expectEvents, meta } from './helpers.js';

const prepaid: Item = {
  itemId: 'SW-001',
  name: '单用途商业预付卡发卡企业备案及经营情况检查',
  targetType: '单用途商业预付卡发卡企业',
  category: 'general',
  method: ['written', 'onSite'],
  inspectingBody: 'dept-a',
  legalBasis: '《单用途商业预付卡管理办法（试行）》',
  maxRatioBp: 500,
};
const scrap: Item = {
  itemId: 'SW-002',
  name: '报废机动车回收拆解企业检查',
  targetType: '报废机动车回收拆解企业',
  category: 'key',
  method: ['onSite'],
  inspectingBody: 'dept-a',
  legalBasis: '《报废机动车回收管理办法》',
};

const publish = (items: Item[], actor: Actor = actors.opA) => ({ type: 'PublishItemList' as const, data: { departmentId: 'dept-a', items, reason: '依据省厅清单调整' }, metadata: meta(actor) });

describe('when a department publishes its item list (L1, L2)', () => {
  it('L1: the first publication is version 1 with every item added', () => {
    const out = expectEvents(decideOn(itemListDecider, [], publish([scrap, prepaid])));
    expect(out[0]?.payload).toMatchObject({ version: 1, changes: { added: ['SW-001', 'SW-002'], changed: [], removed: [] } });
    expect(out[0]?.payload.items.map((i) => i.itemId)).toEqual(['SW-001', 'SW-002']);
  });

  it('L1: each adjustment is a new version with the change visible; the same list again adds no version', () => {
    const v1 = expectEvents(decideOn(itemListDecider, [], publish([prepaid, scrap])));
    const v2 = expectEvents(decideOn(itemListDecider, v1, publish([{ ...prepaid, maxRatioBp: 300 }])));
    expect(v2[0]?.payload).toMatchObject({ version: 2, changes: { added: [], changed: ['SW-001'], removed: ['SW-002'] } });
    expect(decideOn(itemListDecider, [...v1, ...v2], publish([{ ...prepaid, maxRatioBp: 300 }]))).toEqual([]);
  });

  it('L2: a general item without a ratio cap is refused', () => {
    const { maxRatioBp: _, ...uncapped } = prepaid;
    const e = expectError(decideOn(itemListDecider, [], publish([uncapped])), 'VALIDATION_FAILED', 'L2');
    expect(e.details.field).toBe('/items/0/maxRatioBp');
  });

  it('L2: a key item with a ratio cap is refused (key items have no upper limit)', () => {
    expectError(decideOn(itemListDecider, [], publish([{ ...scrap, maxRatioBp: 100 }])), 'VALIDATION_FAILED', 'L2');
  });

  it('L1: duplicate item ids are refused', () => {
    expectError(decideOn(itemListDecider, [], publish([prepaid, prepaid])), 'VALIDATION_FAILED', 'L1');
  });

  it('L4/G3: another department cannot publish dept-a list; inspectors cannot publish', () => {
    expectError(decideOn(itemListDecider, [], publish([prepaid], actors.opB)), 'FORBIDDEN', 'L4');
    expectError(decideOn(itemListDecider, [], publish([prepaid], actors.inspectorA)), 'FORBIDDEN', 'L4');
  });
});

describe('diffItemLists (L1)', () => {
  it('L1: reports added, removed and changed items with the changed fields', () => {
    const d = diffItemLists([prepaid, scrap], [{ ...prepaid, name: '预付卡检查', method: ['written'] }]);
    expect(d.added).toEqual([]);
    expect(d.removed.map((i) => i.itemId)).toEqual(['SW-002']);
    expect(d.changed).toEqual([{ itemId: 'SW-001', before: prepaid, after: { ...prepaid, name: '预付卡检查', method: ['written'] }, fields: ['method', 'name'] }]);
  });

  it('L1: an optional field appearing or disappearing is a change', () => {
    const d = diffItemLists([scrap], [{ ...scrap, needsExperts: true }]);
    expect(d.changed[0]?.fields).toEqual(['needsExperts']);
  });

  it('L1: identical lists in another order have no difference', () => {
    expect(diffItemLists([prepaid, scrap], [scrap, prepaid])).toEqual({ added: [], removed: [], changed: [] });
  });

  it('L1: the stored change ids agree with the diff of consecutive versions', () => {
    const events: ItemListEvent[] = [];
    for (const items of [[prepaid], [prepaid, scrap], [{ ...scrap, legalBasis: '《报废机动车回收管理办法》（2019）' }]]) {
      events.push(...expectEvents(decideOn(itemListDecider, events, publish(items))));
    }
    for (let i = 1; i < events.length; i++) {
      const d = diffItemLists(events[i - 1]!.payload.items, events[i]!.payload.items);
      expect(events[i]!.payload.changes).toEqual({ added: d.added.map((x) => x.itemId), changed: d.changed.map((x) => x.itemId), removed: d.removed.map((x) => x.itemId) });
    }
  });
});
