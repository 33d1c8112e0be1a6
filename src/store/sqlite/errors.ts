/** Maps SQLite failures to the coded catalogue (brief: errors never leak raw). */
import { SuijiError } from '../../domain/errors.js';

const UNAVAILABLE = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PROTOCOL', 'SQLITE_NOMEM', 'SQLITE_PERM'];
const CORRUPT = ['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_FORMAT'];

export function mapSqliteError(err: unknown): unknown {
  if (err instanceof SuijiError) return err;
  const code = typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : '';
  const message = err instanceof Error ? err.message : String(err);
  if (CORRUPT.some((c) => code.startsWith(c))) {
    return new SuijiError('LEDGER_CORRUPT', { reason: 'store-corrupt', sqlite: code, message }, {
      zh: `账本数据库文件已损坏：${message}`,
      en: `Ledger database file is corrupt: ${message}`,
    });
  }
  if (UNAVAILABLE.some((c) => code.startsWith(c))) return new SuijiError('STORE_UNAVAILABLE', { sqlite: code, message });
  if (err instanceof TypeError && /database connection is not open/.test(message)) {
    return new SuijiError('STORE_UNAVAILABLE', { reason: 'closed' });
  }
  return err;
}

/** Runs a synchronous SQLite call and rethrows its failure as a coded error. */
export function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw mapSqliteError(err);
  }
}
