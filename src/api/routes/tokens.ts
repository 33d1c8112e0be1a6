import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { idSchema } from '../../domain/registers/index.js';
import { TokenRevoked, tokenDecider, tokenStatuses, tokenStreamId } from '../../domain/tokens/index.js';
import { roles } from '../../domain/actor.js';
import { listTokens } from '../../projections/tokens/projection.js';
import { handleCommand } from '../../store/handle-command.js';
import type { AppDeps } from '../deps.js';
import { commandMetadata, errorResponses, freshen, idempotencyHeaders, requireAction, requireActor, writeResponses, type WriteResult } from './registers/common.js';
import { omitProperties } from './registers/schema-tools.js';

const tokenParams = {
  type: 'object',
  additionalProperties: false,
  required: ['tokenId'],
  properties: { tokenId: TokenRevoked.schema.properties.tokenId },
} as const;
const tokenQuery = { type: 'object', additionalProperties: false, properties: { userId: idSchema } } as const;
const nullableString = { anyOf: [{ type: 'string' }, { type: 'null' }] } as const;

/** A token as admins see it: who, what, since when, and its G3 status. Never the secret or its hash. */
const tokenSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['tokenId', 'userId', 'role', 'department', 'label', 'status', 'issuedPosition', 'issuedAt', 'issuedBy', 'revokedAt', 'revokedBy', 'revokedReason'],
  properties: {
    tokenId: { type: 'string' },
    userId: { type: 'string' },
    role: { enum: roles },
    department: { type: 'string' },
    label: nullableString,
    status: { enum: tokenStatuses },
    issuedPosition: { type: 'integer' },
    issuedAt: { type: 'string' },
    issuedBy: { type: 'string' },
    revokedAt: nullableString,
    revokedBy: nullableString,
    revokedReason: nullableString,
  },
} as const;
const tokenList = { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: tokenSchema } } } as const;

const tags = ['tokens 令牌'];

/**
 * G3: API tokens. Admins list them and revoke any; every holder may revoke their own (the
 * decider decides, src/domain/tokens/decide.ts). Tokens are issued only by `suiji token create`,
 * at the console, so a secret never travels through the API.
 */
export const tokenRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();

    app.get(
      '/tokens',
      { onRequest: requireAction('user.manage'), schema: { tags, summary: 'G3 list API tokens (admin) 令牌列表', querystring: tokenQuery, response: { 200: tokenList, ...errorResponses } } },
      async (request, reply) => {
        await freshen(deps, reply);
        return { items: listTokens(deps.projections.db, request.query.userId === undefined ? {} : { userId: request.query.userId }) };
      },
    );

    app.post(
      '/tokens/:tokenId/revocation',
      {
        onRequest: requireActor,
        schema: { tags, summary: 'G3 revoke a token (admin, or its holder) 吊销令牌', headers: idempotencyHeaders, params: tokenParams, body: omitProperties(TokenRevoked.schema, ['tokenId']), response: writeResponses },
      },
      async (request, reply) => {
        const metadata = commandMetadata(request);
        const streamId = tokenStreamId(request.params.tokenId);
        const body = await revoke(deps, streamId, { type: 'RevokeToken', data: { tokenId: request.params.tokenId, reason: request.body.reason }, metadata }, request.headers['idempotency-key'] !== undefined);
        return reply.status(200).send(body);
      },
    );
  };

type Revoke = Parameters<typeof tokenDecider.decide>[0];

/** Runs the revocation; with an Idempotency-Key a retried request answers the first result (as register writes do). */
async function revoke(deps: AppDeps, streamId: string, command: Revoke, keyed: boolean): Promise<WriteResult> {
  if (keyed) {
    const prior = (await deps.store.readStream(streamId)).filter((e) => e.correlationId === command.metadata.commandId);
    const last = prior[prior.length - 1];
    if (last) return { streamId, events: prior.map((e) => e.type), position: last.position, revision: last.revision, replayed: true };
  }
  const handled = await handleCommand(deps.store, { streamId, decider: tokenDecider, command });
  return {
    streamId,
    events: handled.events.map((e) => e.type),
    position: handled.appended?.position ?? null,
    revision: handled.appended?.nextRevision ?? null,
    replayed: false,
  };
}
