import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { Readable } from 'node:stream';
import { EvidenceService } from '../../app/evidence/index.js';
import { evidenceStreamId, sha256Schema, visitIdSchema, type EvidenceRecord } from '../../domain/evidence/index.js';
import { SuijiError } from '../../domain/errors.js';
import { evidenceTooLarge } from '../../store/evidence/errors.js';
import type { EvidenceStore } from '../../store/evidence/index.js';
import type { AppDeps } from '../deps.js';
import { commandMetadata, errorResponses, requireAction } from './registers/common.js';

const tags = ['evidence 证据（一对象一档案）'];
const FILE_NAME_HEADER = 'x-file-name';
const SHA_HEADER = 'x-content-sha256';

const uploadHeaders = {
  type: 'object',
  properties: {
    [FILE_NAME_HEADER]: { type: 'string', maxLength: 2000, description: 'The file name as given, percent-encoded (RFC 3986); display only 文件名（百分号编码，仅供显示）' },
    [SHA_HEADER]: { type: 'string', pattern: '^[0-9a-fA-F]{64}$', description: 'SHA-256 of the bytes sent; a mismatch (truncated upload) is refused 文件的 SHA-256' },
  },
} as const;
const uploadQuery = { type: 'object', additionalProperties: false, properties: { visitId: visitIdSchema } } as const;
const storedSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sha256', 'size', 'mime', 'ext', 'streamId', 'position', 'recorded'],
  properties: {
    sha256: { type: 'string' },
    size: { type: 'integer' },
    /** Sniffed from the bytes, not from the name. */
    mime: { type: 'string' },
    ext: { type: 'string' },
    streamId: { type: 'string' },
    position: { type: 'integer' },
    /** false when these bytes with this visit and name were already recorded: nothing new was written. */
    recorded: { type: 'boolean' },
  },
} as const;
const params = { type: 'object', additionalProperties: false, required: ['sha256'], properties: { sha256: sha256Schema } } as const;

/** Percent-decoded display name; a malformed or unprintable one is a coded refusal naming the header. */
function fileNameOf(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    name = '';
  }
  // eslint-disable-next-line no-control-regex
  if (name === '' || name.length > 255 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new SuijiError('VALIDATION_FAILED', { field: `headers/${FILE_NAME_HEADER}`, rule: 'E10' }, {
      zh: 'E10：文件名须为百分号编码的 1–255 个字符，且不含控制字符',
      en: 'E10: the file name must be percent-encoded, 1–255 characters, without control characters',
    });
  }
  return name;
}

/**
 * E10: evidence files of the whole-process record. POST streams the body to the content-addressed
 * store (never buffered whole) and records EvidenceStored by the uploader (A3); GET streams a
 * blob back to staff. Bodies are raw bytes (`application/octet-stream`); the type is sniffed.
 */
export const evidenceRoutes =
  (deps: AppDeps & { readonly evidence: EvidenceStore }): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const service = new EvidenceService(deps);
    // Encapsulated: only this plugin takes raw bodies, and hands the request stream on unread.
    app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

    app.post(
      '/evidence',
      {
        onRequest: requireAction('evidence.write'),
        schema: {
          tags,
          summary: 'E10 upload an evidence file (photo, PDF, audio, video) 上传证据文件',
          description: 'Raw bytes; stored under their SHA-256, type sniffed from the bytes. Without ?visitId the evidence is filed for the uploader\'s department.',
          querystring: uploadQuery,
          headers: uploadHeaders,
          body: { content: { 'application/octet-stream': { schema: { description: 'The file\'s bytes 文件内容' } } } },
          response: { 201: storedSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        try {
          const declared = Number(request.headers['content-length']);
          // Refused before a byte is read when the client says the body is too large.
          if (Number.isFinite(declared) && declared > deps.evidence.limits.maxBytes) throw evidenceTooLarge(deps.evidence.limits.maxBytes);
          const fileName = fileNameOf(request.headers[FILE_NAME_HEADER]);
          const sha = request.headers[SHA_HEADER];
          // Other parsers of the app (JSON) hand over a parsed value: evidence is raw bytes only.
          if (request.body !== undefined && !(request.body instanceof Readable)) {
            throw new SuijiError('UNSUPPORTED_MEDIA_TYPE', { field: 'headers/content-type', rule: 'E10' }, { zh: 'E10：证据文件须以 application/octet-stream 原始字节上传', en: 'E10: evidence is uploaded as raw bytes, application/octet-stream' });
          }
          const stored = await service.upload(commandMetadata(request), request.body ?? Readable.from([]), {
            ...(fileName !== undefined ? { fileName } : {}),
            ...(request.query.visitId !== undefined ? { visitId: request.query.visitId } : {}),
            ...(sha !== undefined ? { expectedSha256: sha.toLowerCase(), expectedField: `headers/${SHA_HEADER}` } : {}),
          });
          return await reply.status(201).send(stored);
        } catch (e) {
          // Refused before the body ended (too large, wrong type, no such visit): close the
          // connection after the answer rather than read and discard the rest of a large upload.
          if (!request.raw.complete) void reply.header('connection', 'close');
          // A client that hangs up mid-upload is a client error, not a server fault (the temp file is already gone).
          if (!(e instanceof SuijiError) && request.raw.destroyed) throw new SuijiError('BAD_REQUEST', { field: 'body', rule: 'E10', reason: 'upload interrupted' });
          throw e;
        }
      },
    );

    app.get(
      '/evidence/:sha256',
      {
        onRequest: requireAction('evidence.read'),
        schema: {
          tags,
          summary: 'E10 download an evidence file by its SHA-256 下载证据文件',
          params,
          response: { 200: { description: 'The bytes; Content-Type as sniffed when stored 文件内容', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, ...errorResponses },
        },
      },
      async (request, reply) => {
        const sha256 = request.params.sha256;
        const blob = await deps.evidence.get(sha256);
        const first = (await deps.store.readStream(evidenceStreamId(sha256)))[0];
        const mime = first ? (first.payload as EvidenceRecord).mime : 'application/octet-stream';
        // Attachment: evidence is downloaded, never rendered as a page of this origin.
        // The typed reply accepts only the declared schema's JSON; the body here is the raw stream.
        const raw: FastifyReply = reply;
        return raw
          .type(mime)
          .header('content-length', String(blob.size))
          .header(SHA_HEADER, sha256)
          .header('content-disposition', `attachment; filename="${sha256}${first ? `.${(first.payload as EvidenceRecord).ext}` : ''}"`)
          .send(blob.stream);
      },
    );
  };
