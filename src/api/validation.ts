import type { FastifyInstance } from 'fastify';
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Fastify's defaults minus what must not happen here: unknown properties are refused, not
 * silently removed (removeAdditional: false), so a misspelt query parameter is named instead of
 * ignored; `verbose` keeps each error's schema so the error can list the allowed parameters.
 * allErrors stays false: with it, one hostile body can make Ajv report without bound.
 */
const common: Options = { useDefaults: true, removeAdditional: false, addUsedSchema: false, allErrors: false, verbose: true };

/**
 * Two validators by HTTP part (issue 8 §3). A query string and path params are text by nature:
 * `?limit=5` is the integer 5 (coerceTypes). A JSON body is typed by its sender: `"limit": "5"`
 * is a string and is refused, so a client never learns to send numbers as strings.
 */
export function installValidation(app: FastifyInstance): void {
  const body = addFormats(new Ajv({ ...common, coerceTypes: false }));
  const text = addFormats(new Ajv({ ...common, coerceTypes: true }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema));
  // A route that declares no query string takes none: `?foo=1` is refused by name rather than
  // ignored (issue 8 §4). The OpenAPI UI under /docs is a third-party plugin and keeps its own.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) return;
    const schema = (route.schema ??= {});
    schema.querystring ??= noQuery;
  });
}

const noQuery = { type: 'object', additionalProperties: false, properties: {} } as const;
