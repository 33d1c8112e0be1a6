import type { FastifyInstance } from 'fastify';
import { SuijiError } from '../domain/errors.js';
import { findDuplicateKey } from '../verify/index.js';

/**
 * Request bodies have exactly one meaning (issue 7 §6): `{"role":"auditor","role":"admin"}`
 * would be authorised as one value by whoever read it first and acted on as another. Fastify's
 * own JSON parser (secure-json-parse: prototype-poisoning refused) decides validity and the
 * value; a body it accepted is then scanned for a repeated name, refused as a coded 400 naming
 * its JSON Pointer. Registered on the root instance, so it covers every route.
 */
export function installStrictJson(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    parse(request, text, (err, value) => {
      if (err) return done(err, undefined);
      const dup = findDuplicateKey(text);
      if (dup) {
        return done(
          new SuijiError('VALIDATION_FAILED', { field: dup.pointer, reason: 'DUPLICATE_KEY', key: dup.key }, {
            zh: `请求体在 ${dup.pointer} 处有重复的键名 ${JSON.stringify(dup.key)}：每个字段只能出现一次`,
            en: `the request body repeats the key ${JSON.stringify(dup.key)} at ${dup.pointer}: each field may appear once`,
          }),
          undefined,
        );
      }
      done(null, value);
    });
  });
}
