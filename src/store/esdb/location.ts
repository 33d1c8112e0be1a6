/**
 * Where an EventStoreDB ledger lives: an `esdb://` or `esdb+discover://` connection string as
 * `@eventstore/db-client` reads it, plus our own `ledger` query parameter (default `suiji`): the
 * prefix of every stream this ledger writes, so several ledgers — or a test per ledger — can
 * share one server. The parameter is removed before the string reaches the client.
 */
import { SuijiError } from '../../domain/errors.js';
import { redactUrl } from '../postgres/location.js';

export const DEFAULT_LEDGER = 'suiji';
const LEDGER_NAME = /^[a-z][a-z0-9_-]{0,39}$/;

export const isEsdbUrl = (location: string): boolean => /^esdb(\+discover)?:\/\//i.test(location);

export function checkLedgerName(name: string, field = 'ledger'): string {
  if (!LEDGER_NAME.test(name)) {
    throw new SuijiError('VALIDATION_FAILED', { field, value: name }, {
      zh: `EventStoreDB 账本名 ${name} 无效：须为小写字母开头的小写字母、数字、下划线或连字符，至多 40 个字符`,
      en: `Invalid EventStoreDB ledger name ${name}: lowercase letters, digits, underscores or hyphens, starting with a letter, at most 40 characters`,
    });
  }
  return name;
}

export function parseEsdbUrl(location: string, field = '--store'): { connectionString: string; ledger: string } {
  if (!isEsdbUrl(location)) {
    throw new SuijiError('VALIDATION_FAILED', { field, value: redactUrl(location) }, {
      zh: `${field} 须以 esdb:// 或 esdb+discover:// 开头`,
      en: `${field} must start with esdb:// or esdb+discover://`,
    });
  }
  const q = location.indexOf('?');
  const params = new URLSearchParams(q < 0 ? '' : location.slice(q + 1));
  const ledger = checkLedgerName(params.get('ledger') ?? DEFAULT_LEDGER, `${field} ledger`);
  params.delete('ledger');
  const rest = params.toString();
  // esdb:// strings may list several hosts (`host1,host2`), which URL cannot parse: only the query is touched.
  return { connectionString: (q < 0 ? location : location.slice(0, q)) + (rest ? `?${rest}` : ''), ledger };
}
