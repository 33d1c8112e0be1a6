/** Maps PostgreSQL and connection failures to the coded catalogue (brief: errors never leak raw). */
import { SuijiError } from '../../domain/errors.js';

/** Socket-level failures of node-postgres: the server is down, restarting or unreachable. */
const SOCKET = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'EAI_AGAIN', 'ENOENT'];
/**
 * SQLSTATE classes: 08 connection exception, 53 insufficient resources (53100 disk full), 57P
 * operator intervention (shutdown, crash recovery), 55P03 lock_timeout on the ledger head,
 * 25P03 idle_in_transaction_session_timeout, 40 serialization/deadlock.
 */
const UNAVAILABLE = /^(08|53|57P|55P03|25P03|40)/;
const CONNECTION_TEXT = /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|Client was closed|Cannot use a pool after calling end/i;

const codeOf = (err: unknown): string =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : '';

export function mapPgError(err: unknown): unknown {
  if (err instanceof SuijiError) return err;
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code.startsWith('XX')) {
    return new SuijiError('LEDGER_CORRUPT', { reason: 'store-corrupt', postgres: code, message }, {
      zh: `PostgreSQL 报告账本数据已损坏：${message}`,
      en: `PostgreSQL reports the ledger data corrupt: ${message}`,
    });
  }
  if (code === '42P01' || code === '3F000') {
    // A table or the schema vanished under a running store (dropped by hand).
    return new SuijiError('LEDGER_CORRUPT', { reason: 'schema-missing', postgres: code, message }, {
      zh: `PostgreSQL 中的账本表缺失：${message}`,
      en: `The ledger's tables are missing in PostgreSQL: ${message}`,
    });
  }
  if (SOCKET.includes(code) || UNAVAILABLE.test(code) || CONNECTION_TEXT.test(message)) {
    return new SuijiError('STORE_UNAVAILABLE', { postgres: code, message }, {
      zh: `PostgreSQL 不可用：${message}`,
      en: `PostgreSQL is unavailable: ${message}`,
    });
  }
  return err;
}

/** Runs one async call and rethrows its failure as a coded error. */
export async function pgGuarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw mapPgError(err);
  }
}
