import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEADLINE, actors, generalItem, meta, openHarness, rejected, seedItems, seedTargets, target, witnessPlan, type Harness } from './harness.js';

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
describe('L1/G2: a department draws the items of the unified list it is the inspecting body of', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
    // The bureau's list: one item inspected by dept-b, one by dept-a.
    await seedItems(h.store, 'bureau', [
      { ...generalItem, itemId: 'SW-03', inspectingBody: 'dept-b' },
      { ...generalItem, itemId: 'SW-01', inspectingBody: 'dept-a' },
    ]);
    await seedTargets(h.store, Array.from({ length: 10 }, (_, i) => target(i + 1)));
  });
  afterAll(async () => {
    await h.close();
  });

  it('L1: regression (demo 流通发展科 could not draw SW-03): the inspecting body draws its item from the bureau\'s list', async () => {
    const drawId = await h.service.commitTargets(meta(actors.opB), request('SW-03', 'T-B-1'));
    expect(drawId).toBe('T-B-1.targets.1');
  });

  it('G2: another department cannot draw an item it does not inspect, though the item is on the list; nothing written', async () => {
    const before = await h.store.head();
    const e = await rejected(h.service.commitTargets(meta(actors.opA), request('SW-03', 'T-A-1')));
    expect(e.details).toMatchObject({ rule: 'G2', field: '/item' });
    expect(e.messageZh).toContain('检查主体');
    expect(await h.store.head()).toEqual(before);
  });
});
