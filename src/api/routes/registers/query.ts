import { SuijiError } from '../../../domain/errors.js';

/**
 * Query strings carry lists as comma-separated values (`?scale=small,micro`); a repeated key
 * would arrive as an array and is refused. Counts are integers: the app coerces query strings
 * (src/api/validation.ts). This turns them into the filter objects of the domain, which the
 * query modules then validate with their schemas.
 */
export const listParam = { type: 'string', minLength: 1, maxLength: 4000, description: 'comma-separated values 逗号分隔' } as const;
export const boolParam = { enum: ['true', 'false'] } as const;
export const countParam = { type: 'integer', minimum: 0, maximum: 9_999_999 } as const;

export type QueryValue = string | number | undefined;

export function buildFilter(
  query: Readonly<Record<string, QueryValue>>,
  kinds: { readonly lists?: readonly string[]; readonly bools?: readonly string[]; readonly counts?: readonly string[]; readonly scalars?: readonly string[] },
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of kinds.lists ?? []) {
    const v = query[k];
    if (typeof v === 'string') out[k] = v.split(',');
  }
  for (const k of kinds.bools ?? []) {
    const v = query[k];
    if (v !== undefined) out[k] = v === 'true';
  }
  for (const k of kinds.counts ?? []) {
    const v = query[k];
    if (v !== undefined) out[k] = Number(v);
  }
  for (const k of kinds.scalars ?? []) {
    const v = query[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Runs a query whose filter validation names a JSON pointer; reports it as a query-string field. */
export function inQuery<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof SuijiError && e.code === 'VALIDATION_FAILED') {
      const field = `querystring${String(e.details.field ?? '')}`;
      throw new SuijiError('VALIDATION_FAILED', { ...e.details, field }, { zh: e.messageZh, en: e.messageEn });
    }
    throw e;
  }
}
