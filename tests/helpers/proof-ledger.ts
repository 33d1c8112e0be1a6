import { ed25519 } from '@noble/curves/ed25519.js';
import { hexToBytes, bytesToHex } from '@noble/hashes/utils.js';
import type { ProofLedger } from '../../src/app/proofs/index.js';
import { initLogKey, openLedgerPublic, type LedgerPublic } from '../../src/app/ledger/index.js';
import type { EventStore } from '../../src/store/port.js';
import { formatCheckpoint, formatVerifierKey, inclusionProof, merkleLevels, parseVerifierKey, signNote, type VerifierKey } from '../../src/verify/index.js';

export const TEST_ORIGIN = 'test.suiji.example/ledger';

/**
 * A real log signer over a real store for tests of what consumes proofs: it signs the current
 * head as a C2SP checkpoint (Ed25519) and computes RFC 6962 audit paths from the store's leaves.
 * The server's own signer (LedgerPublic, ckpt lane) adds persistence and the no-fork rule.
 */
export function storeProofLedger(store: EventStore, secretKey: Uint8Array = ed25519.utils.randomSecretKey(), origin = TEST_ORIGIN): ProofLedger & { vkey: string; key: VerifierKey } {
  const vkey = formatVerifierKey(origin, ed25519.getPublicKey(secretKey));
  return {
    vkey,
    key: parseVerifierKey(vkey),
    async checkpoint() {
      const head = await store.head();
      return { size: head.size, root: head.root, note: signNote(formatCheckpoint({ origin, size: head.size, root: head.root }), origin, secretKey) };
    },
    async inclusion(index, size) {
      const leaves = (await store.readAll({ limit: size })).map((e) => hexToBytes(e.hash));
      return { proof: inclusionProof(merkleLevels(leaves), index).map(bytesToHex) };
    },
  };
}

/**
 * The server's own log on a data directory (ckpt lane's LedgerPublic: persisted checkpoints,
 * the no-fork rule), with a fresh key, signing at every request (no rate limit) so a test
 * never waits for the next checkpoint.
 */
export function serverLog(dataDir: string, origin = TEST_ORIGIN): { ledger: LedgerPublic; vkey: string; key: VerifierKey; close: () => void } {
  const { vkey } = initLogKey(dataDir, { origin });
  const { ledger, close } = openLedgerPublic(dataDir, { minIntervalMs: 0 });
  return { ledger, vkey, key: parseVerifierKey(vkey), close };
}
