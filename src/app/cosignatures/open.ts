import { readFileSync } from 'node:fs';
import { SuijiError } from '../../domain/errors.js';
import { logVkeyPath } from '../ledger/keys.js';
import { ledgerRootAt } from '../../store/root-at.js';
import type { EventStore } from '../../store/port.js';
import { NoteError, parseVerifierKey, type VerifierKey } from '../../verify/note.js';
import { loadWitnesses } from './config.js';
import { CosignatureService } from './service.js';
import { CosignatureStore, sqliteCosignatureRecords, type CosignatureRecords } from './store.js';

/** `<data>/keys/log.vkey` (written by `suiji keys init` next to the signing key), or null when the log has no key yet (nothing signed, nothing to cosign). */
export function readLogVerifierKey(dataDir: string): VerifierKey | null {
  const file = logVkeyPath(dataDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    return parseVerifierKey(text.trim());
  } catch (e) {
    if (!(e instanceof NoteError)) throw e;
    throw new SuijiError('VALIDATION_FAILED', { field: file, reason: e.code }, { zh: `日志验证公钥文件 ${file} 格式错误`, en: `The log verifier key file ${file} is malformed` });
  }
}

/**
 * The cosignature service of a data directory; the caller closes it (`close()`) after the
 * server. The witnesses are read now (a malformed key stops start-up); the log's verifier key
 * per request until it exists, so `suiji keys init` needs no restart.
 */
export function openCosignatures(
  dataDir: string,
  store: Pick<EventStore, 'head' | 'checkpoints' | 'readAll'>,
  env: Readonly<Record<string, string | undefined>> = process.env,
  records?: CosignatureRecords,
): CosignatureService & { close(): Promise<void> } {
  const witnesses = loadWitnesses(dataDir, env);
  // SQLite next to the ledger unless the caller gives the records (PostgreSQL: the ledger's schema).
  const cosignatures = records ?? sqliteCosignatureRecords(CosignatureStore.open(dataDir));
  let logKey: VerifierKey | null = null;
  const service = new CosignatureService({
    store: cosignatures,
    witnesses,
    logKey: () => (logKey ??= readLogVerifierKey(dataDir)),
    rootAt: (size) => ledgerRootAt(store, size),
  });
  return Object.assign(service, { close: () => cosignatures.close() });
}
