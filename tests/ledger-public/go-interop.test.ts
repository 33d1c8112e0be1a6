import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initLogKey, logKeyPath, logVkeyPath, openLedgerPublic } from '../../src/app/ledger/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { ledgerOf } from './fixtures.js';

const goEnv = { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOFLAGS: '' };
const haveGo = spawnSync('go', ['version'], { env: goEnv }).status === 0;

describe.skipIf(!haveGo)('Go x/mod/sumdb/note interop', () => {
  it("V4: Go's note.Open verifies suiji's signed checkpoint with log.vkey, and Go signing with log.key gives the same bytes", async () => {
    const dir = tempDir('suiji-go-');
    try {
      const store = await ledgerOf(dir.path, 40, 20);
      await store.close();
      initLogKey(dir.path, { origin: 'go.suiji.example/ledger' });
      const { ledger, close } = openLedgerPublic(dir.path, { minIntervalMs: 0 });
      const noteFile = join(dir.path, 'note.txt');
      try {
        writeFileSync(noteFile, (await ledger.checkpoint()).note);
      } finally {
        close();
      }
      const out = execFileSync('go', ['run', join(import.meta.dirname, 'go', 'note_check.go'), logVkeyPath(dir.path), noteFile, logKeyPath(dir.path)], { env: goEnv, encoding: 'utf8', timeout: 120_000 });
      expect(out).toBe('verified 1\nidentical true\n');
    } finally {
      dir.remove();
    }
  }, 150_000);
});
