import type { FastifyError, FastifyInstance } from 'fastify';
import type { ErrorObject } from 'ajv';
import { SuijiError, type ErrorCode } from '../domain/errors.js';
import { validationError } from '../domain/validation-error.js';
import { mapSqliteError } from '../store/sqlite/errors.js';

/** Fastify's own 4xx codes, mapped into our catalogue so a client never sees a foreign shape. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

/** Converts anything thrown in a route into a SuijiError; unknown server faults become INTERNAL_ERROR. */
export function toSuijiError(error: FastifyError | Error): SuijiError {
  if (error instanceof SuijiError) return error;
  const fe = error as FastifyError;
  if (fe.validation && fe.validation.length > 0) {
    // Fastify hands Ajv's errors through unchanged; the part (body, querystring, params, headers) prefixes the field.
    return validationError(fe.validation as ErrorObject[], { prefix: fe.validationContext ?? 'body' });
  }
  if (fe.statusCode === 429) return new SuijiError('RATE_LIMITED');
  const mapped = fe.code ? fastifyCodes[fe.code] : undefined;
  if (mapped) return new SuijiError(mapped, { field: 'body', reason: fe.message });
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return new SuijiError('BAD_REQUEST', { reason: fe.message });
  // A read model's SQLite failing outside the store's own mapping (issue 12: a full disk made the
  // projection catch-up in auth throw SQLITE_FULL raw, and every request answered 500): the same
  // coded 503 the ledger gives. Only the "unavailable" family — a corrupt read model is not a ledger fault.
  const sqlite = mapSqliteError(error);
  if (sqlite instanceof SuijiError && sqlite.code === 'STORE_UNAVAILABLE') return sqlite;
  return new SuijiError('INTERNAL_ERROR');
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const e = toSuijiError(error);
    if (e.status >= 500) request.log.error({ err: error }, 'request failed');
    void reply.status(e.status).send(e.toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(new SuijiError('NOT_FOUND', { field: 'url', url: request.url }).toJSON());
  });
}
