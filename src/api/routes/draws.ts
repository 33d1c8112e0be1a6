import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { CommandMetadata } from '../../domain/decider.js';
import { DrawService, type DrawConfig } from '../../app/draws/service.js';
import {
  drawViewSchema, abandonSchema, commitExpertsSchema, extendDrawSchema, replaceInDrawSchema, commitInspectorGroupsSchema, commitReplacementSchema, commitTargetsSchema, recordCeremonySchema,
  recordDrandSchema, revealWitnessSchema,
} from '../../app/draws/requests.js';
import { listDraws } from '../../projections/draws/index.js';
import { actorOf } from '../auth.js';
import type { AppDeps } from '../deps.js';
import { verdictSchema } from './verify.js';

export interface DrawRouteOptions {
  /** The command clock; tests pass a fixed one. Never read inside the domain (STYLE habit 3). */
  readonly clock?: () => Date;
  readonly config?: DrawConfig;
}

const json = { type: 'object', additionalProperties: true } as const;
const drawIdParams = { type: 'object', required: ['drawId'], additionalProperties: false, properties: { drawId: { type: 'string', minLength: 1, maxLength: 300 } } } as const;
const committedResponse = { type: 'object', required: ['drawId'], additionalProperties: false, properties: { drawId: { type: 'string' } } } as const;
const statusValues = ['committed', 'completed', 'abandoned'] as const;

const drawRowSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    drawId: { type: 'string' },
    task: { type: 'string' },
    purpose: { type: 'string' },
    kind: { type: 'string' },
    department: { type: 'string' },
    status: { enum: statusValues },
    commitmentHash: { type: 'string' },
    committedAt: { type: 'string' },
    revealDeadline: { type: 'string' },
    /** When every planned source should be in (reveal deadline, or the drand fallback instant if later). */
    dueAt: { type: 'string' },
    /** Issue 7 §1: committed and past dueAt. */
    overdue: { type: 'boolean' },
    poolSize: { type: 'integer' },
    excluded: { type: 'integer' },
    completedAt: { type: ['string', 'null'] },
    abandonedAt: { type: ['string', 'null'] },
    abandonReason: { type: ['string', 'null'] },
    selected: { type: ['array', 'null'], items: { type: 'string' } },
  },
} as const;

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    task: { type: 'string', minLength: 1, maxLength: 200 },
    status: { enum: statusValues },
    /** Query strings are not coerced: 'true' lists only overdue draws, 'false' the others. */
    overdue: { enum: ['true', 'false'] },
    limit: { type: 'integer', minimum: 1, maximum: 1000 },
  },
} as const;

