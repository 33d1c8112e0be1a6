import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { EventCatalogue } from '../../../src/domain/catalogue.js';
import type { Actor } from '../../../src/domain/actor.js';
import { allEventDefinitions } from '../../../src/domain/events.js';
import { routeRegisterCommand, type RegisterCommand } from '../../../src/domain/registers/index.js';
import { registerProjections } from '../../../src/projections/registers/index.js';
import { ProjectionRunner, openProjectionDb } from '../../../src/projections/runner.js';
import { handleCommand } from '../../../src/store/handle-command.js';
import { openStore } from '../../../src/store/index.js';
import type { EventStore } from '../../../src/store/port.js';

/** A real SQLite ledger and a real projections.db in a temp dir, with the register projections. */
export interface Harness {
  readonly dir: string;
  readonly store: EventStore;
  readonly db: Database;
  readonly runner: ProjectionRunner;
  /** Routes and handles a register command; returns the event types it appended. */
  run(command: RegisterCommand): Promise<string[]>;
  close(): Promise<void>;
}

export async function openHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'suiji-registers-'));
  const catalogue = new EventCatalogue(allEventDefinitions);
  const store = await openStore({ dataDir: dir, validate: (e) => void catalogue.validate(e.type, e.payload) });
  const db = openProjectionDb(dir);
  const runner = new ProjectionRunner(store, db, registerProjections);
  return {
    dir,
    store,
    db,
    runner,
    async run(command) {
      const handled = await routeRegisterCommand(command, (r) => handleCommand(store, r));
      return handled.events.map((e) => e.type);
    },
    async close() {
      await runner.stop();
      db.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let n = 0;
export const metaFor = (actor: Actor) => ({ actor, now: '2026-11-25T08:00:00.000Z', commandId: `test-${process.pid}-${++n}` });
