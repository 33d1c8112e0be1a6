import { afterEach, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../../src/cli/runtime.js';
import { generateDemo, planDemoWrites } from '../../src/cli/demo/index.js';
import { tempDir } from '../helpers/temp-dir.js';

let rt: Runtime | undefined;
afterEach(async () => {
  await rt?.close();
});

describe('projection catch-up (issue 8 §1: catching up on another process\'s import stalled /health for 40 s)', () => {
  it('a macrotask scheduled during a catch-up of thousands of events runs before the catch-up finishes', async () => {
    const dir = tempDir('suiji-yield-');
    rt = await openRuntime(dir.path);
    const demo = generateDemo({ seed: 7, targets: 3_000 });
    await rt.store.appendMulti(planDemoWrites(demo.commands));
    const order: string[] = [];
    const catchUp = rt.projections.catchUp().then((n) => {
      order.push('catch-up done');
      return n;
    });
    setImmediate(() => order.push('other request'));
    const n = await catchUp;
    expect(n).toBeGreaterThan(3_000);
    expect(order).toEqual(['other request', 'catch-up done']);
  });
});
