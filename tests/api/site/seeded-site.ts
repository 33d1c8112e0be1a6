import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions } from '../../../src/api/app.js';
import { seedDemo } from '../../../src/cli/commands/demo.js';
import { openRuntime, type Runtime } from '../../../src/cli/runtime.js';
import { systemActor } from '../../../src/domain/actor.js';
import { routeRegisterCommand, type Item, type RegisterCommand } from '../../../src/domain/registers/index.js';
import { handleCommand } from '../../../src/store/handle-command.js';
import { tempDir } from '../../helpers/temp-dir.js';

/** Stored text that would run if any page forgot to escape it. */
export const HOSTILE = {
  script: '<script>alert(1)</script>',
  attribute: '"><img src=x onerror=alert(2)>',
  legal: "'><svg onload=alert(3)>&amp;",
} as const;

/**
 * The public site over the seeded demo county (registers, the demo year's plans, tasks, draws,
 * results, a correction and an objection): real SQLite, real read models, the real app.
 */
export interface SeededSite {
  readonly rt: Runtime;
  readonly app: FastifyInstance;
  /** The department whose name was made hostile (it publishes the demo's result notices). */
  readonly hostileDepartment: string;
  /** The department whose item list got a hostile version, and that version's number. */
  readonly hostileList: { departmentId: string; version: number };
  close(): Promise<void>;
}

const run = (rt: Runtime, command: Omit<RegisterCommand, 'metadata'>): Promise<unknown> =>
  routeRegisterCommand({ ...command, metadata: { actor: systemActor, now: new Date().toISOString(), commandId: randomUUID() } } as RegisterCommand, (r) => handleCommand(rt.store, r));

export async function openSeededSite(targets = 2000, options: BuildOptions = {}): Promise<SeededSite> {
  const dir = tempDir('suiji-site-');
  const rt = await openRuntime(dir.path, { warn: () => undefined, info: () => undefined });
  await seedDemo(rt, { seed: 1, targets }, () => undefined);
  const db = rt.projectionDb;
  // Hostile register entries, written through the real deciders as an admin could: a department
  // renamed to a script tag, and an item list version whose item name and legal basis break out
  // of attributes.
  const hostileDepartment = db.prepare("SELECT department FROM notices WHERE kind = 'resultNotice' LIMIT 1").pluck().get() as string;
  await run(rt, { type: 'UpdateDepartment', data: { departmentId: hostileDepartment, changes: { name: HOSTILE.script } } });
  const list = db.prepare('SELECT department_id, version, items FROM reg_item_list_versions ORDER BY department_id, version DESC LIMIT 1').get() as { department_id: string; version: number; items: string };
  const items = JSON.parse(list.items) as Item[];
  const first = items[0] as Item;
  await run(rt, { type: 'PublishItemList', data: { departmentId: list.department_id, reason: HOSTILE.script, items: [{ ...first, name: HOSTILE.attribute, legalBasis: HOSTILE.legal }, ...items.slice(1)] } });
  await rt.projections.catchUp();
  const app = await buildApp({ store: rt.store, projections: rt.projections, evidence: rt.evidence }, { publicRateLimit: false, results: { calendar: rt.calendar }, ...options });
  return {
    rt,
    app,
    hostileDepartment,
    hostileList: { departmentId: list.department_id, version: list.version + 1 },
    close: async () => {
      await app.close();
      await rt.close();
      dir.remove();
    },
  };
}
