/**
 * Where a PostgreSQL ledger lives: a `postgres://` or `postgresql://` URL as node-postgres reads
 * it, plus our own `schema` query parameter (default `suiji`) so several ledgers — or a test per
 * schema — can share one database. The parameter is removed before the URL reaches the driver.
 */
import { SuijiError } from '../../domain/errors.js';

export const DEFAULT_SCHEMA = 'suiji';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

export function checkSchemaName(schema: string, field = 'schema'): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new SuijiError('VALIDATION_FAILED', { field, value: schema }, {
      zh: `PostgreSQL 模式名 ${schema} 无效：须为小写字母、数字或下划线，以字母或下划线开头，至多 63 个字符`,
      en: `Invalid PostgreSQL schema name ${schema}: lowercase letters, digits and underscores, starting with a letter or underscore, at most 63 characters`,
    });
  }
  return schema;
}

export function parsePostgresUrl(location: string, field = '--store'): { connectionString: string; schema: string } {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new SuijiError('VALIDATION_FAILED', { field, value: redactUrl(location) }, { zh: `${field} 不是有效的 URL`, en: `${field} is not a valid URL` });
  }
  if (!isPostgresUrl(location)) {
    throw new SuijiError('VALIDATION_FAILED', { field, value: redactUrl(location) }, { zh: `${field} 须以 postgres:// 开头`, en: `${field} must start with postgres://` });
  }
  const schema = checkSchemaName(url.searchParams.get('schema') ?? DEFAULT_SCHEMA, `${field} schema`);
  url.searchParams.delete('schema');
  return { connectionString: url.toString(), schema };
}

/** The URL without its password, for logs and error details. */
export function redactUrl(location: string): string {
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return location.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}
