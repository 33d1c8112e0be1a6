import { Ajv } from 'ajv';
import { schemaError } from '../catalogue.js';
import { SuijiError } from '../errors.js';

// verbose: errors keep their schema, so an unknown property can be answered with the allowed ones.
const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, verbose: true });

/**
 * A validator for `schema` typed as T; callers pass T = FromSchema<typeof schema>. The only way untrusted
 * input (filters, command data from HTTP or a CSV row) becomes typed (STYLE habit 1).
 */
export function compileValidator<T>(schema: object, what: string): (input: unknown) => T | SuijiError {
  const check = ajv.compile<T>(schema);
  return (input) => (check(input) ? input : schemaError(check.errors ?? [], what));
}

export const isError = (x: unknown): x is SuijiError => x instanceof SuijiError;
