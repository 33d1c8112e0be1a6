/**
 * Verification of an embedded ledger on disk, for the CLI (`suiji verify`): opens the file
 * without creating anything, and reports a file SQLite cannot read as a failed verification.
 */
import { verifyLedger, type LedgerVerification, type VerifyLedgerOptions } from '../verify-ledger.js';
import { isSuijiError } from '../../domain/errors.js';
import { openSqliteStore } from './sqlite-store.js';

export async function verifySqliteLedger(dataDir: string, options: VerifyLedgerOptions = {}): Promise<LedgerVerification> {
  let store;
  try {
    store = openSqliteStore({ dataDir, create: false });
  } catch (err) {
    const detail = isSuijiError(err) ? `${err.messageEn} ${JSON.stringify(err.details)}` : String(err);
    return { ok: false, position: 0, reason: isSuijiError(err) && err.code === 'LEDGER_CORRUPT' ? 'store-corrupt' : 'store-error', detail };
  }
  try {
    return await verifyLedger(store, options);
  } finally {
    await store.close().catch(() => undefined);
  }
}
