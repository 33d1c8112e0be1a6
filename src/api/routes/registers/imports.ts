import type { FastifyError, FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FromSchema } from 'json-schema-to-ts';
import { authorize } from '../../../domain/access.js';
import { SuijiError } from '../../../domain/errors.js';
import { compileValidator } from '../../../domain/registers/index.js';
import { listDepartments } from '../../../projections/registers/index.js';
import {
  SERVER_IMPORT_BATCH, bytesSource, importFile, importLimits, limitExceeded, reportCsv, storeBatchExecutor, storeExecutor, type ImportKindName, type TableFormat,
} from '../../../app/registers-io/index.js';
import { TimeSlice } from '../../../store/time-slice.js';
import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../auth.js';
import { toSuijiError } from '../../error-handler.js';
import { errorResponses, requireActor } from './common.js';

const kinds = ['targets', 'inspectors'] as const;
const fileNameSchema = { type: 'string', minLength: 1, maxLength: 200 } as const;

/** JSON form: the file's bytes in base64 (RFC 4648 §4), for CSV or XLSX. */
const importJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'format', 'contentBase64'],
  properties: {
    kind: { enum: kinds },
    format: { enum: ['csv', 'xlsx'] },
    contentBase64: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9+/]*={0,2}$' },
    fileName: fileNameSchema,
  },
} as const;
const parseImportJson = compileValidator<FromSchema<typeof importJsonSchema>>(importJsonSchema, 'import request');

/** `text/csv` form: kind (and a file name for the report) in the query string. */
const importQuery = { type: 'object', additionalProperties: false, properties: { kind: { enum: kinds }, fileName: fileNameSchema } } as const;

const reportSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'fileName', 'fileHash', 'total', 'created', 'updated', 'unchanged', 'rejected', 'missingColumns', 'ignoredColumns', 'errors', 'reportCsv'],
  properties: {
    kind: { enum: kinds },
    /**
     * The row errors as the CSV the CLI writes next to the file (UTF-8 with BOM, CRLF; columns
     * 行号,列,错误代码,原值,错误说明,Error): save it as-is and open it in Excel.
     */
    reportCsv: { type: 'string' },
    fileName: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    /** SHA-256 of the file: re-importing the same file is a no-op (deterministic command ids). */
    fileHash: { type: 'string' },
    total: { type: 'integer' },
    created: { type: 'integer' },
    updated: { type: 'integer' },
    unchanged: { type: 'integer' },
    rejected: { type: 'integer' },
    missingColumns: { type: 'array', items: { type: 'string' } },
    ignoredColumns: { type: 'array', items: { type: 'string' } },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['row', 'column', 'code', 'messageZh', 'messageEn'],
        properties: {
          row: { type: 'integer' },
          column: { anyOf: [{ type: 'string' }, { type: 'null' }] },
          code: { type: 'string' },
          messageZh: { type: 'string' },
          messageEn: { type: 'string' },
          value: { type: 'string' },
        },
      },
    },
  },
} as const;

interface Upload {
  readonly kind: ImportKindName;
  readonly format: TableFormat;
  readonly bytes: Uint8Array;
  readonly fileName?: string;
}

/** Either body form, validated; the JSON one through its schema (the only way it becomes typed). */
function uploadOf(body: unknown, query: FromSchema<typeof importQuery>): Upload {
  if (body instanceof Uint8Array) {
    if (!query.kind) throw new SuijiError('VALIDATION_FAILED', { field: 'querystring/kind' }, { zh: 'CSV 上传须在查询参数中指明 kind', en: 'a CSV upload needs ?kind=' });
    return { kind: query.kind, format: 'csv', bytes: body, ...(query.fileName ? { fileName: query.fileName } : {}) };
  }
  const json = parseImportJson(body);
  if (json instanceof SuijiError) throw new SuijiError('VALIDATION_FAILED', { ...json.details, field: `body${String(json.details.field ?? '')}` }, { zh: json.messageZh, en: json.messageEn });
  const bytes = new Uint8Array(Buffer.from(json.contentBase64, 'base64'));
  return { kind: json.kind, format: json.format, bytes, ...(json.fileName ? { fileName: json.fileName } : {}) };
}

