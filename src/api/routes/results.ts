import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { visitIdParamsSchema } from '../../app/tasks/index.js';
import {
  ResultService, correctResultsSchema, recordOutcomeSchema, decideObjectionSchema, fileObjectionSchema, objectionFeedbackSchema, objectionParamsSchema, publicFiler, receiveObjectionSchema,
  resultListQuerySchema, resultViewSchema, resultsWriteSchema, reviewResultsSchema, submitResultsSchema, type ResultsConfig,
} from '../../app/results/index.js';
import { packageCalendarYears } from '../../app/calendar/index.js';
import { workingCalendar, type WorkingCalendar } from '../../domain/calendar/index.js';
import type { AppDeps } from '../deps.js';
import { commandMetadata, errorResponses, freshenReads, idempotencyHeaders, requireAction, writeStatus } from './registers/common.js';

const tags = ['results 抽查结果'];
const writes = { 200: resultsWriteSchema, 201: resultsWriteSchema, ...errorResponses } as const;
const categorySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'label', 'kinds'],
  properties: {
    code: { type: 'string' },
    label: { type: 'string' },
    kinds: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['code', 'label', 'detail'], properties: { code: { type: 'string' }, label: { type: 'string' }, detail: { type: 'boolean' } } } },
  },
} as const;

export interface ResultRouteOptions extends ResultsConfig {
  /** The statutory calendar (Runtime.calendar: package data plus the data directory's holiday files); default the package data only. */
  readonly calendar?: WorkingCalendar;
}

/**
 * E5, P2, E6, E7: results of a visit. Staff routes need a token; `POST /objections` is the public
 * site's (no token; rate-limited like every anonymous route, src/api/app.ts).
 */
