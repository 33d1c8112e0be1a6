import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { EventDefinition } from './event-definition.js';
import { SuijiError } from './errors.js';
import { validationError } from './validation-error.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * The event catalogue: every event type the ledger accepts. Aggregates register their
 * definitions here (see ./events.ts); the store calls `validate` before it writes anything.
 */
export class EventCatalogue {
  private readonly validators = new Map<string, { version: number; validate: ValidateFunction }>();
  private readonly ajv: Ajv;

  constructor(definitions: readonly EventDefinition[]) {
    // verbose: errors keep their schema, so an unknown property can be answered with the allowed ones.
    this.ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, verbose: true });
    addFormats(this.ajv);
    for (const d of definitions) {
      if (this.validators.has(d.type)) throw new Error(`duplicate event type ${d.type}`);
      this.validators.set(d.type, { version: d.version, validate: this.ajv.compile(d.schema as object) });
    }
  }

  has(type: string): boolean {
    return this.validators.has(type);
  }

  versionOf(type: string): number | undefined {
    return this.validators.get(type)?.version;
  }

  /** Throws a coded error naming the offending field; returns the schema version on success. */
  validate(type: string, payload: unknown): number {
    const entry = this.validators.get(type);
    if (!entry) throw new SuijiError('UNKNOWN_EVENT_TYPE', { field: 'type', type });
    if (!entry.validate(payload)) throw schemaError(entry.validate.errors ?? [], `payload of ${type}`);
    return entry.version;
  }
}

/** Turns Ajv's first error into a coded, bilingual error that names the field (./validation-error.ts). */
export function schemaError(errors: readonly ErrorObject[], what: string): SuijiError {
  return validationError(errors, { what });
}
