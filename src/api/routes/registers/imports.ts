import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FromSchema } from 'json-schema-to-ts';
import { authorize } from '../../../domain/access.js';
import { SuijiError } from '../../../domain/errors.js';
import { compileValidator } from '../../../domain/registers/index.js';
import { listDepartments } from '../../../projections/registers/index.js';
import { hashFile, importTable, readTable, storeBatchExecutor, storeExecutor, type ImportKindName, type TableFormat } from '../../../app/registers-io/index.js';
import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../auth.js';
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
  required: ['kind', 'fileName', 'fileHash', 'total', 'created', 'updated', 'unchanged', 'rejected', 'missingColumns', 'ignoredColumns', 'errors'],
  properties: {
    kind: { enum: kinds },
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

/**
 * POST /imports: a register spreadsheet as bureaus keep it (L3, L4, L6). Each valid row is a
 * Sync command by the signed-in actor, so L4 holds per row; refused rows are reported with
 * row, column and a bilingual reason and never stop the others.
 */
export const importRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    // Encapsulated: only this plugin accepts CSV bodies, kept as bytes (GB18030 files exist).
    app.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    app.post(
      '/imports',
      {
        onRequest: requireActor,
        schema: {
          tags: ['imports 导入'],
          summary: 'L3/L4/L6 import a register spreadsheet (CSV or XLSX) 导入名录库',
          querystring: importQuery,
          body: { content: { 'application/json': { schema: importJsonSchema }, 'text/csv': { schema: { description: 'CSV file, UTF-8 or GB18030, Chinese headers' } } } },
          response: { 200: reportSchema, ...errorResponses },
        },
      },
      async (request) => {
        const upload = uploadOf(request.body, request.query);
        const actor = actorOf(request);
        // The role must be able to maintain this register at all; each row's department is the decider's check (L4).
        const denied = authorize(actor, upload.kind === 'targets' ? 'target.write' : 'inspector.write', { department: actor.department });
        if (denied) throw denied;
        const table = await readTable(upload.bytes, upload.format);
        const departments = listDepartments(deps.projections.db);
        const report = await importTable({
          kind: upload.kind,
          table,
          fileHash: hashFile(upload.bytes),
          ...(upload.fileName ? { fileName: upload.fileName } : {}),
          actor,
          now: new Date().toISOString(),
          execute: storeExecutor(deps.store),
          // Many rows per ledger transaction (one fsync per batch, not per row); conflicts redo row by row.
          executeBatch: storeBatchExecutor(deps.store),
          // Names in 管辖部门 cells resolve once departments are registered; before that, ids pass as written.
          ...(departments.length > 0 ? { departments } : {}),
        });
        return { ...report, missingColumns: [...report.missingColumns], ignoredColumns: [...report.ignoredColumns], errors: [...report.errors] };
      },
    );
  };
