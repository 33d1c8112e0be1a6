import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

/**
 * One JSON Schema per event type and version. The same `as const` object validates the
 * payload at append time (see ./catalogue.ts) and gives the TypeScript type via FromSchema.
 */
export interface EventDefinition<T extends string = string, S extends JSONSchema = JSONSchema> {
  readonly type: T;
  readonly version: number;
  readonly schema: S;
}

export const defineEvent = <const T extends string, const S extends JSONSchema>(
  type: T,
  version: number,
  schema: S,
): EventDefinition<T, S> => ({ type, version, schema });

/** The payload type of a definition. */
export type PayloadOf<D> = D extends EventDefinition<string, infer S> ? FromSchema<S> : never;

/** A domain event as deciders see it: type + payload (the envelope is the store's). */
export type DomainEvent<D> = D extends EventDefinition<infer T, infer S> ? { readonly type: T; readonly payload: FromSchema<S> } : never;
