import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { LedgerPublic } from '../../app/ledger/index.js';
import { errorResponses } from './registers/common.js';

const tags = ['ledger'];
/** A tree size or leaf index: ASCII decimal without sign or leading zero (C2SP tlog-checkpoint's size). */
const count = { type: 'string', pattern: '^(0|[1-9][0-9]{0,15})$' } as const;
const hashHex = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;

const inclusionQuery = { type: 'object', additionalProperties: false, required: ['index', 'size'], properties: { index: count, size: count } } as const;
const consistencyQuery = { type: 'object', additionalProperties: false, required: ['from', 'to'], properties: { from: count, to: count } } as const;

const inclusionAnswer = {
  type: 'object',
  additionalProperties: false,
  required: ['index', 'size', 'leafHash', 'proof'],
  properties: { index: { type: 'integer' }, size: { type: 'integer' }, leafHash: hashHex, proof: { type: 'array', items: hashHex } },
} as const;
const consistencyAnswer = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to', 'proof'],
  properties: { from: { type: 'integer' }, to: { type: 'integer' }, proof: { type: 'array', items: hashHex } },
} as const;

/**
 * Public, read-only (issue 11, V4): the latest signed checkpoint (a C2SP signed note, text/plain,
 * the format Go's sumdb/note and tlog tooling read) and RFC 9162 proofs against any size up to
 * the head. 503 LOG_KEY_MISSING until `suiji keys init`; 503 CHECKPOINT_REFUSED when the ledger
 * no longer extends what was signed.
 */
export const ledgerRoutes = (ledger: LedgerPublic): FastifyPluginAsync => async (app) => {
  const typed = app.withTypeProvider<JsonSchemaToTsProvider>();
  typed.get(
    '/ledger/checkpoint',
    { schema: { tags, summary: 'V4 the latest signed checkpoint (C2SP signed note), public 最新签名检查点', security: [], response: { 200: { type: 'string' }, ...errorResponses } } },
    async (_request, reply) => {
      const cp = await ledger.checkpoint();
      void reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-cache');
      return cp.note;
    },
  );
  typed.get(
    '/ledger/proof/inclusion',
    { schema: { tags, summary: 'V4 RFC 9162 inclusion proof of leaf `index` in the tree of `size` leaves, public 包含证明', security: [], querystring: inclusionQuery, response: { 200: inclusionAnswer, ...errorResponses } } },
    async (request) => ledger.inclusion(Number(request.query.index), Number(request.query.size)),
  );
  typed.get(
    '/ledger/proof/consistency',
    { schema: { tags, summary: 'V4 RFC 9162 consistency proof from the tree of `from` leaves to that of `to`, public 一致性证明', security: [], querystring: consistencyQuery, response: { 200: consistencyAnswer, ...errorResponses } } },
    async (request) => ledger.consistency(Number(request.query.from), Number(request.query.to)),
  );
};