export const resultRoutes =
  (deps: AppDeps, options: ResultRouteOptions = {}): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const calendar = options.calendar ?? workingCalendar({ years: packageCalendarYears() });
    const service = new ResultService({ store: deps.store, projections: deps.projections, calendar }, options);
    freshenReads(app, deps);

    app.get(
      '/results/categories',
      { onRequest: requireAction('result.read'), schema: { tags, summary: 'A4 the result category catalogue 抽查结果类别', response: { 200: { type: 'array', items: categorySchema }, ...errorResponses } } },
      async () => service.categories.map((c) => ({ code: c.code, label: c.label, kinds: (c.kinds ?? []).map((k) => ({ code: k.code, label: k.label, detail: k.detail === true })) })),
    );

    app.post(
      '/visits/:visitId/results',
      {
        onRequest: requireAction('result.write'),
        schema: { tags, summary: 'E5 the group leader submits one result per item 组长提交检查结果', params: visitIdParamsSchema, headers: idempotencyHeaders, body: submitResultsSchema, response: writes },
      },
      async (request, reply) => {
        const r = await service.submit(commandMetadata(request), request.params.visitId, request.body.results);
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.post(
      '/visits/:visitId/outcome',
      {
        onRequest: requireAction('result.write'),
        schema: {
          tags,
          summary: 'E8 the group leader records a target not inspected (无法联系/已注销/已撤销/已吊销) with its basis; reviewed and published like a result 未检查情形',
          params: visitIdParamsSchema, headers: idempotencyHeaders, body: recordOutcomeSchema, response: writes,
        },
      },
      async (request, reply) => {
        const b = request.body;
        const r = await service.recordOutcome(commandMetadata(request), request.params.visitId, { outcome: b.outcome, basis: b.basis, ...(b.evidence !== undefined && { evidence: b.evidence }) });
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.post(
      '/visits/:visitId/results/review',
      {
        onRequest: requireAction('result.write'),
        schema: {
          tags,
          summary: 'P2 a principal approves (published at once, or exempt 不予公开) or returns with a reason 负责人审核',
          params: visitIdParamsSchema,
          headers: idempotencyHeaders,
          body: reviewResultsSchema,
          response: writes,
        },
      },
      async (request, reply) => {
        const b = request.body;
        const r = await service.review(commandMetadata(request), request.params.visitId, {
          decision: b.decision,
          ...(b.reason !== undefined && { reason: b.reason }),
          ...(b.exemption !== undefined && { exemption: b.exemption }),
        });
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.post(
      '/visits/:visitId/results/corrections',
      {
        onRequest: requireAction('result.write'),
        schema: { tags, summary: 'E6 the unit principal corrects a published result (the original stays) 更正', params: visitIdParamsSchema, headers: idempotencyHeaders, body: correctResultsSchema, response: writes },
      },
      async (request, reply) => {
        const b = request.body;
        const r = await service.correct(commandMetadata(request), request.params.visitId, { reason: b.reason, results: b.results, ...(b.objection !== undefined && { objection: b.objection }) });
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.post(
      '/visits/:visitId/objections',
      {
        onRequest: requireAction('result.write'),
        schema: { tags, summary: 'E7 staff record an objection received from the target 登记异议', params: visitIdParamsSchema, headers: idempotencyHeaders, body: receiveObjectionSchema, response: writes },
      },
      async (request, reply) => {
        const b = request.body;
        const r = await service.receiveObjection(commandMetadata(request), request.params.visitId, {
          channel: 'staff', uscc: b.uscc, contact: b.contact, statement: b.statement, ...(b.receivedOn !== undefined && { receivedOn: b.receivedOn }),
        });
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.post(
      '/visits/:visitId/objections/:objection/decision',
      {
        onRequest: requireAction('result.write'),
        schema: { tags, summary: 'E7 the principal\'s re-check decision 复核决定', params: objectionParamsSchema, headers: idempotencyHeaders, body: decideObjectionSchema, response: writes },
      },
      async (request, reply) => {
        const r = await service.decideObjection(commandMetadata(request), request.params.visitId, { objection: Number(request.params.objection), ...request.body });
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.post(
      '/visits/:visitId/objections/:objection/feedback',
      {
        onRequest: requireAction('result.write'),
        schema: { tags, summary: 'E7 feedback to the target 反馈', params: objectionParamsSchema, headers: idempotencyHeaders, body: objectionFeedbackSchema, response: writes },
      },
      async (request, reply) => {
        const r = await service.giveFeedback(commandMetadata(request), request.params.visitId, { objection: Number(request.params.objection), feedback: request.body.feedback });
        return reply.status(writeStatus(r)).send(r);
      },
    );

    // Public: no token. The credit code must be the visit target's; one undecided public objection per visit.
    app.post(
      '/objections',
      { schema: { tags, summary: 'E7 a business files an objection to its published result (public) 企业提出异议', security: [], body: fileObjectionSchema, response: writes } },
      async (request, reply) => {
        const b = request.body;
        const meta = { ...commandMetadataPublic(), actor: publicFiler };
        const r = await service.receiveObjection(meta, b.visitId, { channel: 'public', uscc: b.uscc, contact: b.contact, statement: b.statement });
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.get(
      '/visits/:visitId/results',
      { onRequest: requireAction('result.read'), schema: { tags, summary: 'E5–E7 a visit\'s results, deadline, corrections, objections 检查结果', params: visitIdParamsSchema, response: { 200: resultViewSchema, ...errorResponses } } },
      async (request) => service.view(request.params.visitId),
    );

    app.get(
      '/results',
      {
        onRequest: requireAction('result.read'),
        schema: {
          tags,
          summary: 'E5 results by unit, status, overdue 结果列表（含逾期）',
          querystring: resultListQuerySchema,
          response: { 200: { type: 'object', additionalProperties: false, required: ['items', 'next'], properties: { items: { type: 'array', items: resultViewSchema }, next: { type: ['string', 'null'] } } }, ...errorResponses },
        },
      },
      async (request) => {
        const q = request.query;
        return service.list({
          limit: q.limit === undefined ? 100 : Number(q.limit),
          ...(q.unit !== undefined && { unit: q.unit }),
          ...(q.status !== undefined && { status: q.status }),
          ...(q.overdue !== undefined && { overdue: q.overdue === 'true' }),
          ...(q.after !== undefined && { after: q.after }),
        });
      },
    );
  };

/** A public filing has no token: a fresh command id, no idempotency key (the filer is not identified). */
const commandMetadataPublic = () => ({ now: new Date().toISOString(), commandId: randomUUID() });
