import { SuijiError } from '../../domain/errors.js';
import { compileValidator } from '../../domain/registers/index.js';
import { readJson } from './draw-files.js';

/** A request JSON file (`--file`), read strictly and checked against the HTTP body's schema. */
export function requestFrom<T>(file: string, schema: object, what: string): T {
  const parsed = compileValidator<T>(schema, what)(readJson(file));
  if (parsed instanceof SuijiError) throw parsed;
  return parsed;
}