/** Same key rules as the register routes: the key names one command of one user. */
const idempotencyHeaders = {
  type: 'object',
  properties: { 'idempotency-key': { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' } },
} as const;

/**
 * Draw routes (V1–V4, L2, PL5, T7–T10). Writes need a bearer token (request.actor, see
 * ../auth.ts); reading a draw, its public record and its verdict is public (V4). An
 * `Idempotency-Key` header names one command of one user: a retry answers like the original
 * and writes nothing (event ids derive from it).
 */
export const drawRoutes = (deps: AppDeps, options: DrawRouteOptions = {}): FastifyPluginAsync => async (app) => {
  const service = new DrawService({ store: deps.store, projections: deps.projections, ...(options.config && { config: options.config }) });
  const clock = options.clock ?? (() => new Date());
  const metadata = (request: FastifyRequest): CommandMetadata => {
    const actor = actorOf(request);
    const key = request.headers['idempotency-key'];
    return { actor, now: clock().toISOString(), commandId: typeof key === 'string' ? `idem:${actor.userId}:${key}` : randomUUID() };
  };
  const r = app.withTypeProvider<JsonSchemaToTsProvider>();

  r.get('/draws', { schema: { summary: 'V1 every draw, public 摇号记录', tags: ['draws'], security: [], querystring: listQuery, response: { 200: { type: 'array', items: drawRowSchema } } } }, async (request) =>
    listDraws(deps.projections.db, { ...request.query, overdue: request.query.overdue === undefined ? undefined : request.query.overdue === 'true' }, clock().toISOString()),
  );

  const created = { 201: committedResponse };
  r.post('/draws/targets', { schema: { summary: 'T3/L2/PL5 commit a target draw 提交抽取对象承诺', tags: ['draws'], headers: idempotencyHeaders, body: commitTargetsSchema, response: created } }, async (request, reply) =>
    reply.status(201).send({ drawId: await service.commitTargets(metadata(request), request.body) }),
  );
  r.post('/draws/experts', { schema: { summary: 'T7 commit an expert draw 提交抽取专家承诺', tags: ['draws'], headers: idempotencyHeaders, body: commitExpertsSchema, response: created } }, async (request, reply) =>
    reply.status(201).send({ drawId: await service.commitExperts(metadata(request), request.body) }),
  );
  r.post('/draws/inspector-groups', { schema: { summary: 'T7–T10 commit an inspector-group draw 提交匹配检查人员承诺', tags: ['draws'], headers: idempotencyHeaders, body: commitInspectorGroupsSchema, response: created } }, async (request, reply) =>
    reply.status(201).send({ drawId: await service.commitInspectorGroups(metadata(request), request.body) }),
  );
  r.post('/draws/replacements', { schema: { summary: 'T10 commit an approved replacement 提交更换人员承诺', tags: ['draws'], headers: idempotencyHeaders, body: commitReplacementSchema, response: created } }, async (request, reply) =>
    reply.status(201).send({ drawId: await service.commitReplacement(metadata(request), request.body) }),
  );

  // Issue 8 §3: follow-ups of a completed draw, named by the draw they continue (the latest of its lineage).
  // The principal who commits one is its approver; an operator is refused (403). Complete it with /complete.
  r.post('/draws/:drawId/extensions', { schema: { summary: 'Spec §7.3 commit an approved extension (more picks per class, with the reason) 提交追加抽取承诺', tags: ['draws'], headers: idempotencyHeaders, params: drawIdParams, body: extendDrawSchema, response: created } }, async (request, reply) =>
    reply.status(201).send({ drawId: await service.commitExtension(metadata(request), request.params.drawId, request.body) }),
  );
  r.post('/draws/:drawId/replacements', { schema: { summary: 'T10/E8 commit an approved replacement in this draw (targets: as the register records them gone) 提交更换承诺', tags: ['draws'], headers: idempotencyHeaders, params: drawIdParams, body: replaceInDrawSchema, response: created } }, async (request, reply) =>
    reply.status(201).send({ drawId: await service.replaceInDraw(metadata(request), request.params.drawId, request.body) }),
  );

  r.get('/draws/:drawId', { schema: { summary: 'V1 one draw, public 摇号详情', tags: ['draws'], security: [], params: drawIdParams, response: { 200: drawViewSchema } } }, async (request) =>
    // PL5: staff (any valid token) see every exemption reason; the public sees only reasons that are public facts.
    service.get(request.params.drawId, { now: clock().toISOString(), detail: request.actor !== null }),
  );

  const view = { 200: drawViewSchema };
  r.post('/draws/:drawId/witness-reveals', { schema: { summary: 'V3 a witness reveals its secret 见证人揭示秘密', tags: ['draws'], headers: idempotencyHeaders, params: drawIdParams, body: revealWitnessSchema, response: view } }, async (request) => {
    await service.revealWitness(metadata(request), request.params.drawId, request.body);
    return service.get(request.params.drawId, { now: clock().toISOString() });
  });
  r.post('/draws/:drawId/drand', { schema: { summary: 'V3 record the drand beacon round 记录公共随机信标', tags: ['draws'], headers: idempotencyHeaders, params: drawIdParams, body: recordDrandSchema, response: view } }, async (request) => {
    await service.recordDrand(metadata(request), request.params.drawId, request.body);
    return service.get(request.params.drawId, { now: clock().toISOString() });
  });
  r.post('/draws/:drawId/ceremony', { schema: { summary: 'V3 record the ceremony value 记录现场仪式随机值', tags: ['draws'], headers: idempotencyHeaders, params: drawIdParams, body: recordCeremonySchema, response: view } }, async (request) => {
    await service.recordCeremony(metadata(request), request.params.drawId, request.body);
    return service.get(request.params.drawId, { now: clock().toISOString() });
  });
  r.post('/draws/:drawId/complete', { schema: { summary: 'V1 complete the draw 完成摇号', tags: ['draws'], headers: idempotencyHeaders, params: drawIdParams, response: { 200: json } } }, async (request) => ({
    ...(await service.complete(metadata(request), request.params.drawId)),
  }));
  r.post('/draws/:drawId/abandon', { schema: { summary: 'V3 abandon publicly 公开放弃摇号', tags: ['draws'], headers: idempotencyHeaders, params: drawIdParams, body: abandonSchema, response: view } }, async (request) => {
    await service.abandon(metadata(request), request.params.drawId, request.body);
    return service.get(request.params.drawId, { now: clock().toISOString() });
  });

  r.get('/draws/:drawId/export', { schema: { summary: 'V4 the self-contained public record (abandoned: what was revealed and the result not taken), public 公开记录', tags: ['draws'], security: [], params: drawIdParams, response: { 200: json } } }, async (request) => ({
    ...(await service.publicExport(request.params.drawId)),
  }));
  r.get('/draws/:drawId/verify', { schema: { summary: 'V4 replay a stored draw, public 复核摇号', tags: ['draws'], security: [], params: drawIdParams, response: { 200: verdictSchema } } }, async (request) => service.verifyStored(request.params.drawId));
};
