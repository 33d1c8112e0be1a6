import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { CosignatureService } from '../../app/cosignatures/index.js';
import { SuijiError } from '../../domain/errors.js';
import { errorResponses } from './registers/common.js';

/** POST /ledger/cosignatures body: the checkpoint as the witness fetched it, and its one cosignature line. */
export const cosignatureSubmissionSchema = {
  type: 'object',
  required: ['checkpoint', 'cosignature'],
  additionalProperties: false,
  properties: {
    checkpoint: { type: 'string', minLength: 1, maxLength: 65536, description: '见证方取得的签名检查点 / the signed checkpoint the witness cosigned' },
    cosignature: { type: 'string', minLength: 1, maxLength: 1024, description: '一行 cosignature/v1 签名 / one cosignature/v1 signature line' },
  },
} as const;

const acceptedSchema = {
  type: 'object',
  required: ['size', 'root', 'witness', 'keyId', 'timestamp', 'stored'],
  additionalProperties: false,
  properties: {
    size: { type: 'integer' },
    root: { type: 'string' },
    witness: { type: 'string' },
    keyId: { type: 'string' },
    timestamp: { type: 'integer' },
    stored: { type: 'boolean' },
  },
} as const;

/**
 * Witness cosignatures (issue 11, C2SP tlog-cosignature). POST /ledger/cosignatures is public:
 * a witness is authenticated by its signature, against the keys this county configured; 201
 * when stored, 200 when the same witness had already cosigned that checkpoint as recently.
 * GET /ledger/checkpoint/cosigned serves the newest checkpoint carrying cosignatures — the
 * latest checkpoint (GET /ledger/checkpoint) may be newer than any witness has seen yet.
 */
export const cosignatureRoutes = (service: CosignatureService): FastifyPluginAsync => async (app) => {
  const typed = app.withTypeProvider<JsonSchemaToTsProvider>();
  typed.post(
    '/ledger/cosignatures',
    {
      schema: {
        summary: 'a witness submits its cosignature of a checkpoint 见证方提交检查点联署签名',
        tags: ['ledger'],
        security: [],
        body: cosignatureSubmissionSchema,
        response: { 200: acceptedSchema, 201: acceptedSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const accepted = await service.submit(request.body);
      return reply.status(accepted.stored ? 201 : 200).send(accepted);
    },
  );
  typed.get(
    '/ledger/checkpoint/cosigned',
    {
      schema: {
        summary: 'the newest checkpoint carrying witness cosignatures 带见证方联署的最新检查点',
        tags: ['ledger'],
        security: [],
        response: { 200: { description: 'C2SP signed note: checkpoint, log signature, cosignatures', content: { 'text/plain': { schema: { type: 'string' } } } }, ...errorResponses },
      },
    },
    async (_request, reply) => {
      const newest = await service.newestCosigned();
      if (!newest) {
        throw new SuijiError('NOT_FOUND', { field: 'url', reason: 'no-cosigned-checkpoint' }, { zh: '尚无见证方联署的检查点', en: 'No checkpoint has been cosigned by a witness yet' });
      }
      return reply.header('content-type', 'text/plain; charset=utf-8').send(newest.note);
    },
  );
};
