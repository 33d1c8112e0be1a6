import { describe, expect, it } from 'vitest';
import { demoCodesValid, generateDemo, planDemoWrites } from '../../src/cli/demo/index.js';
import type { RegisterCommand, TargetRecord } from '../../src/domain/registers/index.js';
import { isValidUscc } from '../../src/domain/uscc.js';
import { poolOf, inspectorPool, itemListDiff, listDepartments, listSpecialRegisters } from '../../src/projections/registers/index.js';
import { catalogue } from '../domain/registers/helpers.js';
import { openHarness } from '../projections/registers/harness.js';

const targetsOf = (commands: readonly RegisterCommand[]): TargetRecord[] =>
  commands.flatMap((c) => (c.type === 'RegisterTarget' ? [c.data] : []));

describe('demo county 沂源县 (G3, L1–L6)', () => {
  const demo = generateDemo({ seed: 370323 });
  const targets = targetsOf(demo.commands);

  it('L6: 60,000 targets with valid, unique credit codes of the county (check character and organisation code)', () => {
    expect(targets).toHaveLength(60_000);
    expect(new Set(targets.map((t) => t.uscc)).size).toBe(60_000);
    expect(targets.every((t) => isValidUscc(t.uscc) && t.uscc.slice(2, 8) === '370323')).toBe(true);
    expect(demoCodesValid(targets.map((t) => t.uscc))).toBe(true);
  });

  it('L4: a plausible mix of risk levels, towns, industries and statuses', () => {
    const share = (p: (t: TargetRecord) => boolean): number => targets.filter(p).length / targets.length;
    expect(share((t) => t.riskLevel === 'A')).toBeGreaterThan(0.35);
    expect(share((t) => t.riskLevel === 'D')).toBeGreaterThan(0.04);
    expect(share((t) => t.riskLevel === 'D')).toBeLessThan(0.1);
    expect(share((t) => t.status === 'active')).toBeGreaterThan(0.88);
    expect(new Set(targets.map((t) => t.region)).size).toBe(11);
    expect(share((t) => t.industry === 'F5265')).toBeGreaterThan(0.005);
    expect(share((t) => t.entityType === 'individualBusiness')).toBeGreaterThan(0.5);
  });

  it('G3/L3/L5: 4–6 departments, about 40 inspectors, a few experts, two item-list versions', () => {
    expect(demo.counts.departments).toBeGreaterThanOrEqual(4);
    expect(demo.counts.departments).toBeLessThanOrEqual(6);
    expect(demo.commands.filter((c) => c.type === 'RegisterInspector')).toHaveLength(40);
    expect(demo.commands.filter((c) => c.type === 'RegisterExpert').length).toBeGreaterThanOrEqual(3);
    expect(demo.commands.filter((c) => c.type === 'PublishItemList')).toHaveLength(2);
  });

  it('is deterministic: same seed, same commands; another seed, other codes', () => {
    const again = generateDemo({ seed: 370323, targets: 500 });
    expect(JSON.stringify(generateDemo({ seed: 370323, targets: 500 }).commands)).toBe(JSON.stringify(again.commands));
    const other = targetsOf(generateDemo({ seed: 1, targets: 500 }).commands);
    expect(other[0]?.uscc).not.toBe(targetsOf(again.commands)[0]?.uscc);
  });

  it('L4: every demo command is accepted by its decider (authorization included) and every event passes the catalogue', () => {
    const writes = planDemoWrites(demo.commands);
    const events = writes.flatMap((w) => w.events);
    for (const e of events) catalogue.validate(e.type, e.payload);
    expect(writes.filter((w) => w.streamId.startsWith('target-'))).toHaveLength(60_000);
    expect(events.filter((e) => e.type === 'TargetAdmittedToSpecialRegister')).toHaveLength(demo.counts.admissions);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  });
});

describe('demo through the real store and projections', () => {
  it('L1/L3/L4/T9: a small demo seeds an empty ledger; pools and item-list diff read back', async () => {
    const h = await openHarness();
    try {
      const demo = generateDemo({ seed: 7, targets: 1500 });
      const writes = planDemoWrites(demo.commands);
      for (let i = 0; i < writes.length; i += 500) await h.store.appendMulti(writes.slice(i, i + 500));
      await h.runner.catchUp();
      const targets = targetsOf(demo.commands);
      expect(poolOf(h.db, {})).toEqual(targets.filter((t) => t.status === 'active').map((t) => t.uscc).sort());
      expect(listDepartments(h.db)).toHaveLength(demo.counts.departments);
      expect(itemListDiff(h.db, 'yy-swj', 1, 2)?.changed.map((c) => c.itemId)).toEqual(['SW-07', 'SW-08']);
      const fuel = listSpecialRegisters(h.db).find((r) => r.registerId === 'fuel-retail');
      expect(fuel?.members).toBe(targets.filter((t) => t.industry === 'F5265' && t.status === 'active').length);
      const qualified = inspectorPool(h.db, { qualifiedOn: '2026-03-01' });
      expect(qualified.length).toBeGreaterThan(25);
      expect(qualified.length).toBeLessThan(40);
    } finally {
      await h.close();
    }
  });
});
