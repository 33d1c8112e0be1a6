/**
 * Route schemas are cut from the domain's `as const` command schemas, never retyped, so the
 * HTTP contract cannot drift from what the deciders accept (STYLE habit 1).
 */
interface ObjectSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, unknown>>;
  readonly required: readonly string[];
}

type Omitted<S extends ObjectSchema, K extends string> = Omit<S, 'properties' | 'required'> & {
  readonly properties: Omit<S['properties'], K>;
  readonly required: readonly Exclude<S['required'][number], K>[];
};

/** The command schema without the properties that travel in the URL (e.g. `uscc` in `/targets/:uscc`). */
export function omitProperties<const S extends ObjectSchema, const K extends keyof S['properties'] & string>(schema: S, keys: readonly K[]): Omitted<S, K> {
  const drop = new Set<string>(keys);
  const properties = Object.fromEntries(Object.entries(schema.properties).filter(([k]) => !drop.has(k)));
  const required = schema.required.filter((k) => !drop.has(k));
  return { ...schema, properties, required } as unknown as Omitted<S, K>;
}
