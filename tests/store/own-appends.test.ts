import { beforeEach, describe, expect, it } from 'vitest';
import { isOwnAppends, openSqliteStore } from '../../src/store/index.js';
import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../src/store/port.js';
import { tempDir } from '../helpers/temp-dir.js';

const ids = new Map<string, string>();
/** The same name is the same event (same UUID), so a second append of it is a retry. */
const event = (name: string): NewEvent => {
  if (!ids.has(name)) ids.set(name, randomUUID());
  return { eventId: ids.get(name)!, type: 'TestHappened', actor: { userId: 'u', role: 'system', department: 'd' }, correlationId: name, payload: { name } };
};

beforeEach(() => ids.clear());

describe('OwnAppends (issue 8 §1: a read waits for this server\'s writes, not for another process\'s)', () => {
  it('counts the appends made through this store object, not those of another connection on the same file', async () => {
    const dir = tempDir('suiji-own-');
    const mine = await openSqliteStore({ dataDir: dir.path });
    const other = await openSqliteStore({ dataDir: dir.path });
    try {
      expect(isOwnAppends(mine)).toBe(true);
      expect(mine.appendedSize).toBe(0);
      await mine.append('s-1', [event('a'), event('b')], 'noStream');
      expect(mine.appendedSize).toBe(2);
      await other.append('s-2', [event('c'), event('d'), event('e')], 'noStream');
      expect((await mine.head()).size).toBe(5);
      expect(mine.appendedSize).toBe(2);
      expect(other.appendedSize).toBe(5);
    } finally {
      await mine.close();
      await other.close();
      dir.remove();
    }
  });

  it('an idempotent retry of another connection\'s append counts as this caller\'s write (its reader must see it)', async () => {
    const dir = tempDir('suiji-own-');
    const mine = await openSqliteStore({ dataDir: dir.path });
    const other = await openSqliteStore({ dataDir: dir.path });
    try {
      await other.append('s-1', [event('a')], 'noStream');
      await other.append('s-2', [event('b')], 'noStream');
      const replayed = await mine.append('s-2', [event('b')], 'noStream');
      expect(replayed.replayed).toBe(true);
      expect(mine.appendedSize).toBe(2);
    } finally {
      await mine.close();
      await other.close();
      dir.remove();
    }
  });
});