/** `Accept: text/csv` (before any JSON type) asks for the CSV report as the body. */
const wantsCsv = (accept: string | undefined): boolean => {
  if (!accept) return false;
  const types = accept.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  const csv = types.indexOf('text/csv');
  const json = types.indexOf('application/json');
  return csv >= 0 && (json < 0 || csv < json);
};

/**
 * POST /imports: a register spreadsheet as bureaus keep it (L3, L4, L6). Each valid row is a
 * Sync command by the signed-in actor, so L4 holds per row; refused rows are reported with
 * row, column and a bilingual reason and never stop the others.
 */
export const importRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const limits = importLimits(deps.importLimits);
    // Encapsulated: only this plugin accepts CSV bodies, kept as bytes (GB18030 files exist).
    app.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    // A body over the route's limit is refused before it is read, naming the file-size limit.
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const e = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? limitExceeded('maxFileBytes', limits.maxFileBytes) : toSuijiError(error);
      if (e.status >= 500) request.log.error({ err: error }, 'request failed');
      void reply.status(e.status).send(e.toJSON());
    });

    app.post(
      '/imports',
      {
        onRequest: requireActor,
        // The JSON form carries the file in base64 (4 bytes per 3) plus a few fields.
        bodyLimit: Math.ceil(limits.maxFileBytes / 3) * 4 + 64 * 1024,
        schema: {
          tags: ['imports 导入'],
          summary: 'L3/L4/L6 import a register spreadsheet (CSV or XLSX) 导入名录库',
          querystring: importQuery,
          body: { content: { 'application/json': { schema: importJsonSchema }, 'text/csv': { schema: { description: 'CSV file, UTF-8 or GB18030, Chinese headers' } } } },
          headers: { type: 'object', properties: { accept: { type: 'string', description: 'text/csv: the response is the CSV report alone' } } },
          response: {
            200: {
              description: 'The import report; with Accept: text/csv, the report CSV (the JSON field reportCsv) as the body 导入报告',
              content: { 'application/json': { schema: reportSchema }, 'text/csv': { schema: { type: 'string' } } },
            },
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const upload = uploadOf(request.body, request.query);
        const actor = actorOf(request);
        // The role must be able to maintain this register at all; each row's department is the decider's check (L4).
        const denied = authorize(actor, upload.kind === 'targets' ? 'target.write' : 'inspector.write', { department: actor.department });
        if (denied) throw denied;
        // One budget for parsing rows and deciding them: the import yields to other requests between slices (issue 8 §1).
        const slice = new TimeSlice();
        const departments = listDepartments(deps.projections.db);
        // Streamed (issue 13): the upload is parsed, validated and appended a batch at a time, never held as a table.
        const report = await importFile({
          kind: upload.kind,
          source: bytesSource(upload.bytes),
          format: upload.format,
          limits,
          ...(upload.fileName ? { fileName: upload.fileName } : {}),
          actor,
          now: new Date().toISOString(),
          execute: storeExecutor(deps.store),
          // Many rows per ledger transaction (one fsync per batch, not per row); conflicts redo row by row.
          // Fewer than the CLI's: the append (hashing, inserts, fsync) runs on the server's one thread.
          executeBatch: storeBatchExecutor(deps.store, slice),
          batchSize: SERVER_IMPORT_BATCH,
          slice,
          // Names in 管辖部门 cells resolve once departments are registered; before that, ids pass as written.
          ...(departments.length > 0 ? { departments } : {}),
        });
        // The BOM is kept (ignoreBOM: true): saved as-is, the text opens in Excel on Chinese Windows.
        const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(reportCsv(report));
        if (wantsCsv(request.headers.accept)) {
          void reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="import-report.csv"').send(csv);
          return reply;
        }
        return {
          ...report,
          missingColumns: [...report.missingColumns],
          ignoredColumns: [...report.ignoredColumns],
          errors: [...report.errors],
          reportCsv: csv,
        };
      },
    );
  };
