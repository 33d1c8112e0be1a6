import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToHex } from '@noble/hashes/utils.js';
import { initLogKey, logKeyPath, logVkeyPath, openLedgerPublic } from '../../src/app/ledger/index.js';
import { SqliteLedgerTree } from '../../src/store/index.js';
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

  it("V4: Go's sumdb/tlog (an independent RFC 6962 implementation) accepts the store's inclusion and consistency proofs and rejects tampered ones", async () => {
    const dir = tempDir('suiji-go-tlog-');
    try {
      const store = await ledgerOf(dir.path, 700, 70);
      await store.close();
      initLogKey(dir.path);
      const { ledger, close } = openLedgerPublic(dir.path, { minIntervalMs: 0 });
      const tree = new SqliteLedgerTree(dir.path);
      const cases: object[] = [];
      const expected: string[] = [];
      try {
        for (const size of [1, 2, 3, 16, 17, 100, 255, 256, 257, 511, 512, 699, 700]) {
          const root = bytesToHex(tree.rootAt(size));
          for (const index of new Set([0, Math.floor(size / 3), size - 1])) {
            const p = await ledger.inclusion(index, size);
            cases.push({ kind: 'inclusion', index, size, hash: p.leafHash, root, proof: p.proof });
            expected.push('ok');
            if (p.proof.length > 0) {
              cases.push({ kind: 'inclusion', index, size, hash: p.leafHash, root, proof: [...p.proof.slice(0, -1), 'ff'.repeat(32)] });
              expected.push('fail');
            }
          }
          for (const from of new Set([1, Math.max(1, size >> 1), Math.max(1, size - 1), size])) {
            const p = await ledger.consistency(from, size);
            const old = bytesToHex(tree.rootAt(from));
            cases.push({ kind: 'consistency', from, size, hash: old, root, proof: p.proof });
            expected.push('ok');
            if (p.proof.length > 0) {
              cases.push({ kind: 'consistency', from, size, hash: old, root, proof: ['00'.repeat(32), ...p.proof.slice(1)] });
              expected.push('fail');
            }
          }
        }
      } finally {
        tree.close();
        close();
      }
      const file = join(dir.path, 'cases.json');
      writeFileSync(file, JSON.stringify(cases));
      const out = execFileSync('go', ['run', join(import.meta.dirname, 'go', 'tlog_check.go'), file], { env: goEnv, encoding: 'utf8', timeout: 120_000 });
      expect(out.trim().split('\n')).toEqual(expected);
    } finally {
      dir.remove();
    }
  }, 150_000);
});
