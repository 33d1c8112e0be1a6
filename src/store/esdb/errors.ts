/** Maps EventStoreDB client failures to the coded catalogue (errors never leak raw). */
import { isCommandError, ErrorType } from '@eventstore/db-client';
import { SuijiError } from '../../domain/errors.js';

const UNAVAILABLE = new Set<string>([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
  ErrorType.CANCELLED,
  ErrorType.UNKNOWN,
  ErrorType.ACCESS_DENIED,
  ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED,
]);

export function mapEsdbError(err: unknown): unknown {
  if (err instanceof SuijiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof Error && isCommandError(err) && err.type === ErrorType.STREAM_DELETED) {
    // suiji never deletes a stream: one that is gone was removed by hand.
    return new SuijiError('LEDGER_CORRUPT', { reason: 'stream-deleted', message }, {
      zh: `EventStoreDB 中的账本流已被删除：${message}`,
      en: `A ledger stream was deleted in EventStoreDB: ${message}`,
    });
  }
  if ((err instanceof Error && isCommandError(err) && UNAVAILABLE.has(err.type)) || /UNAVAILABLE|DEADLINE_EXCEEDED|ECONNREFUSED|Failed to discover|No connection established/i.test(message)) {
    return new SuijiError('STORE_UNAVAILABLE', { esdb: err instanceof Error && isCommandError(err) ? err.type : undefined, message }, {
      zh: `EventStoreDB 不可用：${message}`,
      en: `EventStoreDB is unavailable: ${message}`,
    });
  }
  return err;
}

export async function esdbGuarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw mapEsdbError(err);
  }
}
