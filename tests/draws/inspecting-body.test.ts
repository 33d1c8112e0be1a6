import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../src/domain/registers/index.js';
import { DEADLINE, actors, generalItem, meta, openHarness, rejected, seedItems, seedTargets, target, withTask, witnessPlan, write, type Harness } from './harness.js';

const request = (item: string, task: string) => ({
  task,
  item,
  classes: [{ name: 'all', filter: {}, quota: { ratio: { numerator: 1, denominator: 5 } } }],
  entropy: witnessPlan(),
  revealDeadline: DEADLINE,
});

/**
 * Issue 9 "Whose items": the bureau keeps one unified list and each item names its inspecting
 * body (检查主体). A unit draws the items it inspects, wherever the list is kept; it cannot draw
 * another unit's item, and the bureau's list does not make the bureau's items its units'.
 */
/** The bureau's list: SW-03 inspected by `sw03`, SW-01 by dept-a. */
const bureauList = (sw03: string): Item[] => [
  { ...generalItem, itemId: 'SW-03', inspectingBody: sw03 },
  { ...generalItem, itemId: 'SW-01', inspectingBody: 'dept-a' },
];

describe('L1/G2: a department draws the items of the unified list it is the inspecting body of', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
    // The bureau's list: one item inspected by dept-b, one by dept-a.
    await seedItems(h.store, 'bureau', bureauList('dept-b'));
    await seedTargets(h.store, Array.from({ length: 10 }, (_, i) => target(i + 1)));
  });
  /** A new version of the bureau's list, SW-03 now inspected by `sw03`. */
  const publish = (version: number, sw03: string) =>
    write(h.store, 'itemList-bureau', 'ItemListVersionPublished', {
      departmentId: 'bureau', version, items: bureauList(sw03), changes: { added: [], changed: ['SW-03'], removed: [] }, reason: `检查主体调整 v${version}`,
    });
  afterAll(async () => {
    await h.close();
  });

  it('L1: regression (demo 流通发展科 could not draw SW-03): the inspecting body draws its item from the bureau\'s list', async () => {
    const req = await withTask(h, request('SW-03', 'T-B-1'), { department: 'dept-b' });
    const drawId = await h.service.commitTargets(meta(actors.opB), req);
    expect(drawId).toBe(`${req.task}.targets.1`);
  });

  it('G2: another department cannot draw an item it does not inspect, though the item is on the list; nothing written', async () => {
    // A task of dept-a can name only items dept-a inspects (checked at creation, G2): the task is
    // created while the list gives SW-03 to dept-a, then the bureau gives it back to dept-b.
    // The draw reads the list in force when it is committed, so it is still refused.
    await publish(2, 'dept-a');
    const req = await withTask(h, request('SW-03', 'T-A-1'), { department: 'dept-a' });
    await publish(3, 'dept-b');
    const before = await h.store.head();
    const e = await rejected(h.service.commitTargets(meta(actors.opA), req));
    expect(e.details).toMatchObject({ rule: 'G2', field: '/item' });
    expect(e.messageZh).toContain('检查主体');
    expect(await h.store.head()).toEqual(before);
  });
});
