import type { Database } from 'better-sqlite3';
import { EventCatalogue } from '../domain/catalogue.js';
import { allEventDefinitions } from '../domain/events.js';
import { allProjections } from '../projections/catalogue.js';
import { ProjectionRunner, openProjectionDb } from '../projections/runner.js';
import { openStore } from '../store/index.js';
import type { EventStore } from '../store/port.js';

/** Everything a CLI command or the server needs, opened on one data directory. */
export interface Runtime {
  readonly dataDir: string;
  readonly catalogue: EventCatalogue;
  readonly store: EventStore;
  readonly projectionDb: Database;
  readonly projections: ProjectionRunner;
  close(): Promise<void>;
}

export async function openRuntime(dataDir: string): Promise<Runtime> {
  const catalogue = new EventCatalogue(allEventDefinitions);
  const store = await openStore({
    dataDir,
    // Every payload is checked against its event's JSON Schema before anything is written.
    validate: (e) => {
      catalogue.validate(e.type, e.payload);
    },
  });
  const projectionDb = openProjectionDb(dataDir);
  const projections = new ProjectionRunner(store, projectionDb, allProjections());
  return {
    dataDir,
    catalogue,
    store,
    projectionDb,
    projections,
    async close() {
      await projections.stop();
      projectionDb.close();
      await store.close();
    },
  };
}
