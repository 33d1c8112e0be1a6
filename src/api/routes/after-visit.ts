import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { visitIdParamsSchema } from '../../app/tasks/index.js';
import { acceptTransferSchema, proposeTransferSchema, TransferService, transferWriteSchema } from '../../app/transfers/index.js';
import {
  closeFollowUpSchema, FollowUpService, followUpListQuerySchema, followUpParamsSchema, followUpViewSchema, followUpWriteSchema, openFollowUpSchema, updateFollowUpSchema,
} from '../../app/followups/index.js';
import { inspectionReportRows, reportToCsv, reportToXlsx } from '../../app/reports/index.js';
import { ResultService } from '../../app/results/index.js';
import { packageCalendarYears } from '../../app/calendar/index.js';
import { workingCalendar } from '../../domain/calendar/index.js';
import { dateSchema, idSchema } from '../../domain/registers/schemas.js';
import type { AppDeps } from '../deps.js';
import type { ResultRouteOptions } from './results.js';
import { commandMetadata, errorResponses, freshenReads, idempotencyHeaders, requireAction, writeStatus } from './registers/common.js';

const reportQuerySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['department', 'from', 'to'],
  properties: { department: idSchema, from: dateSchema, to: dateSchema, format: { enum: ['csv', 'xlsx'], default: 'csv' } },
} as const;

/** E8 transfers, E9 follow-ups and the upward report (A1). Every route needs a token. */
export const afterVisitRoutes =
  (deps: AppDeps, options: ResultRouteOptions = {}): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const transfers = new TransferService(deps);
    const followUps = new FollowUpService(deps);
    const results = new ResultService({ store: deps.store, projections: deps.projections, calendar: options.calendar ?? workingCalendar({ years: packageCalendarYears() }) }, options);
    freshenReads(app, deps);
    const tWrites = { 200: transferWriteSchema, 201: transferWriteSchema, ...errorResponses } as const;
    const fWrites = { 200: followUpWriteSchema, 201: followUpWriteSchema, ...errorResponses } as const;

    app.post(
      '/visits/:visitId/transfer',
      { onRequest: requireAction('afterVisit.write'), schema: { tags: ['transfers 移交'], summary: 'E8 the executing unit proposes a moved target (已迁出) to the new jurisdiction\'s unit 提出移交', params: visitIdParamsSchema, headers: idempotencyHeaders, body: proposeTransferSchema, response: tWrites } },
      async (request, reply) => {
        const r = await transfers.propose(commandMetadata(request), request.params.visitId, request.body);
        return reply.status(writeStatus(r)).send(r);
      },
    );
    app.post(
      '/visits/:visitId/transfer/accept',
      { onRequest: requireAction('afterVisit.write'), schema: { tags: ['transfers 移交'], summary: 'E8 a principal of the receiving unit accepts with its own group 接收移交', params: visitIdParamsSchema, headers: idempotencyHeaders, body: acceptTransferSchema, response: tWrites } },
      async (request, reply) => {
        const r = await transfers.accept(commandMetadata(request), request.params.visitId, request.body);
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.post(
      '/followups',
      { onRequest: requireAction('afterVisit.write'), schema: { tags: ['followups 后续处置'], summary: 'E9 open a follow-up of a published result with a problem 开启后续处置', headers: idempotencyHeaders, body: openFollowUpSchema, response: fWrites } },
      async (request, reply) => {
        const b = request.body;
        const r = await followUps.open(commandMetadata(request), {
          visitId: b.visitId, itemId: b.itemId, kind: b.kind,
          ...(b.handledBy !== undefined && { handledBy: b.handledBy }), ...(b.caseNumber !== undefined && { caseNumber: b.caseNumber }), ...(b.note !== undefined && { note: b.note }),
        });
        return reply.status(writeStatus(r)).send(r);
      },
    );
    app.post(
      '/followups/:followUpId/updates',
      { onRequest: requireAction('afterVisit.write'), schema: { tags: ['followups 后续处置'], summary: 'E9 a status update 更新处置进展', params: followUpParamsSchema, headers: idempotencyHeaders, body: updateFollowUpSchema, response: fWrites } },
      async (request, reply) => {
        const r = await followUps.update(commandMetadata(request), request.params.followUpId, request.body);
        return reply.status(writeStatus(r)).send(r);
      },
    );
    app.post(
      '/followups/:followUpId/close',
      { onRequest: requireAction('afterVisit.write'), schema: { tags: ['followups 后续处置'], summary: 'E9 close with the outcome 办结', params: followUpParamsSchema, headers: idempotencyHeaders, body: closeFollowUpSchema, response: fWrites } },
      async (request, reply) => {
        const r = await followUps.close(commandMetadata(request), request.params.followUpId, request.body);
        return reply.status(writeStatus(r)).send(r);
      },
    );
    app.get(
      '/followups',
      {
        onRequest: requireAction('followUp.read'),
        schema: {
          tags: ['followups 后续处置'], summary: 'E9 follow-ups with their status 后续处置列表', querystring: followUpListQuerySchema,
          response: { 200: { type: 'object', additionalProperties: false, required: ['items', 'next'], properties: { items: { type: 'array', items: followUpViewSchema }, next: { type: ['string', 'null'] } } }, ...errorResponses },
        },
      },
      async (request) => {
        const q = request.query;
        return followUps.list({ limit: q.limit, ...(q.unit !== undefined && { unit: q.unit }), ...(q.visitId !== undefined && { visitId: q.visitId }), ...(q.status !== undefined && { status: q.status }), ...(q.after !== undefined && { after: q.after }) });
      },
    );

    app.get(
      '/reports/inspections',
      {
        onRequest: requireAction('report.read'),
        schema: { tags: ['reports 统计报告'], summary: 'E8/A1 the upward report per task and visit, CSV or XLSX 上报统计', querystring: reportQuerySchema, response: { 200: { description: 'CSV (UTF-8 with BOM) or XLSX, Chinese column headers 中文表头', content: { 'text/csv': { schema: { type: 'string' } }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } } }, ...errorResponses } },
      },
      async (request, reply) => {
        const q = request.query;
        const rows = await inspectionReportRows({ projections: deps.projections, results }, q);
        const name = `inspections-${q.department}-${q.from}-${q.to}`;
        // The typed reply accepts only the declared schema's JSON; the body here is bytes.
        const raw: FastifyReply = reply;
        if (q.format === 'xlsx') {
          return raw
            .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
            .header('content-disposition', `attachment; filename="${name}.xlsx"`)
            .send(Buffer.from(await reportToXlsx(rows)));
        }
        return raw.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(Buffer.from(reportToCsv(rows)));
      },
    );
  };
