/**
 * readStreams (src/store/bulk-streams.ts), the one-query read of a batch's streams that register
 * imports use (issue 13), on both adapters that have it: a real SQLite file and a real
 * PostgreSQL 15 (tests/helpers/postgres.ts). It must give each stream exactly what readStream gives.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isBulkStreamReader } from '../../src/store/bulk-streams.js';
import { openPostgresStore, openStore } from '../../src/store/index.js';
import type { EventStore } from '../../src/store/port.js';
import { newEvents } from '../helpers/events.js';
import { freshSchema, usePostgres } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp-dir.js';

const server = usePostgres();
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.splice(0)) await c();
});

const adapters: Record<string, () => Promise<EventStore>> = {
  sqlite: async () => {
    const dir = tempDir();
    const store = await openStore({ dataDir: dir.path });
    cleanup.push(() => store.close(), () => dir.remove());
    return store;
  },
  postgres: async () => {
    const store = await openPostgresStore({ connectionString: server().url(), schema: freshSchema('bulk'), pollIntervalMs: 100 });
    cleanup.push(() => store.close());
    return store;
  },
};

describe('readStreams: one read for a batch of streams (issue 13 imports)', () => {
  for (const [name, open] of Object.entries(adapters)) {
    it(`${name}: each stream exactly as readStream reads it (revision order); absent, repeated, quoted, Chinese and NUL ids; a bad id is VALIDATION_FAILED`, async () => {
      const store = await open();
      await store.appendMulti([
        { streamId: 'target-a', events: newEvents(3), expected: 'noStream' },
        { streamId: 'target-"引号\'', events: newEvents(1), expected: 'noStream' },
        { streamId: 'target-b', events: newEvents(2), expected: 'noStream' },
      ]);
      await store.append('target-a', newEvents(2), 2);
      expect(isBulkStreamReader(store)).toBe(true);
      if (!isBulkStreamReader(store)) return;
      const ids = ['target-b', 'target-a', 'target-none', 'target-a', 'target-"引号\'', 'nul\u0000id'];
      const got = await store.readStreams(ids);
      expect([...got.keys()].sort()).toEqual(['target-"引号\'', 'target-a', 'target-b']);
      for (const id of new Set(ids)) expect(got.get(id) ?? [], id).toEqual(await store.readStream(id));
      expect(got.get('target-a')!.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      expect((await store.readStreams([])).size).toBe(0);
      await expect(store.readStreams(['target-a', ''])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });
  }
});
